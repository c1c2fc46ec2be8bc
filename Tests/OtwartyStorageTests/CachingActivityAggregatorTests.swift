import Foundation
import OtwartyCore
@testable import OtwartyStorage
import Testing

/// Cached indicator answers are never served after a change, whatever the change.
@Suite struct CachingActivityAggregatorTests {
    @Test(arguments: DatabaseEngine.allCases)
    func everyWriteInvalidates(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let repositories = Repositories.sql(database)
            let organisation = try await repositories.organisations.create(name: "Fundacja", kind: .ngo)
            let slug = "otwarty-krakow-2024-2028"
            let aggregator = repositories.aggregator
            #expect(aggregator is CachingActivityAggregator)
            let rule = MeasureRule(taskCode: "4.1", aggregate: .count, kinds: [.event])
            let query = AggregateQuery(programmeSlug: slug, rule: rule, years: 2025...2025, grouping: .total)
            func events() async throws -> Double { try await aggregator.values(query)[.total] ?? 0 }
            let input = ActivityInput(taskCode: "4.1", kind: .event, title: "Festiwal", startDate: CalendarDate(iso: "2025-06-14")!,
                                      organisationID: organisation.id)

            #expect(try await events() == 0)
            let draft = try await repositories.activities.create(programmeSlug: slug, input: input, status: .draft, by: nil, at: Date())
            #expect(try await events() == 0)
            try await repositories.activities.update(id: draft.id, input: input, status: .approved, reviewComment: nil, at: Date())
            #expect(try await events() == 1, "an approval is seen at once")
            #expect(try await events() == 1, "and then served from the cache")
            _ = try await repositories.activities.importAll(programmeSlug: slug, records: [PendingActivity(input: input)],
                                                          newOrganisationKind: .ngo, status: .approved, by: nil, at: Date(),
                                                          progress: { _ in })
            #expect(try await events() == 2, "an import is seen at once")
            try await repositories.activities.update(id: draft.id, input: input, status: .returned, reviewComment: "x", at: Date())
            #expect(try await events() == 1, "a returned record stops counting at once")

            // A second aggregator over the same database (another process) sees the first one's writes too.
            let other = Repositories.sql(database).aggregator
            #expect(try await other.values(query)[.total] == 1)
        }
    }
}
