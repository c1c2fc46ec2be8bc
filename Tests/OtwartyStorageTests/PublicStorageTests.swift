import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// The counts a coordinator approved when a public form's count went beyond the usual
/// (`BurstReview`, migration 13), on both engines.
@Suite struct PublicStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func approvedCountsOfBurstsAreKept(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let points = SQLServicePointRepository(database: database)
            let point = try await points.save(ServicePoint(name: "Punkt", address: "", openingHours: "", languages: "", contact: ""))
            #expect(try await points.monthApprovedCount(pointID: point.id, year: 2026, month: 10) == 0)
            try await points.setMonthActivity(41, pointID: point.id, year: 2026, month: 10)
            #expect(try await points.monthApprovedCount(pointID: point.id, year: 2026, month: 10) == 0)
            try await points.setMonthApprovedCount(300, pointID: point.id, year: 2026, month: 10)
            #expect(try await points.monthApprovedCount(pointID: point.id, year: 2026, month: 10) == 300)
            #expect(try await points.monthApprovedCount(pointID: point.id, year: 2026, month: 9) == 0)
            // Re-linking the month's record keeps the approved count.
            try await points.setMonthActivity(42, pointID: point.id, year: 2026, month: 10)
            #expect(try await points.monthActivity(pointID: point.id, year: 2026, month: 10) == 42)
            #expect(try await points.monthApprovedCount(pointID: point.id, year: 2026, month: 10) == 300)

            let ambassador = SQLAmbassadorRepository(database: database)
            var edition = AmbassadorEdition(year: 2026, opensOn: F.day("2026-09-01"), closesOn: F.day("2026-10-31"))
            try await ambassador.saveEdition(edition)
            #expect(try await ambassador.edition(year: 2026)?.nominationsApproved == 0)
            edition.nominationsApproved = 21
            try await ambassador.saveEdition(edition)
            #expect(try await ambassador.edition(year: 2026) == edition)
        }
    }
}
