import Foundation

/// The reporting workflow: units and partners draft and submit records for their own
/// organisation; the programme coordinator approves them or returns them with a comment; only
/// approved records count. Every change is written to the audit trail with before and after.
public struct ActivityService: Sendable {
    public let activities: any ActivityRepository
    public let programmes: any ProgrammeRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(activities: any ActivityRepository, programmes: any ProgrammeRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.activities = activities
        self.programmes = programmes
        self.audit = audit
        self.clock = clock
    }

    /// Roles that review (approve, return) and may act for any organisation.
    public static let reviewers: Set<Role> = [.administrator, .programmeCoordinator]
    /// Roles that report for their own organisation.
    public static let reporters: Set<Role> = [.unitCoordinator, .partner]

    // MARK: Reading
    //
    // Least privilege (docs/security.md, "Least privilege: who sees what"):
    // - reviewers (administrator, programme coordinator) read every record with its workings;
    // - reporters (unit coordinators, partners) read their own organisation's records in every
    //   state with their workings, and other organisations' approved records without them; a
    //   reporter bound to no organisation reads nothing (and can create nothing);
    // - viewers (council members, jurors) and incident handlers read approved records only —
    //   what the dashboard, the annual report and open data are made of — without workings.
    // "Workings" are the review comment and the audit trail of a record.

    /// Whether `user` may see `record` at all.
    public static func canRead(_ record: ActivityRecord, as user: User) -> Bool {
        switch user.role {
        case .administrator, .programmeCoordinator:
            return true
        case .unitCoordinator, .partner:
            guard let own = user.organisationID else { return false }
            return record.organisationID == own || record.status == .approved
        case .viewer, .incidentHandler:
            return record.status == .approved
        }
    }

    /// Whether `user` may see how `record` got where it is: the review comment and the audit trail.
    public static func canReadWorkings(_ record: ActivityRecord, as user: User) -> Bool {
        if reviewers.contains(user.role) { return true }
        guard reporters.contains(user.role), let own = user.organisationID else { return false }
        return record.organisationID == own
    }

    /// `record` as `user` may see it: the review comment only for those who may read the workings.
    public static func redacted(_ record: ActivityRecord, for user: User) -> ActivityRecord {
        guard !canReadWorkings(record, as: user) else { return record }
        var copy = record
        copy.reviewComment = nil
        return copy
    }

    /// One record as `user` may see it (lists, detail pages, exports, the API all read through here).
    public func record(id: ActivityID, as user: User) async throws -> ActivityRecord {
        Self.redacted(try await readable(id: id, as: user), for: user)
    }

    /// The record unredacted, for the write paths (which check the writer themselves).
    func readable(id: ActivityID, as user: User) async throws -> ActivityRecord {
        guard let record = try await activities.record(id: id), Self.canRead(record, as: user) else {
            // Not found and not allowed look the same: ids of others' drafts reveal nothing.
            throw DomainError.notFound("Activity \(id)")
        }
        return record
    }

    /// The filter narrowed to what `user` may see. An empty `statuses` selects nothing.
    public static func visibleFilter(_ filter: ActivityFilter, as user: User) -> ActivityFilter {
        var visible = filter
        switch user.role {
        case .administrator, .programmeCoordinator:
            break
        case .unitCoordinator, .partner:
            guard let own = user.organisationID else {
                visible.statuses = []
                break
            }
            if let requested = filter.organisationID, requested != own {
                visible.statuses = filter.statuses.intersection([.approved])
            } else {
                visible.organisationID = own
            }
        case .viewer, .incidentHandler:
            visible.statuses = filter.statuses.intersection([.approved])
        }
        return visible
    }

    /// A page of the records `user` may see that match `filter`, newest first.
    public func list(_ filter: ActivityFilter, limit: Int, offset: Int, as user: User) async throws -> [ActivityRecord] {
        try await activities.list(Self.visibleFilter(filter, as: user), limit: limit, offset: offset)
            .filter { Self.canRead($0, as: user) }
            .map { Self.redacted($0, for: user) }
    }

    /// How many records `user` may see match `filter`.
    public func count(_ filter: ActivityFilter, as user: User) async throws -> Int {
        try await activities.count(Self.visibleFilter(filter, as: user))
    }

    /// The audit trail of a record, newest first, or nil when `user` may not read its workings.
    public func history(of record: ActivityRecord, as user: User, limit: Int = 100) async throws -> [AuditEntry]? {
        guard Self.canRead(record, as: user), Self.canReadWorkings(record, as: user) else { return nil }
        return try await audit.entries(subject: "activity:\(record.id)", limit: limit)
    }

    /// Whether `user` may create records at all (for whom is checked on each write).
    public static func canCreate(as user: User) -> Bool {
        if reviewers.contains(user.role) { return true }
        return reporters.contains(user.role) && user.organisationID != nil
    }

    /// Whether `user` may change `record`'s fields now: reviewers any record (an approved one stays
    /// approved and the trail shows the correction); its own organisation while it is a draft or
    /// returned — submitted records wait for review, approved ones count and are reopened only by
    /// the coordinator (`returnForChanges`).
    public static func canEdit(_ record: ActivityRecord, as user: User) -> Bool {
        if reviewers.contains(user.role) { return true }
        guard reporters.contains(user.role), let own = user.organisationID, own == record.organisationID else { return false }
        return [.draft, .returned].contains(record.status)
    }

    /// The records waiting for review that match `filter`, who waited longest first.
    public func queue(_ filter: ActivityFilter, limit: Int, offset: Int, as user: User) async throws -> [ActivityRecord] {
        try requireReviewer(user)
        var waiting = filter
        waiting.statuses = [.submitted]
        waiting.order = .longestWaiting
        return try await list(waiting, limit: limit, offset: offset, as: user)
    }

    // MARK: Writing

    public func create(programmeSlug: String, input: ActivityInput, as user: User) async throws -> ActivityRecord {
        let input = input.normalised()
        try requireWriteAccess(to: input.organisationID, as: user)
        try await validate(input, programmeSlug: programmeSlug)
        // Each write below stores the change and its audit entry together or not at all
        // (`AuditLog.atomically`): a crash between them must not leave a change unaudited.
        return try await audit.atomically { [self] in
            let record = try await activities.create(programmeSlug: programmeSlug, input: input, status: .draft, by: user.id, at: clock.now())
            try await log(user, "activity.created", record, before: nil, after: record)
            return record
        }
    }

    /// Edits a record. Reporters may edit drafts and returned records of their organisation;
    /// reviewers may edit any record (an approved one stays approved, and the trail shows the change).
    public func update(id: ActivityID, input: ActivityInput, as user: User) async throws -> ActivityRecord {
        let input = input.normalised()
        return try await audit.atomically { [self] in
            let before = try await readable(id: id, as: user)
            try requireWriteAccess(to: before.organisationID, as: user)
            try requireWriteAccess(to: input.organisationID, as: user)
            guard Self.canEdit(before, as: user) else {
                throw DomainError.conflict("Only draft or returned records can be edited; this one is \(before.status.rawValue).")
            }
            try await validate(input, programmeSlug: before.programmeSlug)
            try await activities.update(id: id, input: input, status: before.status, reviewComment: before.reviewComment, at: clock.now())
            return try await afterChange(user, "activity.updated", before: before)
        }
    }

    public func submit(id: ActivityID, as user: User) async throws -> ActivityRecord {
        try await audit.atomically { [self] in
            let before = try await readable(id: id, as: user)
            try requireWriteAccess(to: before.organisationID, as: user)
            guard [.draft, .returned].contains(before.status) else {
                throw DomainError.conflict("Only draft or returned records can be submitted; this one is \(before.status.rawValue).")
            }
            try await activities.update(id: id, input: before.input, status: .submitted, reviewComment: before.reviewComment, at: clock.now())
            return try await afterChange(user, "activity.submitted", before: before)
        }
    }

    public func approve(id: ActivityID, as user: User) async throws -> ActivityRecord {
        try requireReviewer(user)
        return try await audit.atomically { [self] in
            let before = try await readable(id: id, as: user)
            guard before.status == .submitted else {
                throw DomainError.conflict("Only submitted records can be approved; this one is \(before.status.rawValue).")
            }
            try await activities.update(id: id, input: before.input, status: .approved, reviewComment: nil, at: clock.now())
            return try await afterChange(user, "activity.approved", before: before)
        }
    }

    /// Sends a submitted record back to its organisation with a comment, or reopens an approved one
    /// (it stops counting until approved again; frozen report versions keep what they printed).
    /// The web asks the coordinator to confirm a reopening; the trail names it `activity.reopened`.
    public func returnForChanges(id: ActivityID, comment: String, as user: User) async throws -> ActivityRecord {
        try requireReviewer(user)
        try Self.checkReturnComment(comment)
        let comment = comment.trimmingWhitespace()
        return try await audit.atomically { [self] in
            let before = try await readable(id: id, as: user)
            guard [.submitted, .approved].contains(before.status) else {
                throw DomainError.conflict("Only submitted or approved records can be returned; this one is \(before.status.rawValue).")
            }
            try await activities.update(id: id, input: before.input, status: .returned, reviewComment: comment, at: clock.now())
            return try await afterChange(user, before.status == .approved ? "activity.reopened" : "activity.returned", before: before)
        }
    }

    // MARK: Rules

    /// A return or reopening needs a comment the organisation reads: 1–2000 characters.
    public static func checkReturnComment(_ comment: String) throws {
        let comment = comment.trimmingWhitespace()
        guard !comment.isEmpty, comment.count <= 2000 else {
            throw DomainError.invalid([FieldError(field: "comment", messageKey: "error.activity.comment",
                                                  message: "a comment (up to 2000 characters) is required when returning a record")])
        }
    }

    func requireWriteAccess(to organisationID: OrganisationID, as user: User) throws {
        if Self.reviewers.contains(user.role) { return }
        guard Self.reporters.contains(user.role) else {
            throw DomainError.forbidden("Your role cannot report activities.")
        }
        guard let own = user.organisationID else {
            throw DomainError.forbidden("Your account is bound to no organisation, so it cannot report; ask an administrator.")
        }
        guard own == organisationID else {
            throw DomainError.forbidden("You can report only for your own organisation.")
        }
    }

    func requireReviewer(_ user: User) throws {
        guard Self.reviewers.contains(user.role) else {
            throw DomainError.forbidden("Only the programme coordinator reviews records.")
        }
    }

    func validate(_ input: ActivityInput, programmeSlug: String) async throws {
        guard let programme = try await programmes.programme(slug: programmeSlug) else {
            throw DomainError.notFound("Programme \(programmeSlug)")
        }
        let problems = input.problems(in: programme)
        if !problems.isEmpty { throw DomainError.invalid(problems) }
    }

    func afterChange(_ user: User, _ action: String, before: ActivityRecord) async throws -> ActivityRecord {
        guard let after = try await activities.record(id: before.id) else { throw DomainError.notFound("Activity \(before.id)") }
        try await log(user, action, after, before: before, after: after)
        return after
    }

    func log(_ user: User, _ action: String, _ record: ActivityRecord, before: ActivityRecord?, after: ActivityRecord?) async throws {
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: action, subject: "activity:\(record.id)",
                                          detail: AuditSnapshot.json(before: before, after: after)))
    }
}

/// Before/after snapshots of a record for the audit trail, as compact JSON.
public enum AuditSnapshot {
    struct Snapshot: Encodable {
        var status: String
        var input: ActivityInput
        var reviewComment: String?
    }

    struct Change: Encodable {
        var before: Snapshot?
        var after: Snapshot?
    }

    public static func json(before: ActivityRecord?, after: ActivityRecord?) -> String {
        func snap(_ r: ActivityRecord?) -> Snapshot? {
            r.map { Snapshot(status: $0.status.rawValue, input: $0.input, reviewComment: $0.reviewComment) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(Change(before: snap(before), after: snap(after)))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
