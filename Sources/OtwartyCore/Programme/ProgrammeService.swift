import Foundation

/// Loading programmes: the one way a programme is stored, by the command line (`programme load`)
/// and at first start alike, each change written to the audit trail.
public struct ProgrammeService: Sendable {
    public let programmes: any ProgrammeRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(programmes: any ProgrammeRepository, audit: any AuditLog, clock: OfficeClock = OfficeClock()) {
        self.programmes = programmes
        self.audit = audit
        self.clock = clock
    }

    /// Stores `programme`: a new slug is created, a changed programme replaces the stored one, an
    /// identical one is left alone (so loading the same file again changes nothing). A change is
    /// audited as `programme.created` or `programme.updated`.
    @discardableResult
    public func load(_ programme: Programme, by actor: UserID? = nil) async throws -> ProgrammeSaveOutcome {
        // The programme and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            let outcome = try await programmes.save(programme)
            if outcome != .unchanged {
                try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: "programme.\(outcome.rawValue)",
                                                  subject: "programme:\(programme.slug)"))
            }
            return outcome
        }
    }

    /// Loads Kraków's embedded programme into an instance that holds none yet (first start), audited
    /// as `programme.loaded`; returns whether it did.
    @discardableResult
    public func loadDefaultIfNoneLoaded() async throws -> Bool {
        guard try await programmes.summaries().isEmpty else { return false }
        let programme = try EmbeddedProgrammes.krakow()
        try await audit.atomically { [self] in
            _ = try await programmes.save(programme)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "programme.loaded",
                                              subject: "programme:\(programme.slug)", detail: "embedded default"))
        }
        return true
    }

    /// The audit detail of a programme stored from the embedded file: at first start
    /// ("embedded default") or when a new version of the application ships a changed file.
    public static let embeddedDetails: Set<String> = ["embedded default", "embedded file changed"]

    /// Brings the embedded programme up to date in an instance that took it from the embedded file
    /// and never loaded its own version: a new release of Otwarty may change the file (rules,
    /// methodology texts), and a database loaded by an older release must not keep the old one for
    /// ever. The stored programme is replaced only when the newest `programme.*` audit entry of its
    /// slug says it came from the embedded file; an operator's `otwarty programme load` (audited
    /// without that detail) makes the programme theirs, and it is left alone. The replacement is
    /// audited `programme.updated`, detail "embedded file changed". Returns the outcome.
    @discardableResult
    public func refreshEmbeddedIfUnchangedByOperator() async throws -> ProgrammeSaveOutcome {
        let programme = try EmbeddedProgrammes.krakow()
        guard try await programmes.programme(slug: programme.slug) != nil else { return .unchanged }
        let subject = "programme:\(programme.slug)"
        // The audit trail keeps who stored what; other kinds of entry about the programme (none
        // today) are skipped by looking at programme.* only.
        let newest = try await audit.entries(subject: subject, limit: 50).first { $0.action.hasPrefix("programme.") }
        guard let newest, Self.embeddedDetails.contains(newest.detail) else { return .unchanged }
        return try await audit.atomically { [self] in
            let outcome = try await programmes.save(programme)
            if outcome != .unchanged {
                try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "programme.updated",
                                                  subject: subject, detail: "embedded file changed"))
            }
            return outcome
        }
    }
}
