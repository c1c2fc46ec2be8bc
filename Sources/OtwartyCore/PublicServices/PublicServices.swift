import Foundation

/// The public side's workflows, each ending in the approved activity record that makes it count
/// toward its task's measure: publishing a document version (1.2, 1.3, 1.6), a month of
/// service-point ratings (1.5), a granted patronage (4.3).
public struct PublicServices: Sendable {
    public let repositories: Repositories
    public let clock: OfficeClock

    public init(repositories: Repositories, clock: OfficeClock) {
        self.repositories = repositories
        self.clock = clock
    }

    public static let editors: Set<Role> = [.administrator, .programmeCoordinator]
    /// Creating the one record a month of ratings (or an edition's nominations) counts through is a
    /// read-then-write: two first ratings at once must not both create one. Within a process this
    /// lock orders them; instances sharing a database would need the same (docs/public-side.md).
    static let countingLock = AsyncLock()
    var today: CalendarDate { clock.today }
    var recorder: ProgrammeOfficeRecorder {
        ProgrammeOfficeRecorder(activities: repositories.activities, organisations: repositories.organisations, clock: clock)
    }

    func programmeSlug() async throws -> String {
        guard let slug = try await repositories.programmes.summaries().first?.slug else { throw DomainError.notFound("Programme") }
        return slug
    }

    // MARK: Documents

    public func publish(kind: PublicDocumentKind, language: String, title: String, fileName: String, bytes: [UInt8],
                        by user: User) async throws -> PublicDocument {
        let title = title.trimmingCharacters(in: .whitespaces)
        let language = language.lowercased()
        let problems = PublicDocument.problems(title: title, language: language, fileName: fileName, size: bytes.count)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let ext = (fileName as NSString).pathExtension.lowercased()
        let safeName = String(fileName.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || ".-_".unicodeScalars.contains($0) }.map(Character.init)).prefix(120)
        let new = PublicDocument(kind: kind, language: language, title: title, publishedOn: today,
                                 fileName: safeName.isEmpty ? "document.\(ext)" : String(safeName),
                                 mediaType: PublicDocument.mediaTypes[ext] ?? "application/octet-stream", size: bytes.count,
                                 sha256: SHA256Hex.digest(bytes))
        let slug = try await programmeSlug()
        let today = self.today
        // The document, its record and the audit entry commit together or not at all (`AuditLog.atomically`).
        return try await repositories.audit.atomically { [self] in
            var document = try await repositories.documents.publish(new, bytes: bytes)
            let record = try await recorder.record(programmeSlug: slug, task: kind.taskCode, kind: kind.activityKind,
                                                   title: "\(title) (\(language)), v\(document.version)", on: today, languages: [language],
                                                   by: user.id)
            try await repositories.documents.setActivity(record.id, documentID: document.id)
            document.activityID = record.id
            try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "document.published",
                                                           subject: "document:\(document.id)",
                                                           detail: "\(kind.rawValue) \(language) v\(document.version) sha256 \(document.sha256)"))
            return document
        }
    }

    // MARK: Service points

    /// Adds a service point (`id` 0) or changes one; the programme office's editors only. Throws
    /// `invalid`, each problem naming its field, for a missing name or a text over its length.
    @discardableResult
    public func savePoint(_ point: ServicePoint, by user: User) async throws -> ServicePoint {
        guard Self.editors.contains(user.role) else { throw DomainError.forbidden("only the programme office edits service points") }
        let problems = point.problems()
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        return try await repositories.audit.atomically { [self] in
            let saved = try await repositories.servicePoints.save(point)
            try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "service-point.saved",
                                                           subject: "service-point:\(saved.id)", detail: saved.name))
            return saved
        }
    }

    /// Stores a rating (once per submission token) and keeps the month's record in task 1.5 at
    /// the month's number of ratings.
    @discardableResult
    public func rate(pointID: Int64, positive: Bool, comment: String, language: String, submission: String) async throws -> Bool {
        guard let point = try await repositories.servicePoints.point(id: pointID) else { throw DomainError.notFound("Service point") }
        guard comment.count <= ServiceFeedback.maxComment else {
            throw DomainError.invalid([FieldError(field: "comment", messageKey: "error.incident.too-long", message: "at most 2,000 characters")])
        }
        guard submission.count >= 16, submission.count <= 64 else {
            throw DomainError.invalid([FieldError(field: "submission", messageKey: "error.invalid", message: "reload the form")])
        }
        let day = today
        let stored = try await repositories.servicePoints.addFeedback(ServiceFeedback(
            pointID: pointID, positive: positive, comment: comment.trimmingCharacters(in: .whitespacesAndNewlines), language: language,
            receivedOn: day, submission: submission))
        guard stored else { return false }
        // The recount's record change and its `activity.held-for-review` entry commit together;
        // the unit is taken inside the lock, never the other way round (no lock-order deadlock).
        try await Self.countingLock.run { try await repositories.audit.atomically { try await recountMonth(point: point, day: day) } }
        return true
    }

    /// Keeps the month's record at the month's number of ratings. A month whose count jumps
    /// beyond the usual (`BurstReview`, against the point's six months before) waits for the
    /// coordinator's approval instead of counting at once.
    private func recountMonth(point: ServicePoint, day: CalendarDate) async throws {
        let pointID = point.id
        var summaries = try await repositories.servicePoints.feedbackSummary(year: day.year)
        if day.month <= BurstReview.history { summaries += try await repositories.servicePoints.feedbackSummary(year: day.year - 1) }
        func monthCount(_ year: Int, _ month: Int) -> Int {
            summaries.first { $0.pointID == pointID && $0.year == year && $0.month == month }.map { $0.positive + $0.negative } ?? 0
        }
        let count = monthCount(day.year, day.month)
        let previous = (1...BurstReview.history).reversed().map { back -> Int in
            let month = CalendarDate(year: day.year, month: day.month, day: 1).map { $0.addingMonths(-back) } ?? day
            return monthCount(month.year, month.month)
        }
        let rule = BurstReview(previous: previous)
        let what = "ocen w tym miesiącu", basis = "6 poprzednich miesięcy"
        if let id = try await repositories.servicePoints.monthActivity(pointID: pointID, year: day.year, month: day.month),
           let record = try await repositories.activities.record(id: id) {
            var approved = try await repositories.servicePoints.monthApprovedCount(pointID: pointID, year: day.year, month: day.month)
            // An approved record above what counts without review was approved by the coordinator:
            // the count they approved is the new base.
            if record.status == .approved, let shown = record.participants, rule.needsReview(count: shown, approved: approved) {
                approved = shown
                try await repositories.servicePoints.setMonthApprovedCount(shown, pointID: pointID, year: day.year, month: day.month)
            }
            let verdict = rule.verdict(count: count, approved: approved, current: record.status, comment: record.reviewComment,
                                       what: what, basis: basis)
            try await recorder.setParticipants(count, of: id, verdict: verdict)
            if verdict.status == .submitted, record.status != .submitted { try await held(id, verdict) }
        } else {
            let first = CalendarDate(year: day.year, month: day.month, day: 1) ?? day
            let verdict = rule.verdict(count: count, approved: 0, current: nil, what: what, basis: basis)
            let record = try await recorder.record(programmeSlug: try await programmeSlug(), task: "1.5", kind: .consultation,
                                                   title: "Oceny: \(point.name), \(day.year)-\(day.month < 10 ? "0" : "")\(day.month)",
                                                   on: first, participants: count, by: nil, verdict: verdict)
            try await repositories.servicePoints.setMonthActivity(record.id, pointID: pointID, year: day.year, month: day.month)
            if verdict.status == .submitted { try await held(record.id, verdict) }
        }
    }

    /// The audit entry for a record held for review: nobody acted, the rule did.
    private func held(_ id: ActivityID, _ verdict: BurstReview.Verdict) async throws {
        try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "activity.held-for-review",
                                                       subject: "activity:\(id)", detail: verdict.reviewComment ?? ""))
    }

    // MARK: Patronage

    public func submitPatronage(_ request: PatronageRequest) async throws -> PatronageRequest {
        let problems = request.problems(today: today)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        return try await repositories.patronage.submit(request)
    }

    /// What a decision needs before it is made (the page's confirmation step asks this first):
    /// the request exists, is still pending, and the reason is given.
    public func checkPatronageDecision(_ request: PatronageRequest?, id: Int64, reason: String) throws -> PatronageRequest {
        guard let request else { throw DomainError.notFound("Request \(id)") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2_000 else {
            throw DomainError.invalid([FieldError(field: "reason", messageKey: "error.patronage.reason", message: "give the reason")])
        }
        guard request.status == .pending else { throw DomainError.conflict("the request was already decided") }
        return request
    }

    public func decidePatronage(id: Int64, grant: Bool, reason: String, by user: User) async throws {
        let request = try checkPatronageDecision(try await repositories.patronage.request(id: id), id: id, reason: reason)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        // Decided first, in one conditional update: of two coordinators deciding at once only one
        // wins, so a patronage can never be counted twice.
        let slug = try await programmeSlug()
        let today = self.today
        // The decision, its record and the audit entry commit together or not at all (`AuditLog.atomically`).
        try await repositories.audit.atomically { [self] in
            guard try await repositories.patronage.decide(id: id, status: grant ? .granted : .refused, on: today, reason: reason,
                                                          activityID: nil) else {
                throw DomainError.conflict("the request was already decided")
            }
            if grant {
                let record = try await recorder.record(programmeSlug: slug, task: "4.3", kind: .patronage,
                                                       title: "Patronat: \(request.project) (\(request.applicant))", on: request.startsOn,
                                                       languages: [request.language], by: user.id)
                try await repositories.patronage.setActivity(record.id, requestID: id)
            }
            try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: grant ? "patronage.granted" : "patronage.refused",
                                                           subject: "patronage:\(id)", detail: reason))
        }
    }

    // MARK: Ambassador

    /// Who scores nominations: the programme coordinator and read-only members (the jury is
    /// usually councillors and invited experts, given viewer accounts).
    public static let jurors: Set<Role> = [.programmeCoordinator, .viewer]

    @discardableResult
    public func nominate(_ nomination: Nomination) async throws -> Bool {
        guard let edition = try await repositories.ambassador.edition(year: nomination.year), edition.isOpen(on: today) else {
            throw DomainError.conflict("nominations are not open")
        }
        let problems = nomination.problems()
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        guard (16...64).contains(nomination.submission.count) else {
            throw DomainError.invalid([FieldError(field: "submission", messageKey: "error.invalid", message: "reload the form")])
        }
        guard try await repositories.ambassador.nominate(nomination) else { return false }
        try await Self.countingLock.run { try await repositories.audit.atomically { try await recountNominations(year: edition.year) } }
        return true
    }

    /// The edition's record in task 4.2 holds the number of nominations as its participants. An
    /// edition whose nominations jump beyond the usual (`BurstReview`, against the up to six
    /// editions before) waits for the coordinator's approval instead of counting at once.
    private func recountNominations(year: Int) async throws {
        guard var edition = try await repositories.ambassador.edition(year: year) else { return }
        let count = try await repositories.ambassador.nominations(year: edition.year).count
        var previous: [Int] = []
        for earlier in try await repositories.ambassador.editions().map(\.year).filter({ $0 < year }).sorted().suffix(BurstReview.history) {
            previous.append(try await repositories.ambassador.nominations(year: earlier).count)
        }
        let rule = BurstReview(previous: previous)
        let what = "wniosków w tej edycji", basis = "poprzednich edycji"
        if let id = edition.nominationsActivity, let record = try await repositories.activities.record(id: id) {
            if record.status == .approved, let shown = record.participants, rule.needsReview(count: shown, approved: edition.nominationsApproved) {
                edition.nominationsApproved = shown
                try await repositories.ambassador.saveEdition(edition)
            }
            let verdict = rule.verdict(count: count, approved: edition.nominationsApproved, current: record.status,
                                       comment: record.reviewComment, what: what, basis: basis)
            try await recorder.setParticipants(count, of: id, verdict: verdict)
            if verdict.status == .submitted, record.status != .submitted { try await held(id, verdict) }
        } else {
            let verdict = rule.verdict(count: count, approved: 0, current: nil, what: what, basis: basis)
            edition.nominationsActivity = try await recorder.record(
                programmeSlug: try await programmeSlug(), task: "4.2", kind: .other,
                title: "Krakowski Ambasador Wielokulturowości \(edition.year): wnioski", on: edition.opensOn, participants: count, by: nil,
                verdict: verdict).id
            try await repositories.ambassador.saveEdition(edition)
            if verdict.status == .submitted, let id = edition.nominationsActivity { try await held(id, verdict) }
        }
    }

    /// Saves the edition's dates; recording the gala or the meeting with the Mayor adds its meeting
    /// to task 4.2 (once).
    public func saveEdition(_ edition: AmbassadorEdition, by user: User) async throws {
        // Under the counting lock: a nomination arriving meanwhile may be creating the edition's record.
        try await Self.countingLock.run { try await repositories.audit.atomically { try await saveEditionLocked(edition, by: user) } }
    }

    private func saveEditionLocked(_ edition: AmbassadorEdition, by user: User) async throws {
        var edition = edition
        let existing = try await repositories.ambassador.edition(year: edition.year)
        edition.nominationsActivity = existing?.nominationsActivity
        edition.nominationsApproved = existing?.nominationsApproved ?? 0
        edition.galaActivity = existing?.galaActivity
        edition.meetingActivity = existing?.meetingActivity
        guard edition.opensOn <= edition.closesOn else {
            throw DomainError.invalid([FieldError(field: "closesOn", messageKey: "error.patronage.dates", message: "closes before it opens")])
        }
        let slug = try await programmeSlug()
        if let gala = edition.galaOn, edition.galaActivity == nil, gala <= today {
            edition.galaActivity = try await recorder.record(programmeSlug: slug, task: "4.2", kind: .meeting,
                                                             title: "Gala Krakowskiego Ambasadora Wielokulturowości \(edition.year)",
                                                             on: gala, by: user.id).id
        }
        if let meeting = edition.meetingOn, edition.meetingActivity == nil, meeting <= today {
            edition.meetingActivity = try await recorder.record(programmeSlug: slug, task: "4.2", kind: .meeting,
                                                                title: "Spotkanie Ambasadorów \(edition.year) z Prezydentem Miasta",
                                                                on: meeting, by: user.id).id
        }
        try await repositories.ambassador.saveEdition(edition)
        try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "ambassador.edition", subject: "ambassador:\(edition.year)"))
    }

    public func score(nominationID: Int64, score: Int, by user: User) async throws {
        guard Self.jurors.contains(user.role) else { throw DomainError.forbidden("only the jury scores nominations") }
        guard (0...10).contains(score) else {
            throw DomainError.invalid([FieldError(field: "score", messageKey: "error.nomination.score", message: "0–10")])
        }
        try await repositories.ambassador.score(nominationID: nominationID, juror: user.id, score: score)
    }

    /// Marks a nomination as a winner of its edition, or takes the mark away; the programme
    /// office's editors only.
    public func setWinner(nominationID: Int64, winner: Bool, by user: User) async throws {
        guard Self.editors.contains(user.role) else { throw DomainError.forbidden("only the programme office names winners") }
        try await repositories.audit.atomically { [self] in
            try await repositories.ambassador.setWinner(nominationID: nominationID, winner: winner)
            try await repositories.audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "ambassador.winner",
                                                           subject: "nomination:\(nominationID)", detail: winner ? "1" : "0"))
        }
    }
}
