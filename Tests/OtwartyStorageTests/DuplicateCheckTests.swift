import Foundation
import OtwartyCore
import OtwartyDemo
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// The review queue's duplicate check reads a bounded number of rows per record checked (issue 15,
/// point 7: `/pl/review` read every record of the page's tasks on any of the page's days, 67 rows
/// at 1,000 records and 646 at 20,000) and still flags exactly what it flagged before.
@Suite struct DuplicateCheckTests {
    /// The read the check made until issue 15, kept here as the reference: every submitted or
    /// approved record whose task is one of the checked records' and whose start date is one of theirs.
    static func everyRecordOfTheDays(_ database: Database, programmeSlug: String,
                                     checked: [ActivityRecord]) async throws -> [DuplicateCandidate] {
        struct Row: Decodable {
            var id: Int64
            var organisation_id: Int64
            var task_code: String
            var start_date: String
            var district: Int?
            var title: String
            var status: ActivityStatus
        }
        let rows = try await database.withConnection { db in
            try await db.select()
                .columns("id", "organisation_id", "task_code", "start_date", "district", "title", "status")
                .from("activities")
                .where("programme_slug", .equal, programmeSlug)
                .where("status", .in, [ActivityStatus.approved.rawValue, ActivityStatus.submitted.rawValue])
                .where("task_code", .in, Set(checked.map(\.taskCode)).sorted())
                .where("start_date", .in, Set(checked.map(\.startDate.description)).sorted())
                .all(decoding: Row.self)
        }
        return rows.map { row in
            DuplicateCandidate(id: row.id, organisationID: row.organisation_id, taskCode: row.task_code,
                               startDate: CalendarDate(iso: row.start_date)!, district: row.district.flatMap(District.init(number:)),
                               title: row.title, status: row.status)
        }
    }

    /// The demo's default data (6,000 records, whose waiting records do have possible duplicates:
    /// organisations reporting the same kind of activity the same day in the same district under
    /// similar titles), every waiting record checked at once as the "only flagged" view does: the
    /// flags from the bounded read equal those from reading every record of the days, on both engines.
    @Test(arguments: DatabaseEngine.allCases)
    func theFlagsOfTheDemoDataAreTheSameAsFromReadingEveryRecordOfTheDays(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            let programme = try EmbeddedProgrammes.krakow()
            _ = try await repositories.programmes.save(programme)
            _ = try await DemoDataLoader(repositories: repositories, clock: clock.office).load(DemoData(programme: programme))
            let waiting = try await repositories.activities.list(ActivityFilter(programmeSlug: programme.slug, statuses: [.submitted]),
                                                                limit: 10_000, offset: 0)
            #expect(waiting.count > 100)
            let before = try await Self.everyRecordOfTheDays(database, programmeSlug: programme.slug, checked: waiting)
            let now = try await repositories.activities.duplicateCandidates(
                programmeSlug: programme.slug, of: waiting.map(DuplicateCandidate.init), limit: QualityCheck.candidateLimit)
            let old = QualityCheck.flags(for: waiting, inputs: QualityInputs(candidates: before))
            let new = QualityCheck.flags(for: waiting, inputs: QualityInputs(candidates: now))
            let flagged = old.values.filter { $0.contains { $0.kind == .possibleDuplicate } }.count
            #expect(flagged >= 3, "the data set has real duplicates (\(flagged) records flagged)")
            #expect(new == old)
            // What the bounded read returns is only what shares a key with a checked record.
            #expect(now.count < before.count, "\(now.count) rows now, \(before.count) before")
            #expect(Set(now).isSubset(of: Set(before)))
        }
    }

    /// SQLite's plan of the read searches `activities_duplicates` (migration 29, narrowed to task
    /// and day by migration 30) once per checked
    /// record and never scans `activities`: a plan, not a time, so the same answer on any machine.
    @Test func theCandidatesAreFoundThroughTheDuplicatesIndex() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let repository = SQLActivityRepository(database: database)
            let checked = [
                DuplicateCandidate(id: 1, organisationID: 1, taskCode: "4.1", startDate: Fixtures.day("2025-06-14"),
                                   district: Fixtures.district(18), title: "Festyn", status: .submitted),
                DuplicateCandidate(id: 2, organisationID: 2, taskCode: "4.2", startDate: Fixtures.day("2025-06-15"),
                                   district: nil, title: "Festyn", status: .submitted),
            ]
            let count = QueryCount()
            try await Database.counting(into: count) {
                _ = try await repository.duplicateCandidates(programmeSlug: Fixtures.krakowSlug, of: checked, limit: 20)
            }
            let statement = try #require(count.statements.first { $0.sql.contains("activities") }).sql
            let plan = try await database.withConnection { db in
                try await db.raw(SQLQueryString("EXPLAIN QUERY PLAN " + statement)).all().map { try $0.decode(column: "detail", as: String.self) }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH a USING INDEX activities_duplicates (task_code=? AND start_date=?)") },
                    "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN a") }, "\(plan)")
        }
    }
}
