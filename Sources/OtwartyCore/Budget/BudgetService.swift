import Foundation

/// The writes of the budget: one entry saved or deleted, a CSV file imported, each checked
/// against the programme and written to the audit trail (subject `budget:<programme>`).
public struct BudgetService: Sendable {
    public let budget: any BudgetRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(budget: any BudgetRepository, audit: any AuditLog, clock: OfficeClock = OfficeClock()) {
        self.budget = budget
        self.audit = audit
        self.clock = clock
    }

    /// Stores `entry` (replacing the one with the same year, task and source), stamped now and by
    /// `user`. Throws `invalid`, each problem naming its field, when the entry does not fit
    /// the programme (`BudgetEntry.problems(in:)`); nothing is stored then.
    @discardableResult
    public func save(_ entry: BudgetEntry, in programme: Programme, by user: UserID?) async throws -> BudgetEntry {
        var entry = entry
        entry.programmeSlug = programme.slug
        let problems = entry.problems(in: programme)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let at = clock.now()
        entry.updatedAt = at
        entry.updatedBy = user
        let stamped = entry
        // Each write and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await budget.save(stamped)
            try await record(programme, by: user, at: at, "budget.saved",
                             "\(stamped.year) \(stamped.taskCode) source \(stamped.source): planned \(stamped.plannedGrosze) spent \(stamped.spentGrosze.map(String.init) ?? "-")")
        }
        return entry
    }

    /// Deletes the entry of `year`, `taskCode` and `source`; `notFound` when there is none.
    public func delete(programme: Programme, year: Int, taskCode: String, source: Int, by user: UserID?) async throws {
        try await audit.atomically { [self] in
            guard try await budget.delete(programme: programme.slug, year: year, taskCode: taskCode, source: source) else {
                throw DomainError.notFound("Budget entry")
            }
            try await record(programme, by: user, at: clock.now(), "budget.deleted", "\(year) \(taskCode) source \(source)")
        }
    }

    public enum ImportOutcome: Sendable, Equatable {
        /// Every entry of the file was stored (one transaction).
        case imported(count: Int)
        /// Nothing was stored: every problem of the file, by row and column.
        case rejected([BudgetCSV.Problem])
    }

    /// Imports a budget file (`BudgetCSV`): all entries in one transaction, or none when any row
    /// is wrong. `fileName` is only for the audit entry.
    public func importCSV(_ text: String, fileName: String, programme: Programme, by user: UserID?) async throws -> ImportOutcome {
        let at = clock.now()
        switch BudgetCSV.parse(text, programme: programme, by: user, at: at) {
        case let .problems(problems):
            return .rejected(problems)
        case let .entries(entries):
            try await audit.atomically { [self] in
                try await budget.saveAll(entries)
                try await record(programme, by: user, at: at, "budget.imported", "\(entries.count) entries from \(fileName)")
            }
            return .imported(count: entries.count)
        }
    }

    func record(_ programme: Programme, by user: UserID?, at: Date, _ action: String, _ detail: String) async throws {
        try await audit.record(AuditEntry(at: at, actorUserID: user, action: action, subject: "budget:\(programme.slug)",
                                          detail: detail))
    }
}
