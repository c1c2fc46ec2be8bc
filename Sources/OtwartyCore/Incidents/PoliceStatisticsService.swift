import Foundation

/// Importing police statistics (task 6.2, the conflict-risk analysis): a file replaces the rows
/// of every year it covers, all or nothing, and the import is audited as
/// `police-statistics.imported` and logged (`DataImportLogRepository`): measure 6.2.c ("Dane
/// statystyczne z policji") shows when the year's data was last imported.
public struct PoliceStatisticsService: Sendable {
    public let statistics: any PoliceStatisticsRepository
    public let imports: any DataImportLogRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(statistics: any PoliceStatisticsRepository, imports: any DataImportLogRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.statistics = statistics
        self.imports = imports
        self.audit = audit
        self.clock = clock
    }

    public enum ImportOutcome: Hashable, Sendable {
        /// The file was stored: how many rows, for which years (ascending).
        case imported(rows: Int, years: [Int])
        /// Nothing was stored; every problem of the file, named by row and column.
        case refused([String])
    }

    /// Reads `text` as a police statistics file (`PoliceStatisticsCSV`) and, when every row is
    /// good, replaces the stored rows of the years it covers.
    public func importCSV(_ text: String, by actor: UserID?) async throws -> ImportOutcome {
        switch PoliceStatisticsCSV.parse(text) {
        case let .problems(problems):
            return .refused(problems)
        case let .rows(rows):
            let years = Set(rows.map(\.year))
            let sorted = years.sorted()
            let now = clock.now()
            // The rows, the import log and the audit entry commit together or not at all (`AuditLog.atomically`).
            try await audit.atomically { [self] in
                try await statistics.replace(years: years, with: rows)
                try await imports.record(DataImportEntry(kind: .policeStatistics, years: sorted, importedAt: now,
                                                         rows: rows.count, importedBy: actor))
                try await audit.record(AuditEntry(
                    at: now, actorUserID: actor, action: "police-statistics.imported", subject: "police-statistics",
                    detail: "\(rows.count) rows for \(sorted.map(String.init).joined(separator: ", "))"))
            }
            return .imported(rows: rows.count, years: sorted)
        }
    }
}
