import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct ZZScratchTests {
    @Test func scratch() async throws {
        try await TestDatabase.with(.postgres) { database in
            let org = try await ActivityFixtures.organisations(database, count: 1)[0]
            let repo = SQLActivityRepository(database: database)
            _ = try await repo.create(programmeSlug: "x", input: ActivityInput(taskCode: "1.1", kind: .event, title: "t", startDate: ActivityFixtures.day("2025-01-01"), organisationID: org, participants: 3), status: .approved, by: nil, at: ActivityFixtures.t0)
            for agg in [MeasureRule.Aggregate.count, .sum(.participants), .sum(.amount), .distinctInstitutions] {
                do {
                    let v = try await SQLActivityAggregator(database: database).values(AggregateQuery(programmeSlug: "x", rule: MeasureRule(taskCode: "1.1", aggregate: agg), years: 2025...2025, grouping: .year))
                    print("SCRATCH \(agg) ok \(v)")
                } catch { print("SCRATCH \(agg) \(String(reflecting: error))".prefix(600)) }
            }
            do { _ = try await repo.list(ActivityFilter(programmeSlug: "x", statuses: []), limit: 5, offset: 0) }
            catch { print("SCRATCH list \(String(reflecting: error))".prefix(800)) }
        }
    }
}
