import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct ReferenceRepositoryTests {
    typealias F = ActivityFixtures
    static func at(_ seconds: Double) -> Date { F.t0.addingTimeInterval(seconds) }

    @Test(arguments: DatabaseEngine.allCases)
    func revisionsNewestFirstAndTheNewestIsCurrent(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let references = SQLReferenceRepository(database: database)
            let user = try await F.user(database)
            #expect(try await references.current(key: "foreign-residents", year: 2025) == nil)
            #expect(try await references.revisions(key: "foreign-residents", year: 2025).isEmpty)
            #expect(try await references.allCurrent().isEmpty)

            // Stored out of time order: the newest by time is current, not the last stored.
            let estimate = ReferenceValue(key: "foreign-residents", year: 2025, value: 80_000.5, source: "szacunek",
                                          recordedAt: Self.at(10))
            let official = ReferenceValue(key: "foreign-residents", year: 2025, value: 100_000, source: "GUS",
                                          asOf: F.day("2025-06-30"), recordedAt: Self.at(30))
            let revised = ReferenceValue(key: "foreign-residents", year: 2025, value: 90_000, source: "GUS (wstępne)",
                                         recordedAt: Self.at(20))
            try await references.set(estimate, by: user)
            try await references.set(official, by: nil)
            try await references.set(revised, by: user)
            // Other keys and years do not mix in.
            let staff = ReferenceValue(key: "city-staff", year: 2025, value: 5_000, source: "Kadry", recordedAt: Self.at(40))
            let lastYear = ReferenceValue(key: "foreign-residents", year: 2024, value: 70_000, source: "GUS",
                                          recordedAt: Self.at(50))
            try await references.set(staff, by: user)
            try await references.set(lastYear, by: user)

            #expect(try await references.revisions(key: "foreign-residents", year: 2025) == [official, revised, estimate])
            #expect(try await references.current(key: "foreign-residents", year: 2025) == official)
            #expect(try await references.current(key: "foreign-residents", year: 2024) == lastYear)
            #expect(try await references.current(key: "city-staff", year: 2025) == staff)
            #expect(try await references.current(key: "city-staff", year: 2024) == nil)

            // A revision at the same moment as the current one: the later stored wins (as in memory).
            let correction = ReferenceValue(key: "foreign-residents", year: 2025, value: 101_000, source: "GUS (korekta)",
                                            asOf: F.day("2025-07-01"), recordedAt: Self.at(30))
            try await references.set(correction, by: user)
            #expect(try await references.current(key: "foreign-residents", year: 2025) == correction)
            #expect(try await references.revisions(key: "foreign-residents", year: 2025)
                        == [correction, official, revised, estimate])

            // And a newer one replaces it.
            let newest = ReferenceValue(key: "foreign-residents", year: 2025, value: 102_000, source: "GUS",
                                        recordedAt: Self.at(100))
            try await references.set(newest, by: user)
            #expect(try await references.current(key: "foreign-residents", year: 2025) == newest)
            #expect(try await references.revisions(key: "foreign-residents", year: 2025).count == 5)

            // The same answers as the in-memory statistics given the same revisions in the same order.
            let memory = InMemoryReferenceStatistics(values: [estimate, official, revised, staff, lastYear, correction, newest])
            for key in ["foreign-residents", "city-staff", "unknown"] {
                for year in 2023...2026 {
                    #expect(try await references.current(key: key, year: year) == (try await memory.current(key: key, year: year)),
                            "\(key) \(year)")
                }
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func allCurrentHasOneValuePerKeyAndYear(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let references = SQLReferenceRepository(database: database)
            func value(_ key: String, _ year: Int, _ value: Double, _ seconds: Double) -> ReferenceValue {
                ReferenceValue(key: key, year: year, value: value, source: "źródło \(value)", recordedAt: Self.at(seconds))
            }
            let values = [
                value("foreign-residents", 2026, 1, 5), value("foreign-residents", 2024, 2, 1),
                value("foreign-residents", 2024, 3, 9), value("foreign-residents", 2024, 4, 3),
                value("city-staff", 2025, 5, 2), value("city-staff", 2025, 6, 1),
                value("city-staff", 2024, 7, 1), value("a-key", 2030, 8, 1),
            ]
            for v in values { try await references.set(v, by: nil) }
            let current = try await references.allCurrent()
            #expect(current.map { "\($0.key) \($0.year) \($0.value)" } == [
                "a-key 2030 8.0", "city-staff 2024 7.0", "city-staff 2025 5.0",
                "foreign-residents 2024 3.0", "foreign-residents 2026 1.0",
            ])
            #expect(current[3] == values[2])
        }
    }
}

@Suite struct CoordinatorRepositoryTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func addAndListByOrganisation(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let coordinators = SQLCoordinatorRepository(database: database, clock: OfficeClock(now: { F.t0 }))
            let organisations = try await F.organisations(database, count: 3)
            #expect(try await coordinators.coordinators(organisationID: nil).isEmpty)

            let zofia = try await coordinators.add(CooperationCoordinator(
                id: 0, organisationID: organisations[0], name: "Zofia Nowak", function: "Kierownik referatu",
                email: "zofia.nowak@um.krakow.pl", phone: "+48 12 616 00 00",
                validFrom: F.day("2024-01-01"), validUntil: F.day("2025-12-31")))
            let adam = try await coordinators.add(CooperationCoordinator(id: 0, organisationID: organisations[0],
                                                                         name: "Adam Kowalski"))
            let olena = try await coordinators.add(CooperationCoordinator(
                id: 0, organisationID: organisations[1], name: "Olena Шевченко", email: "olena@example.org",
                validFrom: F.day("2025-03-01")))
            #expect(Set([zofia.id, adam.id, olena.id]).count == 3)
            #expect([zofia, adam, olena].allSatisfy { $0.id > 0 })
            #expect(zofia.name == "Zofia Nowak" && zofia.validUntil == F.day("2025-12-31"))

            // By name, with every field as given.
            #expect(try await coordinators.coordinators(organisationID: organisations[0]) == [adam, zofia])
            #expect(try await coordinators.coordinators(organisationID: organisations[1]) == [olena])
            #expect(try await coordinators.coordinators(organisationID: organisations[2]).isEmpty)
            #expect(try await coordinators.coordinators(organisationID: nil) == [adam, olena, zofia])

            // Only organisations that exist.
            await #expect(throws: (any Error).self) {
                _ = try await coordinators.add(CooperationCoordinator(id: 0, organisationID: organisations[2] + 1000,
                                                                      name: "Nikt"))
            }
            #expect(try await coordinators.coordinators(organisationID: nil).count == 3)
        }
    }
}
