import Foundation
import OtwartyCore
import OtwartyDemo
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// The write services that take all of `Repositories` (service points and winners in
/// `PublicServices`, organisations in `AccountService`, the demo's `DemoDataLoader`): their checks
/// and audit entries, on both engines.
@Suite struct WriteServicesStorageTests {
    typealias F = ActivityFixtures

    static func user(_ repositories: Repositories, _ database: Database, role: Role, _ email: String) async throws -> User {
        let id = try await repositories.users.create(
            NewUser(email: email, displayName: email, role: role, organisationID: nil, passwordHash: nil), at: F.t0).id
        return try #require(try await repositories.users.user(id: id))
    }

    @Test(arguments: DatabaseEngine.allCases)
    func servicePointsAreCheckedSavedAndAudited(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            let services = PublicServices(repositories: repositories, clock: clock.office)
            let coordinator = try await Self.user(repositories, database, role: .programmeCoordinator, "pk@example.org")
            let viewer = try await Self.user(repositories, database, role: .viewer, "radna@example.org")
            let point = ServicePoint(name: "Punkt Informacyjny", address: "ul. Józefińska 14", openingHours: "pn–pt 9–17",
                                     languages: "polski, українська", contact: "555 100 200")

            let saved = try await services.savePoint(point, by: coordinator)
            #expect(try await repositories.servicePoints.all().map(\.name) == ["Punkt Informacyjny"])
            #expect(try await repositories.audit.entries(subject: "service-point:\(saved.id)", limit: 5) == [
                AuditEntry(at: TestClock.defaultStart, actorUserID: coordinator.id, action: "service-point.saved",
                           subject: "service-point:\(saved.id)", detail: "Punkt Informacyjny")])

            var nameless = point
            nameless.name = " "
            await #expect(throws: DomainError.self) { try await services.savePoint(nameless, by: coordinator) }
            do { try await services.savePoint(nameless, by: coordinator) } catch let DomainError.invalid(errors) {
                #expect(errors.map(\.field) == ["name"])
            }
            await #expect(throws: DomainError.forbidden("only the programme office edits service points")) {
                try await services.savePoint(point, by: viewer)
            }
            #expect(try await repositories.servicePoints.all().count == 1)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func winnersAreNamedByTheOfficeAndAudited(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            let services = PublicServices(repositories: repositories, clock: clock.office)
            let coordinator = try await Self.user(repositories, database, role: .programmeCoordinator, "pk@example.org")
            let juror = try await Self.user(repositories, database, role: .viewer, "jurorka@example.org")
            try await repositories.ambassador.saveEdition(AmbassadorEdition(year: 2026, opensOn: F.day("2026-09-01"),
                                                                            closesOn: F.day("2026-10-31")))
            #expect(try await repositories.ambassador.nominate(Nomination(
                year: 2026, nominee: "Fundacja Mosty", category: .organisation, justification: "Lekcje języka",
                contact: "a@example.org", language: "pl", submittedOn: F.day("2026-09-10"), submission: String(repeating: "s", count: 20))))
            let id = try #require(try await repositories.ambassador.nominations(year: 2026).first?.nomination.id)

            try await services.setWinner(nominationID: id, winner: true, by: coordinator)
            #expect(try await repositories.ambassador.nominations(year: 2026).first?.nomination.isWinner == true)
            await #expect(throws: DomainError.forbidden("only the programme office names winners")) {
                try await services.setWinner(nominationID: id, winner: false, by: juror)
            }
            try await services.setWinner(nominationID: id, winner: false, by: coordinator)
            #expect(try await repositories.ambassador.nominations(year: 2026).first?.nomination.isWinner == false)
            #expect(try await repositories.audit.entries(subject: "nomination:\(id)", limit: 5).map { [$0.action, $0.detail] }
                == [["ambassador.winner", "0"], ["ambassador.winner", "1"]])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func organisationsAreCheckedCreatedAndAudited(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = AccountService(repositories: .sql(database, clock: clock.office), hasher: FakePasswordHasher(),
                                          passwordPolicy: PasswordPolicy(commonPasswords: []), clock: clock.office)
            let admin = try await F.user(database, "admin@example.org")
            let created = try await accounts.createOrganisation(name: "Wydział Edukacji", kind: .cityOfficeUnit, by: admin)
            #expect(try await accounts.repositories.organisations.organisation(named: "Wydział Edukacji") == created)
            #expect(try await accounts.repositories.audit.entries(subject: "organisation:\(created.id)", limit: 5) == [
                AuditEntry(at: TestClock.defaultStart, actorUserID: admin, action: "organisation.created",
                           subject: "organisation:\(created.id)")])

            for name in ["", String(repeating: "o", count: AccountService.maxOrganisationNameLength + 1)] {
                do {
                    _ = try await accounts.createOrganisation(name: name, kind: .ngo, by: admin)
                    Issue.record("the name \"\(name.prefix(10))…\" was accepted")
                } catch let DomainError.invalid(errors) {
                    #expect(errors.map(\.field) == ["organisationName"])
                }
            }
            await #expect(throws: DomainError.self) {
                _ = try await accounts.createOrganisation(name: "Wydział Edukacji", kind: .ngo, by: admin)
            }
            #expect(try await accounts.repositories.organisations.all().count == 1)
            #expect(try await accounts.repositories.audit.entries(subject: nil, limit: 10).map(\.action) == ["organisation.created"])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theDemoLoadWritesOneAuditEntry(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            let programme = try EmbeddedProgrammes.krakow()
            _ = try await repositories.programmes.save(programme)
            let demo = DemoData(programme: programme, records: 300, seed: 11)
            let loaded = try await DemoDataLoader(repositories: repositories, clock: clock.office).load(demo)
            #expect(loaded.byStatus.values.reduce(0, +) == 300)
            #expect(try await repositories.activities.count(ActivityFilter(programmeSlug: programme.slug)) == 300)
            let returned = try await repositories.activities.list(ActivityFilter(programmeSlug: programme.slug, statuses: [.returned]),
                                                                 limit: 300, offset: 0)
            #expect(returned.allSatisfy { $0.reviewComment == DemoData.reviewComment(for: $0.input) })
            #expect(loaded.prepared.organisationsCreated == demo.organisations.count)
            #expect(try await repositories.audit.entries(subject: nil, limit: 10) == [
                AuditEntry(at: TestClock.defaultStart, actorUserID: nil, action: "demo.loaded", subject: "programme:\(programme.slug)",
                           detail: "300 synthetic records, seed 11")])
        }
    }
}
