import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// The review queue's storage (migration 18): when a record was submitted, the queue's order by
/// it, and the search, on both engines.
@Suite struct ActivityQueueStorageTests {
    typealias F = ActivityFixtures

    static func input(_ title: String, organisation: OrganisationID, task: String = "4.1", kind: ActivityKind = .event,
                      start: String = "2025-06-14", institution: String? = nil) -> ActivityInput {
        ActivityInput(taskCode: task, kind: kind, title: title, startDate: F.day(start), organisationID: organisation,
                      institution: institution)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func submissionTimeIsKeptAndOrdersTheQueue(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            let t = { (days: Double) in F.t0.addingTimeInterval(days * 86_400) }
            // Stored as submitted (an import): waiting from the moment it was stored.
            let imported = try await repository.create(programmeSlug: F.slug, input: Self.input("Importowany", organisation: organisation,
                                                                                                 start: "2024-01-10"),
                                                       status: .submitted, by: nil, at: t(2))
            #expect(imported.submittedAt == t(2))
            // Drafted first, submitted later: waiting from the submission, not the creation.
            let early = try await repository.create(programmeSlug: F.slug, input: Self.input("Wczesny", organisation: organisation,
                                                                                              start: "2026-03-01"),
                                                    status: .draft, by: nil, at: t(0))
            #expect(early.submittedAt == nil)
            try await repository.update(id: early.id, input: early.input, status: .submitted, reviewComment: nil, at: t(1))
            // An edit of a record already waiting keeps its place.
            var edited = early.input
            edited.title = "Wczesny (poprawiony)"
            try await repository.update(id: early.id, input: edited, status: .submitted, reviewComment: nil, at: t(5))
            #expect(try await repository.record(id: early.id)?.submittedAt == t(1))
            let late = try await repository.create(programmeSlug: F.slug, input: Self.input("Późny", organisation: organisation,
                                                                                             start: "2025-01-01"),
                                                   status: .draft, by: nil, at: t(0))
            try await repository.update(id: late.id, input: late.input, status: .submitted, reviewComment: nil, at: t(3))

            var queue = ActivityFilter(programmeSlug: F.slug, statuses: [.submitted])
            queue.order = .longestWaiting
            #expect(try await repository.list(queue, limit: 10, offset: 0).map(\.id) == [early.id, imported.id, late.id])
            // Newest first by start date, as every other list.
            queue.order = .newestFirst
            #expect(try await repository.list(queue, limit: 10, offset: 0).map(\.id) == [early.id, late.id, imported.id])

            // Approval keeps the time; a return and a new submission start a new wait.
            try await repository.update(id: early.id, input: edited, status: .approved, reviewComment: nil, at: t(6))
            #expect(try await repository.record(id: early.id)?.submittedAt == t(1))
            try await repository.update(id: early.id, input: edited, status: .returned, reviewComment: "x", at: t(7))
            try await repository.update(id: early.id, input: edited, status: .submitted, reviewComment: "x", at: t(8))
            queue.order = .longestWaiting
            #expect(try await repository.list(queue, limit: 10, offset: 0).map(\.id) == [imported.id, late.id, early.id])
            #expect(try await repository.list(queue, limit: 1, offset: 1).map(\.id) == [late.id])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func searchIgnoresCaseAndDiacriticsAndTakesPercentAndUnderscoreLiterally(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            var ids: [String: ActivityID] = [:]
            for (title, institution, kind) in [
                ("Rabat 50%_off na bilety", nil, ActivityKind.event), ("Rabat 500 off", nil, .event), ("Rabat 50x_off", nil, .event),
                ("Rabat 50%xoff", nil, .event), ("Festyn „Sąsiedzi z całego ŚWIATA”", nil, .event),
                ("Lekcja o Łemkach", "Szkoła Podstawowa nr 5", .workshop), ("Back\\slash", nil, .other),
            ] as [(String, String?, ActivityKind)] {
                ids[title] = try await repository.create(programmeSlug: F.slug, input: Self.input(title, organisation: organisation,
                                                                                                   kind: kind, institution: institution),
                                                         status: .submitted, by: nil, at: F.t0).id
            }
            func found(_ search: String, kind: ActivityKind? = nil) async throws -> Set<String> {
                var filter = ActivityFilter(programmeSlug: F.slug, search: search)
                filter.kind = kind
                let records = try await repository.list(filter, limit: 50, offset: 0)
                #expect(try await repository.count(filter) == records.count)
                return Set(records.map(\.title))
            }
            #expect(try await found("50%_") == ["Rabat 50%_off na bilety"], "% and _ mean themselves")
            #expect(try await found("50%") == ["Rabat 50%_off na bilety", "Rabat 50%xoff"])
            #expect(try await found("_off") == ["Rabat 50%_off na bilety", "Rabat 50x_off"], "not \"500 off\"")
            #expect(try await found("swiata") == ["Festyn „Sąsiedzi z całego ŚWIATA”"], "without diacritics, any case")
            #expect(try await found("  CAŁEGO Świata ") == ["Festyn „Sąsiedzi z całego ŚWIATA”"])
            #expect(try await found("świata festyn") == ["Festyn „Sąsiedzi z całego ŚWIATA”"], "every word, in any order")
            #expect(try await found("festyn lemkach").isEmpty)
            #expect(try await found("łemkach") == ["Lekcja o Łemkach"])
            #expect(try await found("LEMKACH") == ["Lekcja o Łemkach"])
            #expect(try await found("szkoła podstawowa") == ["Lekcja o Łemkach"], "the institution is searched too")
            #expect(try await found("k\\s") == ["Back\\slash"], "a backslash is a character, not an escape")
            #expect(try await found("rabat", kind: .event).count == 4)
            #expect(try await found("rabat", kind: .workshop).isEmpty)
            #expect(try await found("   ").count == ids.count, "a blank search selects everything")
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func migration18FillsSubmissionTimesAndSearchTextOfEarlierRecords(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { database in
            try await Migrations.run(on: database, migrations: Migrations.all.filter { $0.version < 18 })
            let organisation = try await F.organisations(database, count: 1)[0]
            let repository = SQLActivityRepository(database: database)
            try await database.withConnection { db in
                // Rows as the schema before 18 held them: three records, written with the columns of then.
                for (id, title, status, updated) in [(1, "Wysłany ze śladem", "submitted", 500.0), (2, "Wysłany z importu", "submitted", 700.0),
                                                      (3, "Zatwierdzony", "approved", 900.0)] as [(Int64, String, String, Double)] {
                    try await db.raw("""
                        INSERT INTO activities (id, programme_slug, task_code, kind, title, start_date, year, quarter, organisation_id,
                            status, created_at, updated_at)
                        VALUES (\(bind: id), \(bind: F.slug), '4.1', 'event', \(bind: title), '2025-06-14', 2025, 2, \(bind: organisation),
                            \(bind: status), 100, \(bind: updated))
                        """).run()
                }
                // Record 1 was submitted at 300 (its last submission), then edited at 500.
                for (at, action) in [(200.0, "activity.submitted"), (300.0, "activity.submitted"), (250.0, "activity.returned")] {
                    try await db.raw("""
                        INSERT INTO audit_log (at, action, subject, detail) VALUES (\(bind: at), \(bind: action), 'activity:1', '{}')
                        """).run()
                }
            }
            try await Migrations.run(on: database)
            #expect(try await repository.record(id: 1)?.submittedAt == Date(timeIntervalSince1970: 300), "from the audit log")
            #expect(try await repository.record(id: 2)?.submittedAt == Date(timeIntervalSince1970: 700), "from the last change")
            #expect(try await repository.record(id: 3)?.submittedAt == nil, "only records waiting now")
            let found = try await repository.list(ActivityFilter(programmeSlug: F.slug, search: "SLADEM"), limit: 5, offset: 0)
            #expect(found.map(\.id) == [1], "search text filled for earlier records")
        }
    }
}
