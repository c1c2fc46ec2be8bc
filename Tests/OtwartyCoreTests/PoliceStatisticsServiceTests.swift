import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct PoliceStatisticsServiceTests {
    let statistics = MemoryPoliceStatisticsRepository()
    let audit = InMemoryAuditLog()
    let imports = InMemoryDataImportLog()
    let clock = TestClock()
    var service: PoliceStatisticsService { PoliceStatisticsService(statistics: statistics, imports: imports, audit: audit, clock: clock.office) }

    @Test func aFileReplacesTheYearsItCoversAndIsAudited() async throws {
        let first = "year,district,offence_category,count\n2024,1,pobicie,3\n2025,1,pobicie,4\n2025,,groźby,2\n"
        #expect(try await service.importCSV(first, by: 8) == .imported(rows: 3, years: [2024, 2025]))
        let second = "year,district,offence_category,count\n2025,2,znieważenie,5\n"
        #expect(try await service.importCSV(second, by: 8) == .imported(rows: 1, years: [2025]))
        let stored = try await statistics.rows(years: 2024...2025)
        #expect(stored.map(\.year).sorted() == [2024, 2025], "2024 stays; 2025 is the second file's")
        #expect(stored.first { $0.year == 2025 }?.offenceCategory == "znieważenie")
        #expect(try await audit.all == [
            AuditEntry(at: TestClock.defaultStart, actorUserID: 8, action: "police-statistics.imported", subject: "police-statistics",
                       detail: "3 rows for 2024, 2025"),
            AuditEntry(at: TestClock.defaultStart, actorUserID: 8, action: "police-statistics.imported", subject: "police-statistics",
                       detail: "1 rows for 2025"),
        ])
    }

    @Test func aFileWithAnyProblemStoresNothing() async throws {
        let bad = "year,district,offence_category,count\n2025,1,pobicie,3\n2025,19,pobicie,x\n"
        guard case let .refused(problems) = try await service.importCSV(bad, by: 8) else {
            Issue.record("the file was imported")
            return
        }
        #expect(problems.count == 2 && problems.allSatisfy { $0.hasPrefix("row 2") })
        #expect(try await statistics.years().isEmpty)
        #expect(try await audit.all.isEmpty)
    }
}
