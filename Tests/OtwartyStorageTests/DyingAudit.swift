import Foundation
import OtwartyCore
@testable import OtwartyStorage

/// The SQL audit trail, except that appending an entry fails, as if the process died at that moment
/// (`AuditAtomicityTests`, `ServiceAuditAtomicityTests`). `holdFails`: holding an entry for later
/// release (incident reports) fails too; the activity test holds nothing and passes holds through.
struct DyingAudit: AuditLog {
    struct Died: Error {}
    let base: SQLAuditLog
    var holdFails = true
    func record(_ entry: AuditEntry) async throws { throw Died() }
    func hold(_ entry: AuditEntry) async throws {
        if holdFails { throw Died() }
        try await base.hold(entry)
    }
    func releaseHeld(before cutOff: Date) async throws -> Int { try await base.releaseHeld(before: cutOff) }
    func entries(subject: String?, limit: Int) async throws -> [AuditEntry] { try await base.entries(subject: subject, limit: limit) }
    func verify(tail: Int?) async throws -> AuditChainReport { try await base.verify(tail: tail) }
    func atomically<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await base.atomically(body)
    }
}
