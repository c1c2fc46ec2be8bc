import Foundation

/// The reporting workflow: units and partners draft and submit records for their own
/// organisation; the programme coordinator approves them or returns them with a comment; only
/// approved records count. Every change is written to the audit trail with before and after.
public struct ActivityService: Sendable {
    public let activities: any ActivityRepository
    public let programmes: any ProgrammeRepository
    public let audit: any AuditLog
    public let now: @Sendable () -> Date

    public init(activities: any ActivityRepository, programmes: any ProgrammeRepository, audit: any AuditLog,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.activities = activities
        self.programmes = programmes
        self.audit = audit
        self.now = now
    }

    /// Roles that review (approve, return) and may act for any organisation.
    public static let reviewers: Set<Role> = [.administrator, .programmeCoordinator]
    /// Roles that report for their own organisation.
    public static let reporters: Set<Role> = [.unitCoordinator, .partner]

    // MARK: Reading

    /// Whether `user` may see `record`: reviewers and viewers see everything; reporters see their
    /// own organisation's records and other organisations' approved ones.
    public static func canRead(_ record: ActivityRecord, as user: User) -> Bool {
        if reporters.contains(user.role) {
            return record.organisationID == user.organisationID || record.status == .approved
        }
        return true
    }

    public func record(id: ActivityID, as user: User) async throws -> ActivityRecord {
        guard let record = try await activities.record(id: id), Self.canRead(record, as: user) else {
            // Not found and not allowed look the same: ids of others' drafts reveal nothing.
            throw DomainError.notFound("Activity \(id)")
        }
        return record
    }

    /// The filter narrowed to what `user` may see.
    public static func visibleFilter(_ filter: ActivityFilter, as user: User) -> [ActivityFilter] {
        guard reporters.contains(user.role) else { return [filter] }
        var own = filter
        if let requested = filter.organisationID, requested != user.organisationID {
            own.statuses = filter.statuses.intersection([.approved])
        } else {
            own.organisationID = user.organisationID
        }
        return [own]
    }

    // MARK: Writing

    public func create(programmeSlug: String, input: ActivityInput, as user: User) async throws -> ActivityRecord {
        let input = input.normalised()
        try requireWriteAccess(to: input.organisationID, as: user)
        try await validate(input, programmeSlug: programmeSlug)
        let record = try await activities.create(programmeSlug: programmeSlug, input: input, status: .draft, by: user.id, at: now())
        try await log(user, "activity.created", record, before: nil, after: record)
        return record
    }

    /// Edits a record. Reporters may edit drafts and returned records of their organisation;
    /// reviewers may edit any record (an approved one stays approved, and the trail shows the change).
    public func update(id: ActivityID, input: ActivityInput, as user: User) async throws -> ActivityRecord {
        let input = input.normalised()
        let before = try await record(id: id, as: user)
        try requireWriteAccess(to: before.organisationID, as: user)
        try requireWriteAccess(to: input.organisationID, as: user)
        if Self.reporters.contains(user.role), ![.draft, .returned].contains(before.status) {
            throw DomainError.conflict("Only draft or returned records can be edited; this one is \(before.status.rawValue).")
        }
        try await validate(input, programmeSlug: before.programmeSlug)
        try await activities.update(id: id, input: input, status: before.status, reviewComment: before.reviewComment, at: now())
        return try await afterChange(user, "activity.updated", before: before)
    }

    public func submit(id: ActivityID, as user: User) async throws -> ActivityRecord {
        let before = try await record(id: id, as: user)
        try requireWriteAccess(to: before.organisationID, as: user)
        guard [.draft, .returned].contains(before.status) else {
            throw DomainError.conflict("Only draft or returned records can be submitted; this one is \(before.status.rawValue).")
        }
        try await activities.update(id: id, input: before.input, status: .submitted, reviewComment: before.reviewComment, at: now())
        return try await afterChange(user, "activity.submitted", before: before)
    }

    public func approve(id: ActivityID, as user: User) async throws -> ActivityRecord {
        try requireReviewer(user)
        let before = try await record(id: id, as: user)
        guard before.status == .submitted else {
            throw DomainError.conflict("Only submitted records can be approved; this one is \(before.status.rawValue).")
        }
        try await activities.update(id: id, input: before.input, status: .approved, reviewComment: nil, at: now())
        return try await afterChange(user, "activity.approved", before: before)
    }

    /// Sends a submitted (or approved) record back to its organisation with a comment.
    public func returnForChanges(id: ActivityID, comment: String, as user: User) async throws -> ActivityRecord {
        try requireReviewer(user)
        let comment = comment.trimmingWhitespace()
        guard !comment.isEmpty, comment.count <= 2000 else {
            throw DomainError.invalid([FieldError(field: "comment", messageKey: "error.activity.comment",
                                                  message: "a comment (up to 2000 characters) is required when returning a record")])
        }
        let before = try await record(id: id, as: user)
        guard [.submitted, .approved].contains(before.status) else {
            throw DomainError.conflict("Only submitted or approved records can be returned; this one is \(before.status.rawValue).")
        }
        try await activities.update(id: id, input: before.input, status: .returned, reviewComment: comment, at: now())
        return try await afterChange(user, "activity.returned", before: before)
    }

    // MARK: Rules

    func requireWriteAccess(to organisationID: OrganisationID, as user: User) throws {
        if Self.reviewers.contains(user.role) { return }
        guard Self.reporters.contains(user.role) else {
            throw DomainError.forbidden("Your role cannot report activities.")
        }
        guard user.organisationID == organisationID else {
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
        try await audit.record(AuditEntry(at: now(), actorUserID: user.id, action: action, subject: "activity:\(record.id)",
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
