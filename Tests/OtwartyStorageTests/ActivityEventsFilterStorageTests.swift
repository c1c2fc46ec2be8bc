import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// The filters the public events list counts and pages with (issue 15: the page read every
/// public record of the year and filtered them in Swift): kinds, a language between the stored
/// separators in any case, and a range of start dates — on both engines, as the in-memory filter.
@Suite struct ActivityEventsFilterStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func kindsLanguageAndStartDatesSelectInTheDatabase(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            func store(_ title: String, kind: ActivityKind, start: String, languages: [String]) async throws -> ActivityID {
                try await repository.create(
                    programmeSlug: F.slug,
                    input: ActivityInput(taskCode: "4.1", kind: kind, title: title, startDate: F.day(start), organisationID: organisation,
                                         languages: languages),
                    status: .approved, by: nil, at: F.t0).id
            }
            let workshop = try await store("Warsztat", kind: .workshop, start: "2025-03-01", languages: ["pl", "UK"])
            let event = try await store("Festyn", kind: .event, start: "2025-06-15", languages: ["ukr"])
            let meeting = try await store("Zebranie", kind: .meeting, start: "2025-06-16", languages: ["uk"])
            let later = try await store("Koncert", kind: .event, start: "2026-01-02", languages: ["en"])

            func ids(_ change: (inout ActivityFilter) -> Void) async throws -> [ActivityID] {
                var filter = ActivityFilter(programmeSlug: F.slug, statuses: [.approved])
                change(&filter)
                let listed = try await repository.list(filter, limit: 10, offset: 0).map(\.id)
                #expect(try await repository.count(filter) == listed.count)
                return listed
            }
            #expect(try await ids { $0.kinds = [.workshop, .event] } == [later, event, workshop])
            #expect(try await ids { $0.kinds = [] } == [])
            // "uk" in any case, and not inside "ukr".
            #expect(try await ids { $0.language = "uk" } == [meeting, workshop])
            #expect(try await ids { $0.language = "%" } == [])
            #expect(try await ids { $0.startsFrom = F.day("2025-06-15"); $0.startsThrough = F.day("2025-12-31") } == [meeting, event])
            #expect(try await ids { $0.kinds = ActivityKind.publicKinds; $0.language = "UK"; $0.startsThrough = F.day("2025-06-30") }
                == [workshop])
        }
    }
}
