import Foundation

/// The reaction mechanism for racist and xenophobic incidents (Goal 6): anonymous reports, the
/// reporter's way back with a case code and passphrase, and the handler's case work. Every read of
/// a case's contents by staff is written to the audit trail; the free text is sealed at rest under
/// the case's own content key, which only its handlers' keys open (`IncidentKeyService`).
public struct IncidentService: Sendable {
    public let incidents: any IncidentRepository
    public let audit: any AuditLog
    public let keys: IncidentKeyService
    public let clock: OfficeClock

    /// Who may open cases: the programme coordinator and incident handlers. Administrators manage
    /// accounts, not cases: reading special-category data is not part of their job.
    public static let handlers: Set<Role> = [.programmeCoordinator, .incidentHandler]

    public init(incidents: any IncidentRepository, audit: any AuditLog, keys: IncidentKeyService, clock: OfficeClock) {
        self.incidents = incidents
        self.audit = audit
        self.keys = keys
        self.clock = clock
    }

    var today: CalendarDate { clock.today }

    // MARK: The reporter

    /// Stores a report and returns its credentials (the passphrase exists only in this answer).
    public func submit(_ report: IncidentReport) async throws -> CaseCredentials {
        let problems = report.problems(today: today)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        for _ in 0..<5 {
            let credentials = CaseCredentials.generate()
            let code = credentials.caseCode
            let content = CaseContentKey.generate()
            func seal(_ text: String, _ field: String) throws -> String? {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : try content.seal(trimmed, caseCode: code, field: field)
            }
            let reporterKey = try await keys.reporterKey(passphrase: credentials.passphrase, caseCode: code,
                                                             parameters: keys.parameters)
            let stored = StoredIncident(
                metadata: IncidentMetadata(
                    caseCode: code, receivedOn: today, occurredOn: report.occurredOn, district: report.district,
                    category: report.category, motivations: report.motivations, reporterRole: report.reporterRole,
                    policeInformed: report.policeInformed, language: report.language, consentToContact: report.consentToContact),
                passphraseDigest: CaseCredentials.digest(passphrase: credentials.passphrase, caseCode: code),
                sealedNarrative: try seal(report.narrative, "narrative"), sealedPlace: try seal(report.place, "place"),
                sealedContact: try seal(report.contact, "contact"), sealing: .caseKey, casePublicKey: content.publicKey,
                reporterPublicKey: reporterKey.publicKey, reporterKeyParameters: keys.parameters)
            let grants = try await keys.envelopesForNewCase(content, caseCode: code)
            let day = clock.start(of: today)
            do {
                // The case and its held audit entry commit together or not at all
                // (`AuditLog.atomically`); each try is its own unit, so a taken code rolls back alone.
                try await audit.atomically { [self] in
                    _ = try await incidents.create(stored, grants: grants)
                    // No actor, no detail, no time of day: the trail records that a report arrived on
                    // this day, nothing about who sent it or when (docs/security.md).
                    try await audit.hold(AuditEntry(at: day, actorUserID: nil, action: "incident.received",
                                                    subject: "incident:\(code)"))
                }
                return credentials
            } catch DomainError.conflict {
                continue
            }
        }
        throw DomainError.conflict("could not draw a free case code; try again")
    }

    /// What the reporter sees: the status and the updates marked public.
    public struct PublicStatus: Hashable, Sendable {
        public var caseCode: String
        public var status: IncidentStatus
        public var receivedOn: CalendarDate
        public var updates: [IncidentEvent]
    }

    /// The same error for an unknown code and a wrong passphrase, so neither can be probed. The
    /// updates open with the reporter's key, derived from the passphrase; an update whose copy
    /// for the reporter is not made yet (a case from before reporter keys, until a handler next
    /// opens it) is listed with its date and no text.
    public func status(caseCode: String, passphrase: String) async throws -> PublicStatus {
        var stored = try await authorised(caseCode: caseCode, passphrase: passphrase)
        let reporterKey = try await keys.reporterKey(passphrase: passphrase, caseCode: stored.caseCode,
                                                         parameters: stored.reporterKeyParameters ?? keys.parameters)
        if stored.reporterPublicKey == nil {
            // A case from before reporter keys: the passphrase was right, so its public key is
            // known from now on and the next handler visit seals the updates to it.
            try await incidents.setReporterKey(incidentID: stored.id, publicKey: reporterKey.publicKey, parameters: keys.parameters)
            stored.reporterPublicKey = reporterKey.publicKey
        }
        let events = try await incidents.events(incidentID: stored.id)
        let updates = events.filter(\.isPublic).map { event in
            var text: String?
            if let copy = event.sealedForReporter {
                text = try? String(decoding: IncidentCrypto.open(copy, with: reporterKey, purpose: "reporter-update",
                                                                 caseCode: stored.caseCode), as: UTF8.self)
            } else if stored.sealing == .serverKey, let sealed = event.sealedText {
                text = try? keys.serverCipher.open(sealed, context: "\(stored.caseCode)/event")
            }
            var update = IncidentEvent(kind: event.kind, on: event.on, text: text, referral: event.referral, isPublic: true, by: event.by)
            update.textPending = text == nil && event.sealedText != nil
            return update
        }
        return PublicStatus(caseCode: stored.caseCode, status: stored.status, receivedOn: stored.receivedOn, updates: updates)
    }

    public func addInformation(caseCode: String, passphrase: String, text: String) async throws {
        let stored = try await authorised(caseCode: caseCode, passphrase: passphrase)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= IncidentReport.maxNarrative else {
            throw DomainError.invalid([FieldError(field: "text", messageKey: "error.incident.narrative",
                                                  message: "write 1–\(IncidentReport.maxNarrative) characters")])
        }
        guard stored.purgedOn == nil, stored.status != .closed else {
            throw DomainError.conflict("the case is closed; send a new report")
        }
        // The server does not hold the content key: the addition is sealed to the case's public
        // key (and a copy to the reporter's, for the status page).
        let sealed: String
        if stored.sealing == .caseKey, let casePublicKey = stored.casePublicKey {
            sealed = try CaseContentKey.seal(trimmed, toCase: casePublicKey, caseCode: stored.caseCode, field: "event")
        } else {
            // A case from before per-handler keys, not re-sealed yet: sealed as its other texts are.
            sealed = try keys.serverCipher.seal(trimmed, context: "\(stored.caseCode)/event")
        }
        let event = StoredIncidentEvent(
            incidentID: stored.id, kind: .reporterNote, on: today, sealedText: sealed, isPublic: true,
            sealedForReporter: try reporterCopy(trimmed, stored))
        let day = clock.start(of: today)
        try await audit.atomically { [self] in
            try await incidents.addEvent(event)
            try await audit.hold(AuditEntry(at: day, actorUserID: nil, action: "incident.reporter-note",
                                            subject: "incident:\(stored.caseCode)"))
        }
    }

    func authorised(caseCode: String, passphrase: String) async throws -> StoredIncident {
        guard let code = CaseCredentials.canonicalCode(caseCode), let stored = try await incidents.incident(caseCode: code),
              stored.purgedOn == nil,
              CaseCredentials.matches(passphrase: passphrase, caseCode: code, digest: stored.passphraseDigest) else {
            throw DomainError.notFound("A case with this code and passphrase")
        }
        return stored
    }

    // MARK: The handler

    /// Opens a case for a handler and writes the view to the audit trail. A handler whose key
    /// holds no grant to the case gets its metadata only (`IncidentCase.access`), and that is not
    /// a reading: nothing is audited as viewed.
    public func open(id: IncidentID, by user: User, key: HandlerPrivateKey?) async throws -> IncidentCase {
        try requireHandler(user)
        guard let stored = try await incidents.incident(id: id) else { throw DomainError.notFound("Case \(id)") }
        let events = try await incidents.events(incidentID: id)
        if stored.purgedOn != nil {
            return IncidentCase(metadata: stored.metadata, narrative: nil, place: nil, contact: nil,
                                events: events.map { IncidentEvent(kind: $0.kind, on: $0.on, text: nil, referral: $0.referral,
                                                                   isPublic: $0.isPublic, by: $0.by) })
        }
        switch try await keys.contentKey(for: stored, user: user, key: key) {
        case let .failure(reason):
            var locked = IncidentCase(metadata: stored.metadata, narrative: nil, place: nil, contact: nil,
                                      events: events.map { IncidentEvent(kind: $0.kind, on: $0.on, text: nil, referral: $0.referral,
                                                                         isPublic: $0.isPublic, by: $0.by) })
            locked.access = .locked(reason)
            return locked
        case let .success(content):
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "incident.viewed",
                                              subject: "incident:\(stored.caseCode)"))
            try await keys.completeRecoveryEnvelope(stored, content: content)
            try await completeReporterCopies(stored, events: events, content: content)
            return try decrypt(stored, events: events, content: content)
        }
    }

    /// The queue: metadata only, nothing decrypted, so listing is not reading.
    public func queue(statuses: Set<IncidentStatus>, by user: User, limit: Int = 200, offset: Int = 0) async throws -> [StoredIncident] {
        try requireHandler(user)
        return try await incidents.list(statuses: statuses, limit: limit, offset: offset)
    }

    /// The queue filtered, searched by case code and ordered (oldest first by default: the case
    /// waiting longest comes first). Metadata only, like `queue(statuses:by:)`.
    public func queue(_ query: IncidentQueueQuery, by user: User) async throws -> [StoredIncident] {
        try requireHandler(user)
        return try await incidents.queue(query)
    }

    /// The handler's classification, with the type — and, when given, the district and the
    /// motivations — as the handler established them; statistics count the case with these, and
    /// only once it is classified as bias-motivated. `district: .some(nil)` means "unknown /
    /// online"; nil leaves the reporter's choice.
    public func triage(id: IncidentID, category: IncidentCategory, classification: IncidentClassification,
                       district: District?? = nil, motivations: Set<BiasMotivation>? = nil,
                       note: String, by user: User, key: HandlerPrivateKey?) async throws {
        if let motivations, motivations.isEmpty {
            throw DomainError.invalid([FieldError(field: "motivation", messageKey: "error.incident.motivation",
                                                  message: "choose at least one motivation")])
        }
        try await change(id: id, by: user, key: key, action: "incident.triaged") { stored, seal in
            stored.category = category
            stored.classification = classification
            if let district { stored.district = district }
            if let motivations { stored.motivations = motivations }
            if stored.status == .received { stored.status = .triaged }
            return StoredIncidentEvent(incidentID: stored.id, kind: .statusChange, on: today, sealedText: try seal(note, "event"),
                                       by: user.id)
        }
    }

    public func refer(id: IncidentID, to target: ReferralTarget, on date: CalendarDate, note: String, isPublic: Bool,
                      by user: User, key: HandlerPrivateKey?) async throws {
        try await change(id: id, by: user, key: key, action: "incident.referred") { stored, seal in
            if stored.status != .closed { stored.status = .referred }
            return StoredIncidentEvent(incidentID: stored.id, kind: .referral, on: date, sealedText: try seal(note, "event"),
                                       referral: target, isPublic: isPublic, by: user.id)
        }
    }

    public func addAction(id: IncidentID, on date: CalendarDate, text: String, isPublic: Bool, by user: User, key: HandlerPrivateKey?) async throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalid([FieldError(field: "text", messageKey: "error.incident.narrative", message: "write what was done")])
        }
        try await change(id: id, by: user, key: key, action: "incident.action") { stored, seal in
            StoredIncidentEvent(incidentID: stored.id, kind: .action, on: date, sealedText: try seal(text, "event"),
                                isPublic: isPublic, by: user.id)
        }
    }

    /// What is wrong with closing case `id` this way (empty: it may be closed), so the page can
    /// say so before asking for confirmation.
    public func closingProblems(id: IncidentID, outcomeKind: IncidentOutcome?, duplicateOf: String,
                                outcome: String) async throws -> [FieldError] {
        var problems: [FieldError] = []
        switch outcomeKind {
        case nil:
            problems.append(FieldError(field: "outcomeKind", messageKey: "error.incident.outcome-kind",
                                       message: "choose how the case ended"))
        case .duplicate?:
            var other: StoredIncident?
            if let code = CaseCredentials.canonicalCode(duplicateOf) { other = try await incidents.incident(caseCode: code) }
            if other == nil || other?.id == id {
                problems.append(FieldError(field: "duplicateOf", messageKey: "error.incident.duplicate-of",
                                           message: "give the code of the other case (KR-XXXX-XXXX)"))
            }
        case let kind?:
            if !kind.excludesFromStatistics, outcome.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldError(field: "outcome", messageKey: "error.incident.outcome", message: "say how the case ended"))
            }
        }
        return problems
    }

    /// Closes a case for good with how it ended. Resolved, referred-on and no-further-action need
    /// a sentence on the outcome; spam and a test may go without; a duplicate names the other case
    /// (an existing case other than this one). Spam, tests and duplicates leave every public
    /// figure (`IncidentOutcome.excludesFromStatistics`).
    public func close(id: IncidentID, outcomeKind: IncidentOutcome?, duplicateOf: String = "", outcome: String,
                      publicNote: String, by user: User, key: HandlerPrivateKey?) async throws {
        try requireHandler(user)
        let problems = try await closingProblems(id: id, outcomeKind: outcomeKind, duplicateOf: duplicateOf, outcome: outcome)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let duplicateCode = outcomeKind == .duplicate ? CaseCredentials.canonicalCode(duplicateOf) : nil
        try await change(id: id, by: user, key: key, action: "incident.closed") { stored, seal in
            stored.status = .closed
            stored.closedOn = today
            stored.outcomeKind = outcomeKind
            stored.duplicateOf = duplicateCode
            stored.sealedOutcome = try seal(outcome, "outcome")
            return StoredIncidentEvent(incidentID: stored.id, kind: .statusChange, on: today, sealedText: try seal(publicNote, "event"),
                                       isPublic: !publicNote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, by: user.id)
        }
    }

    /// The retention rule: free text and contact of cases closed `months` ago or more are removed.
    /// Run by the housekeeping service; always writes an audit entry, also when nothing was due.
    @discardableResult
    public func purge(retentionMonths months: Int) async throws -> Int {
        let cutOff = today.addingMonths(-months)
        let today = self.today
        let purged = try await audit.atomically { [self] in
            let purged = try await incidents.purge(closedOnOrBefore: cutOff, today: today)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.retention",
                                              subject: "incidents", detail: "purged \(purged) case(s) closed on or before \(cutOff)"))
            return purged
        }
        // The removed texts must leave the files too, not only the rows (SQLite's WAL, PostgreSQL's
        // dead tuples). Run on every pass, so a pass that failed here is made good by the next.
        try await incidents.scrubRemovedText(afterPurging: purged)
        return purged
    }

    /// Appends the audit entries of anonymous reporters held since an earlier day (run by the
    /// housekeeping service); their place in the chain is after their day ended.
    @discardableResult
    public func releaseHeldAuditEntries() async throws -> Int {
        try await audit.releaseHeld(before: clock.start(of: today))
    }

    // MARK: Helpers

    func requireHandler(_ user: User) throws {
        guard Self.handlers.contains(user.role), !user.isDisabled else { throw DomainError.notFound("Case") }
    }

    /// Applies a handler's change: the body gets a sealer for the case's texts (nil for empty
    /// text), which needs the case's content key, so only a handler who can read the case changes
    /// it. A public event also gets a copy sealed to the reporter's key.
    func change(id: IncidentID, by user: User, key: HandlerPrivateKey?, action: String,
                _ body: (inout StoredIncident, _ seal: (String, String) throws -> String?) throws -> StoredIncidentEvent) async throws {
        try requireHandler(user)
        guard var stored = try await incidents.incident(id: id) else { throw DomainError.notFound("Case \(id)") }
        guard stored.purgedOn == nil else { throw DomainError.conflict("the case's details were removed under the retention rule") }
        // Closing is final: nothing is triaged, referred, added or closed again afterwards.
        guard stored.status != .closed else { throw DomainError.conflict("the case is closed") }
        let content: CaseContentKey
        switch try await keys.contentKey(for: stored, user: user, key: key) {
        case let .success(value): content = value
        case .failure(.signInAgain): throw DomainError.forbidden("Sign in again to unlock your key for the case.")
        case .failure(.notGranted): throw DomainError.forbidden("You cannot read this case yet: a handler who can must grant you access.")
        }
        let code = stored.caseCode
        var plain: String?
        var event = try body(&stored) { text, field in
            let trimmed = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(IncidentReport.maxNarrative))
            if field == "event" { plain = trimmed }
            return trimmed.isEmpty ? nil : try content.seal(trimmed, caseCode: code, field: field)
        }
        if event.isPublic, let plain, !plain.isEmpty { event.sealedForReporter = try reporterCopy(plain, stored) }
        var detail = "status \(stored.status.rawValue)"
        if action == "incident.closed", let kind = stored.outcomeKind {
            detail += ", outcome \(kind.rawValue)" + (stored.duplicateOf.map { " of \($0)" } ?? "")
        }
        let changed = stored, added = event
        let entry = AuditEntry(at: clock.now(), actorUserID: user.id, action: action, subject: "incident:\(changed.caseCode)",
                               detail: detail)
        // The case, its event and the audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await incidents.update(changed)
            try await incidents.addEvent(added)
            try await audit.record(entry)
        }
    }

    /// A public update sealed to the reporter's key, when the case has one.
    func reporterCopy(_ text: String, _ stored: StoredIncident) throws -> String? {
        guard let reporter = stored.reporterPublicKey else { return nil }
        return try IncidentCrypto.seal(Data(text.utf8), to: reporter, purpose: "reporter-update", caseCode: stored.caseCode)
    }

    /// Public updates written before the reporter's key was known get their copy now.
    func completeReporterCopies(_ stored: StoredIncident, events: [StoredIncidentEvent], content: CaseContentKey) async throws {
        guard stored.reporterPublicKey != nil else { return }
        var copies: [Int64: String] = [:]
        for event in events where event.isPublic && event.sealedForReporter == nil && event.id > 0 {
            guard let sealed = event.sealedText, let text = try? content.open(sealed, caseCode: stored.caseCode, field: "event") else { continue }
            copies[event.id] = try reporterCopy(text, stored)
        }
        if !copies.isEmpty { try await incidents.setReporterCopies(copies) }
    }

    func decrypt(_ s: StoredIncident, events: [StoredIncidentEvent], content: CaseContentKey) throws -> IncidentCase {
        func open(_ value: String?, _ field: String) throws -> String? {
            try value.map { try content.open($0, caseCode: s.caseCode, field: field) }
        }
        return IncidentCase(
            metadata: s.metadata, narrative: try open(s.sealedNarrative, "narrative"),
            place: try open(s.sealedPlace, "place"), contact: try open(s.sealedContact, "contact"),
            outcome: try open(s.sealedOutcome, "outcome"),
            events: try events.map {
                IncidentEvent(kind: $0.kind, on: $0.on, text: try open($0.sealedText, "event"), referral: $0.referral,
                              isPublic: $0.isPublic, by: $0.by)
            })
    }
}

extension CalendarDate {
    /// The same day `months` months later (earlier when negative), clamped to the month's length.
    public func addingMonths(_ months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        for d in stride(from: day, through: 1, by: -1) {
            if let date = CalendarDate(year: y, month: m, day: d) { return date }
        }
        return CalendarDate(year: y, month: m, day: 28)!
    }
}
