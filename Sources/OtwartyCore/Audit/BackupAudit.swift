import Foundation

/// Backups in the audit trail (`otwarty backup` and the scheduled ones): each made backup with its
/// file name, size and SHA-256, so a file found later can be checked against what was recorded,
/// and each failed scheduled one, so a backup that stopped working shows where administrators look.
///
/// The entry of a made backup is written after the copy was taken, so the copy does not hold it:
/// a database restored from that file has the trail as it was at the moment of the copy.
public struct BackupAudit: Sendable {
    /// Who asked: an operator at the command line, or the server's schedule.
    public enum Trigger: String, Sendable { case command, schedule }

    let audit: any AuditLog
    let clock: OfficeClock

    public init(audit: any AuditLog, clock: OfficeClock) {
        self.audit = audit
        self.clock = clock
    }

    public func made(file: String, bytes: Int64, sha256: String, trigger: Trigger) async throws {
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "backup.made", subject: "backup:\(file)",
                                          detail: "\(trigger.rawValue); \(bytes) bytes; sha256 \(sha256)"))
    }

    public func failed(file: String, reason: String, trigger: Trigger) async throws {
        // The reason comes from a tool's error output: kept short, one line.
        let line = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "backup.failed", subject: "backup:\(file)",
                                          detail: "\(trigger.rawValue); " + String(line.prefix(500))))
    }
}
