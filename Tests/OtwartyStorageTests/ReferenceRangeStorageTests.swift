import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// Migration 22: a reference statistic's low and high estimates with their sources are stored on
/// each revision and read back, on both engines; a revision without them reads back without them.
@Suite struct ReferenceRangeStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func estimatesAreKeptPerRevision(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let references = SQLReferenceRepository(database: database)
            let ranged = ReferenceValue(key: "foreign-residents", year: 2025, value: 129_900, source: "GUS",
                                        recordedAt: F.t0.addingTimeInterval(10),
                                        low: ReferenceEstimate(value: 15_000, source: "baza meldunkowa UMK"),
                                        high: ReferenceEstimate(value: 177_500.5, source: "Unia Metropolii Polskich"))
            let onlyHigh = ReferenceValue(key: "foreign-residents", year: 2025, value: 130_000, source: "GUS (korekta)",
                                          recordedAt: F.t0.addingTimeInterval(20),
                                          high: ReferenceEstimate(value: 177_500, source: "UMP"))
            let plain = ReferenceValue(key: "city-staff", year: 2025, value: 6_530, source: "Kadry",
                                       recordedAt: F.t0.addingTimeInterval(5))
            try await references.set(ranged, by: nil)
            try await references.set(onlyHigh, by: nil)
            try await references.set(plain, by: nil)
            #expect(try await references.revisions(key: "foreign-residents", year: 2025) == [onlyHigh, ranged])
            #expect(try await references.current(key: "foreign-residents", year: 2025)?.low == nil)
            #expect(try await references.allCurrent() == [plain, onlyHigh])
        }
    }
}
