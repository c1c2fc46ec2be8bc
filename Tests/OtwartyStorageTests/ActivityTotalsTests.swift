import Foundation
import OtwartyCore
import OtwartyDemo
import OtwartyTestSupport
@testable import OtwartyStorage
import SQLKit
import Testing

/// `activity_totals` (migration 28) is kept by triggers on `activities`: after any sequence of
/// writes it must equal the totals recomputed from the records, on both engines; and the indicator
/// engine must give exactly the numbers it gave when it read the records (`.records`), over the
/// demo data and over pseudo-random records with every kind of audience rule.
@Suite struct ActivityTotalsTests {
    /// The kept table and a full recomputation, row by row (sorted text), and where they differ.
    static func differences(_ database: Database) async throws -> (kept: Int, differing: [String]) {
        func rows(_ sql: String) async throws -> [String] {
            try await database.withConnection { db in
                try await db.raw(SQLQueryString(sql)).all().map { row in
                    try ActivityTotals.columns.map { column -> String in
                        if ["programme_slug", "task_code", "kind"].contains(column) { return try row.decode(column: column, as: String.self) }
                        return String(try row.decode(column: column, as: Int64.self))
                    }.joined(separator: "|")
                }.sorted()
            }
        }
        let columns = ActivityTotals.columns.joined(separator: ", ")
        let kept = try await rows("SELECT \(columns) FROM activity_totals")
        // Cast: PostgreSQL sums BIGINT columns as NUMERIC.
        let recomputed = try await rows("SELECT " + ActivityTotals.columns.map { ["programme_slug", "task_code", "kind"].contains($0) ? $0 : "CAST(\($0) AS BIGINT) AS \($0)" }.joined(separator: ", ") + " FROM (\(ActivityTotals.recomputation)) r")
        let keptSet = Set(kept), recomputedSet = Set(recomputed)
        let differing = keptSet.symmetricDifference(recomputedSet).sorted().map { (keptSet.contains($0) ? "kept only: " : "recomputed only: ") + $0 }
        return (kept.count, differing)
    }

    /// Creates, content updates, status changes (into and out of approved), imports in batches, a
    /// multi-row UPDATE and DELETE that no service makes (a restore or an administrator's SQL may),
    /// in a pseudo-random order; the totals are compared after every step.
    @Test(arguments: DatabaseEngine.allCases)
    func theTotalsEqualARecomputationAfterRandomWrites(engine: DatabaseEngine) async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let rules = programme.distinctRules + ActivityAggregatorAgreementTests.breakdownRules
        try await TestDatabase.with(engine) { database in
            let organisations = try await ActivityFixtures.organisations(database, count: 4)
            var generated = ActivityFixtures.generate(count: 1_200, rules: rules, taskCodes: programme.tasks.map(\.code),
                                                      organisations: organisations, seed: 15_007)
            let repository = SQLActivityRepository(database: database)
            var rng = SeededRandom(seed: 77)
            var ids: [ActivityID] = []
            let statuses: [ActivityStatus] = [.approved, .approved, .submitted, .draft, .returned]
            var steps = 0
            while !generated.isEmpty || steps < 40 {
                steps += 1
                switch rng.next() % 6 {
                case 0, 1:
                    // An import batch of 1–150 records, in one status.
                    let batch = Array(generated.prefix(Int(rng.next() % 150) + 1))
                    generated.removeFirst(batch.count)
                    guard let first = batch.first else { continue }
                    let status = statuses[Int(rng.next() % UInt64(statuses.count))]
                    let pending = batch.map { PendingActivity(input: $0.input) }
                    if rng.next() % 2 == 0 {
                        _ = try await repository.importAll(programmeSlug: first.programmeSlug, records: pending,
                                                           newOrganisationKind: .ngo, status: status, by: nil, at: ActivityFixtures.t0, progress: { _ in })
                    } else {
                        // The file import's path: on SQLite its writer pauses the insert trigger and
                        // adds the batch's totals itself (`ImportTotals`).
                        _ = try await repository.importStreaming(programmeSlug: first.programmeSlug, newOrganisationKind: .ngo, status: status,
                                                                 by: nil, at: ActivityFixtures.t0) { sink in
                            for start in stride(from: 0, to: pending.count, by: 40) {
                                try await sink.write(Array(pending[start..<min(start + 40, pending.count)]))
                            }
                        }
                    }
                case 2:
                    guard let g = generated.popLast() else { continue }
                    ids.append(try await repository.create(programmeSlug: g.programmeSlug, input: g.input, status: g.status, by: nil,
                                                           at: ActivityFixtures.t0).id)
                case 3:
                    // Another record's content and a status, on an existing record.
                    guard !ids.isEmpty, let other = ActivityFixtures.generate(count: 1, rules: rules, taskCodes: programme.tasks.map(\.code),
                                                                            organisations: organisations, seed: rng.next()).first else { continue }
                    let id = ids[Int(rng.next() % UInt64(ids.count))]
                    try await repository.update(id: id, input: other.input, status: statuses[Int(rng.next() % UInt64(statuses.count))],
                                                reviewComment: nil, at: ActivityFixtures.t0)
                case 4:
                    // A status change alone (approve, return, approve again).
                    guard !ids.isEmpty else { continue }
                    let id = ids[Int(rng.next() % UInt64(ids.count))]
                    guard let record = try await repository.record(id: id) else { continue }
                    try await repository.update(id: id, input: record.input, status: record.status == .approved ? .returned : .approved,
                                                reviewComment: nil, at: ActivityFixtures.t0)
                default:
                    let modulus = String(rng.next() % 13 + 5)
                    let sql = rng.next() % 2 == 0
                        ? "UPDATE activities SET status = 'approved', district = NULL, participants_new = 3 WHERE id % \(modulus) = 1"
                        : "DELETE FROM activities WHERE id % \(modulus) = 2"
                    try await database.withConnection { db in try await db.raw(SQLQueryString(sql)).run() }
                }
                let (kept, differing) = try await Self.differences(database)
                #expect(differing.isEmpty, "\(engine), step \(steps): \(differing.count) rows differ, e.g. \(differing.prefix(3))")
                if !differing.isEmpty { return }
                if steps % 20 == 0 { #expect(kept > 0 || steps < 5) }
            }
            #expect(steps > 30)
        }
    }

    /// An import of approved records pauses `activity_totals`' insert trigger on SQLite: after the
    /// import, and after an import rolled back midway, the trigger is there as it was, and the
    /// totals equal a recount.
    @Test func theImportPutsTheTotalsTriggerBackAsItWas() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        try await TestDatabase.with(.sqlite) { database in
            let organisations = try await ActivityFixtures.organisations(database, count: 3)
            let generated = ActivityFixtures.generate(count: 300, rules: programme.distinctRules, taskCodes: programme.tasks.map(\.code),
                                                      organisations: organisations, seed: 30)
            let pending = generated.map { PendingActivity(input: $0.input) }
            let repository = SQLActivityRepository(database: database)
            func trigger() async throws -> String? {
                try await database.withConnection { db in
                    try await db.raw("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'activity_totals_insert'")
                        .first(decodingColumn: "sql", as: String.self)
                }
            }
            let before = try #require(try await trigger())
            struct Stop: Error {}
            await #expect(throws: Stop.self) {
                _ = try await repository.importStreaming(programmeSlug: programme.slug, newOrganisationKind: .ngo, status: .approved,
                                                         by: nil, at: ActivityFixtures.t0) { sink in
                    try await sink.write(Array(pending.prefix(150)))
                    throw Stop()
                }
            }
            #expect(try await trigger() == before)
            #expect(try await Self.differences(database).kept == 0)
            let outcome = try await repository.importStreaming(programmeSlug: programme.slug, newOrganisationKind: .ngo, status: .approved,
                                                               by: nil, at: ActivityFixtures.t0) { sink in try await sink.write(pending) }
            #expect(outcome.records == 300)
            #expect(try await trigger() == before)
            let (kept, differing) = try await Self.differences(database)
            #expect(kept > 10 && differing.isEmpty, "\(kept) groups; \(differing.prefix(3))")
            // The trigger works again: one record created after the import is counted.
            let one = try #require(generated.first { $0.status == .approved } ?? generated.first)
            _ = try await repository.create(programmeSlug: programme.slug, input: one.input, status: .approved, by: nil, at: ActivityFixtures.t0)
            #expect(try await Self.differences(database).differing.isEmpty)
        }
    }

    /// The demo's history (the dashboard's data): every value and coverage of every rule, in every
    /// grouping, from the totals equals what the records' covering index gives; and so every
    /// report, trend and breakdown of the engine.
    @Test(arguments: DatabaseEngine.allCases)
    func theTotalsGiveTheRecordsNumbersOverTheDemoData(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            let programme = try EmbeddedProgrammes.krakow()
            _ = try await repositories.programmes.save(programme)
            _ = try await DemoDataLoader(repositories: repositories, clock: clock.office).load(DemoData(programme: programme, records: 3_000))
            let totals = SQLActivityAggregator(database: database)
            let records = SQLActivityAggregator(database: database, source: .records)
            let rules = programme.distinctRules + ActivityAggregatorAgreementTests.breakdownRules
            var compared = 0
            for rule in rules {
                for grouping in [AggregateGrouping.total, .year, .quarter, .district] {
                    for years in [2024...2028, 2025...2025] {
                        let query = AggregateQuery(programmeSlug: programme.slug, rule: rule, years: years, grouping: grouping)
                        let expected = try await records.values(query)
                        #expect(try await totals.values(query) == expected, "\(engine) \(rule) \(grouping) \(years)")
                        compared += expected.count
                    }
                }
                let query = AggregateQuery(programmeSlug: programme.slug, rule: rule, years: 2024...2028, grouping: .total)
                #expect(try await totals.coverage(query) == (try await records.coverage(query)), "\(engine) coverage of \(rule)")
            }
            #expect(compared > 1_000, "the demo data fills the groups (\(compared) values compared)")
            let new = IndicatorEngine(aggregator: totals, references: repositories.references, sources: repositories.measureSources)
            let old = IndicatorEngine(aggregator: records, references: repositories.references, sources: repositories.measureSources)
            for year in programme.period.years {
                #expect(try await new.report(for: programme, year: year) == (try await old.report(for: programme, year: year)), "\(engine) \(year)")
            }
            for result in programme.results {
                #expect(try await new.series(of: .result(result), in: programme) == (try await old.series(of: .result(result), in: programme)))
                for by in [IndicatorBreakdown.district, .quarter] {
                    #expect(try await new.breakdown(of: .result(result), in: programme, year: 2025, by: by)
                            == (try await old.breakdown(of: .result(result), in: programme, year: 2025, by: by)))
                }
            }
        }
    }
}
