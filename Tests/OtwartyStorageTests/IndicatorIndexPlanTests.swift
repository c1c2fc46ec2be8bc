import Foundation
import OtwartyCore
import OtwartyStorage
import SQLKit
import Testing

/// Every statement the indicator engine sends (values in every grouping, and coverage) is answered
/// from the covering index alone, without fetching each record from the table: SQLite's plan for
/// each says `USING COVERING INDEX`. Issue 13's audience rules read columns migration 4's index
/// lacked, and the dashboard right after a change went from 153 ms to 517 ms at 1M records
/// (docs/performance.md) without any test noticing; this one fails on such a column (migration 26
/// widened the index). Since migration 28 count and sum rules read `activity_totals` by its primary
/// key (programme, task, year: never a scan of the table). Plans, not times: the same answer on any machine.
@Suite struct IndicatorIndexPlanTests {
    @Test func everyIndicatorStatementIsAnsweredFromTheCoveringIndex() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let rules = programme.distinctRules + ActivityAggregatorAgreementTests.breakdownRules
        try await TestDatabase.with(.sqlite) { database in
            let aggregator = SQLActivityAggregator(database: database)
            let count = QueryCount()
            try await Database.counting(into: count) {
                for rule in rules {
                    for grouping in [AggregateGrouping.total, .year, .quarter, .district] {
                        _ = try await aggregator.values(AggregateQuery(programmeSlug: programme.slug, rule: rule,
                                                                       years: 2024...2026, grouping: grouping))
                    }
                    _ = try await aggregator.coverage(AggregateQuery(programmeSlug: programme.slug, rule: rule,
                                                                     years: 2024...2026, grouping: .total))
                }
            }
            let statements = Set(count.statements.map(\.sql)).filter {
                $0.contains("FROM \"activities\"") || $0.contains("FROM activities") || $0.contains("FROM \"activity_totals\"")
            }
            #expect(statements.count >= rules.count, "the engine's statements were counted (\(statements.count))")
            #expect(statements.contains { $0.contains("FROM \"activity_totals\"") }, "count and sum rules read the totals (migration 28)")
            var uncovered: [String] = []
            for sql in statements.sorted() {
                // Unbound parameters are NULL to SQLite's planner; the plan depends on the shape only.
                let plan = try await database.withConnection { db in
                    try await db.raw(SQLQueryString("EXPLAIN QUERY PLAN " + sql)).all().map { try $0.decode(column: "detail", as: String.self) }
                }
                // `activity_totals` is a WITHOUT ROWID table: its rows live in the primary key's
                // b-tree, so a search of the key's prefix reads nothing else (a covering index's plan).
                let covered = plan.contains { $0.contains("USING COVERING INDEX") }
                    || (sql.contains("FROM \"activity_totals\"") && plan.contains { $0.contains("SEARCH activity_totals USING PRIMARY KEY (programme_slug=? AND task_code=? AND year>? AND year<?)") })
                if !covered { uncovered.append("\(plan) ← \(sql)") }
            }
            #expect(uncovered.isEmpty, "\(uncovered.count) statement(s) read the table, e.g.:\n\(uncovered.prefix(3).joined(separator: "\n"))")
        }
    }
}
