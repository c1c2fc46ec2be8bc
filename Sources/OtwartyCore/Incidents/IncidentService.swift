import Foundation

/// The reaction mechanism for racist and xenophobic incidents (Goal 6): anonymous reports, the
/// reporter's way back with a case code and passphrase, and the handler's case work. Every read of
/// a case's contents by staff is written to the audit trail; the free text is sealed at rest.
public struct IncidentService: Sendable {
    public let incidents: any IncidentRepository
    public let audit: any AuditLog
    public let cipher: FieldCipher
    public let clock: OfficeClock

    /// Who may open cases: the programme coordinator and incident handlers. Administrators manage
    /// accounts, not cases: reading special-category data is not part of their job.
    public static let handlers: Set<Role> = [.programmeCoordinator, .incidentHandler]

    public init(incidents: any IncidentRepository, audit: any AuditLog, cipher: FieldCipher,
                clock: OfficeClock) {
        self.incidents = incidents
        self.audit = audit
        self.cipher = cipher
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
            func seal(_ text: String, _ field: String) throws -> String? {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : try cipher.seal(trimmed, context: "\(code)/\(field)")
            }
            let stored = StoredIncident(
                metadata: IncidentMetadata(
                    caseCode: code, receivedOn: today, occurredOn: report.occurredOn, district: report.district,
                    category: report.category, motivations: report.motivations, reporterRole: report.reporterRole,
                    policeInformed: report.policeInformed, language: report.language, consentToContact: report.consentToContact),
                passphraseDigest: CaseCredentials.digest(passphrase: credentials.passphrase, caseCode: code),
                sealedNarrative: try seal(report.narrative, "narrative"), sealedPlace: try seal(report.place, "place"),
                sealedContact: try seal(report.contact, "contact"))
            do {
                _ = try await incidents.create(stored)
                // No actor, no detail, no time of day: the trail records that a report arrived on
                // this day, nothing about who sent it or when (docs/security.md).
                try await audit.hold(AuditEntry(at: clock.start(of: today), actorUserID: nil, action: "incident.received",
                                                subject: "incident:\(code)"))
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

    /// The same error for an unknown code and a wrong passphrase, so neither can be probed.
    public func status(caseCode: String, passphrase: String) async throws -> PublicStatus {
        let stored = try await authorised(caseCode: caseCode, passphrase: passphrase)
        let events = try await incidents.events(incidentID: stored.id)
        let updates = try events.filter { $0.isPublic }.map { try open($0, code: stored.caseCode) }
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
        try await incidents.addEvent(StoredIncidentEvent(
            incidentID: stored.id, kind: .reporterNote, on: today,
            sealedText: try cipher.seal(trimmed, context: "\(stored.caseCode)/event"), isPublic: true))
        try await audit.hold(AuditEntry(at: clock.start(of: today), actorUserID: nil, action: "incident.reporter-note",
                                        subject: "incident:\(stored.caseCode)"))
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

    /// Opens a case for a handler and writes the view to the audit trail.
    public func open(id: IncidentID, by user: User) async throws -> IncidentCase {
        try requireHandler(user)
        guard let stored = try await incidents.incident(id: id) else { throw DomainError.notFound("Case \(id)") }
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "incident.viewed", subject: "incident:\(stored.caseCode)"))
        return try decrypt(stored, events: try await incidents.events(incidentID: id))
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
                       note: String, by user: User) async throws {
        if let motivations, motivations.isEmpty {
            throw DomainError.invalid([FieldError(field: "motivation", messageKey: "error.incident.motivation",
                                                  message: "choose at least one motivation")])
        }
        try await change(id: id, by: user, action: "incident.triaged") { stored in
            stored.category = category
            stored.classification = classification
            if let district { stored.district = district }
            if let motivations { stored.motivations = motivations }
            if stored.status == .received { stored.status = .triaged }
            return StoredIncidentEvent(incidentID: stored.id, kind: .statusChange, on: today,
                                       sealedText: try sealOptional(note, code: stored.caseCode), by: user.id)
        }
    }

    public func refer(id: IncidentID, to target: ReferralTarget, on date: CalendarDate, note: String, isPublic: Bool,
                      by user: User) async throws {
        try await change(id: id, by: user, action: "incident.referred") { stored in
            if stored.status != .closed { stored.status = .referred }
            return StoredIncidentEvent(incidentID: stored.id, kind: .referral, on: date,
                                       sealedText: try sealOptional(note, code: stored.caseCode), referral: target,
                                       isPublic: isPublic, by: user.id)
        }
    }

    public func addAction(id: IncidentID, on date: CalendarDate, text: String, isPublic: Bool, by user: User) async throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalid([FieldError(field: "text", messageKey: "error.incident.narrative", message: "write what was done")])
        }
        try await change(id: id, by: user, action: "incident.action") { stored in
            StoredIncidentEvent(incidentID: stored.id, kind: .action, on: date,
                                sealedText: try sealOptional(text, code: stored.caseCode), isPublic: isPublic, by: user.id)
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
                      publicNote: String, by user: User) async throws {
        try requireHandler(user)
        let problems = try await closingProblems(id: id, outcomeKind: outcomeKind, duplicateOf: duplicateOf, outcome: outcome)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let duplicateCode = outcomeKind == .duplicate ? CaseCredentials.canonicalCode(duplicateOf) : nil
        try await change(id: id, by: user, action: "incident.closed") { stored in
            stored.status = .closed
            stored.closedOn = today
            stored.outcomeKind = outcomeKind
            stored.duplicateOf = duplicateCode
            stored.sealedOutcome = try sealOptional(outcome, code: stored.caseCode, field: "outcome")
            return StoredIncidentEvent(incidentID: stored.id, kind: .statusChange, on: today,
                                       sealedText: try sealOptional(publicNote, code: stored.caseCode),
                                       isPublic: !publicNote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, by: user.id)
        }
    }

    /// The retention rule: free text and contact of cases closed `months` ago or more are removed.
    /// Run by the housekeeping service; always writes an audit entry, also when nothing was due.
    @discardableResult
    public func purge(retentionMonths months: Int) async throws -> Int {
        let cutOff = today.addingMonths(-months)
        let purged = try await incidents.purge(closedOnOrBefore: cutOff, today: today)
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "incident.retention",
                                          subject: "incidents", detail: "purged \(purged) case(s) closed on or before \(cutOff)"))
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

    func change(id: IncidentID, by user: User, action: String,
                _ body: (inout StoredIncident) throws -> StoredIncidentEvent) async throws {
        try requireHandler(user)
        guard var stored = try await incidents.incident(id: id) else { throw DomainError.notFound("Case \(id)") }
        guard stored.purgedOn == nil else { throw DomainError.conflict("the case's details were removed under the retention rule") }
        // Closing is final: nothing is triaged, referred, added or closed again afterwards.
        guard stored.status != .closed else { throw DomainError.conflict("the case is closed") }
        let event = try body(&stored)
        try await incidents.update(stored)
        try await incidents.addEvent(event)
        var detail = "status \(stored.status.rawValue)"
        if action == "incident.closed", let kind = stored.outcomeKind {
            detail += ", outcome \(kind.rawValue)" + (stored.duplicateOf.map { " of \($0)" } ?? "")
        }
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: action, subject: "incident:\(stored.caseCode)",
                                          detail: detail))
    }

    func sealOptional(_ text: String, code: String, field: String = "event") throws -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : try cipher.seal(String(trimmed.prefix(IncidentReport.maxNarrative)), context: "\(code)/\(field)")
    }

    func open(_ event: StoredIncidentEvent, code: String) throws -> IncidentEvent {
        IncidentEvent(kind: event.kind, on: event.on, text: try event.sealedText.map { try cipher.open($0, context: "\(code)/event") },
                      referral: event.referral, isPublic: event.isPublic, by: event.by)
    }

    func decrypt(_ s: StoredIncident, events: [StoredIncidentEvent]) throws -> IncidentCase {
        func open(_ value: String?, _ field: String) throws -> String? {
            try value.map { try cipher.open($0, context: "\(s.caseCode)/\(field)") }
        }
        return IncidentCase(
            metadata: s.metadata, narrative: try open(s.sealedNarrative, "narrative"),
            place: try open(s.sealedPlace, "place"), contact: try open(s.sealedContact, "contact"),
            outcome: try open(s.sealedOutcome, "outcome"), events: try events.map { try self.open($0, code: s.caseCode) })
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
