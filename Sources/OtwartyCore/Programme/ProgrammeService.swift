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
        let outcome = try await programmes.save(programme)
        if outcome != .unchanged {
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: "programme.\(outcome.rawValue)",
                                              subject: "programme:\(programme.slug)"))
        }
        return outcome
    }

    /// Loads Kraków's embedded programme into an instance that holds none yet (first start), audited
    /// as `programme.loaded`; returns whether it did.
    @discardableResult
    public func loadDefaultIfNoneLoaded() async throws -> Bool {
        guard try await programmes.summaries().isEmpty else { return false }
        let programme = try EmbeddedProgrammes.krakow()
        _ = try await programmes.save(programme)
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: nil, action: "programme.loaded",
                                          subject: "programme:\(programme.slug)", detail: "embedded default"))
        return true
    }
}
