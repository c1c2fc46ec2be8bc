import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

@Suite struct ProgrammeRepositoryTests {
    let krakow: Programme
    init() throws { krakow = try EmbeddedProgrammes.krakow() }

    @Test(arguments: DatabaseEngine.allCases)
    func saveReportsCreatedUnchangedUpdated(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let programmes = SQLProgrammeRepository(database: database, clock: clock.office)
            let created = clock.now

            #expect(try await programmes.save(krakow) == .created)
            clock.advance(by: 60)
            #expect(try await programmes.save(krakow) == .unchanged)
            #expect(try await programmes.summaries().map(\.updatedAt) == [created])

            var retitled = krakow
            retitled.title = "Program „Otwarty Kraków” – tekst zmieniony"
            clock.advance(by: 60)
            #expect(try await programmes.save(retitled) == .updated)
            #expect(try await programmes.programme(slug: krakow.slug) == retitled)
            let summaries = try await programmes.summaries()
            #expect(summaries.count == 1)
            #expect(summaries.first?.title == retitled.title)
            #expect(summaries.first?.updatedAt == clock.now)

            // Saving the original again is a change back, not "unchanged".
            #expect(try await programmes.save(krakow) == .updated)
            #expect(try await programmes.save(krakow) == .unchanged)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func krakowRoundTripsWhole(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let programmes = SQLProgrammeRepository(database: database)
            _ = try await programmes.save(krakow)
            let stored = try #require(try await programmes.programme(slug: EmbeddedProgrammes.krakowSlug))
            #expect(stored == krakow)
            #expect(stored.tasks.count == krakow.tasks.count)
            #expect(stored.tasks.flatMap(\.measures).count == krakow.tasks.flatMap(\.measures).count)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func summariesAreOldestFirst(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let programmes = SQLProgrammeRepository(database: database, clock: clock.office)
            // Slugs chosen so that alphabetical order is the reverse of age.
            var later = krakow
            later.slug = "a-later-programme"
            later.title = "A later programme"
            later.resolution = "I/1/29"
            later.period = Period(from: 2029, to: 2033)

            #expect(try await programmes.save(krakow) == .created)
            clock.advance(by: 10)
            #expect(try await programmes.save(later) == .created)
            // Updating the older one does not move it.
            var retitled = krakow
            retitled.title = "Retitled"
            clock.advance(by: 10)
            #expect(try await programmes.save(retitled) == .updated)

            let summaries = try await programmes.summaries()
            #expect(summaries.map(\.slug) == [krakow.slug, later.slug])
            #expect(summaries.last == ProgrammeSummary(slug: later.slug, title: later.title, resolution: "I/1/29",
                                                       period: Period(from: 2029, to: 2033),
                                                       updatedAt: clock.now.addingTimeInterval(-10)))
            #expect(summaries.first?.resolution == krakow.resolution)
            #expect(summaries.first?.period == krakow.period)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func unknownSlugIsNil(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let programmes = SQLProgrammeRepository(database: database)
            #expect(try await programmes.programme(slug: "no-such-programme") == nil)
            #expect(try await programmes.summaries().isEmpty)
            _ = try await programmes.save(krakow)
            #expect(try await programmes.programme(slug: "no-such-programme") == nil)
        }
    }
}
