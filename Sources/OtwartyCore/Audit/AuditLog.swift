import Foundation

public struct AuditEntry: Hashable, Sendable {
    public var at: Date
    public var actorUserID: UserID?
    /// Dotted verb, e.g. `user.disabled`, `programme.loaded`.
    public var action: String
    /// What was acted on, e.g. `user:12`, `programme:otwarty-krakow-2024-2028`.
    public var subject: String
    public var detail: String
    public init(at: Date, actorUserID: UserID?, action: String, subject: String, detail: String = "") {
        self.at = at
        self.actorUserID = actorUserID
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// The audit trail: a hash chain (`AuditChain`). Every entry joins it through one append path
/// that holds the chain's lock, so the chain never forks, also with several server instances.
public protocol AuditLog: Sendable {
    /// Appends the entry to the chain now.
    func record(_ entry: AuditEntry) async throws
    /// For acts of anonymous people (incident reports): the caller has already cut `at` to the
    /// start of the day; the entry waits outside the chain until `releaseHeld(before:)` appends it
    /// once its day is over, among that day's other held entries in an order that says nothing
    /// about when each arrived. So neither its time nor its place between timed entries shows
    /// the second it was sent.
    func hold(_ entry: AuditEntry) async throws
    /// Appends the held entries whose `at` lies before `cutOff`, ordered by (at, subject, action,
    /// detail); returns how many.
    @discardableResult
    func releaseHeld(before cutOff: Date) async throws -> Int
    /// Newest first.
    func entries(subject: String?, limit: Int) async throws -> [AuditEntry]
    /// Walks the chain (the last `tail` entries, or all when nil) and reports the first entry
    /// that was changed, removed or reordered.
    func verify(tail: Int?) async throws -> AuditChainReport
    /// Runs `body`, a change and the `record` of its entry, so that both are stored or neither:
    /// on SQL one transaction that the repositories' writes inside join. Without it a crash
    /// between the two left a change with no entry (found by the crash cycles, docs/reliability.md).
    func atomically<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R
}

extension AuditLog {
    /// Logs kept in memory (tests) have nothing to commit together.
    public func atomically<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await body()
    }
}
