import Foundation
import OtwartyCore
import OtwartyStorage
import SQLKit
import Testing

/// The review queue's reads (the waiting records, longest waiting first, and their count) search
/// migration 30's partial index `activities_queue`, which holds only the records waiting for
/// review, rather than reading every record of the programme: SQLite uses a partial index only
/// when the query's text implies its condition, so the status is spelt as a literal. A plan, not a
/// time: the same answer on any machine.
@Suite struct ReviewQueueIndexPlanTests {
    @Test func theQueueReadsItsPartialIndex() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let repository = SQLActivityRepository(database: database)
            let waiting = ActivityFilter(programmeSlug: EmbeddedProgrammes.krakowSlug, statuses: [.submitted], order: .longestWaiting)
            let count = QueryCount()
            try await Database.counting(into: count) {
                _ = try await repository.list(waiting, limit: 50, offset: 0)
                _ = try await repository.count(waiting)
            }
            let statements = count.statements.map(\.sql).filter { $0.contains("activities") }
            #expect(statements.count == 2)
            for sql in statements {
                #expect(sql.contains("status = 'submitted'"), "\(sql)")
                let plan = try await database.withConnection { db in
                    try await db.raw(SQLQueryString("EXPLAIN QUERY PLAN " + sql)).all().map { try $0.decode(column: "detail", as: String.self) }
                }
                #expect(plan.contains { $0.contains("USING INDEX activities_queue") || $0.contains("USING COVERING INDEX activities_queue") },
                        "\(plan) ← \(sql)")
            }
        }
    }
}
