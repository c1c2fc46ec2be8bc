import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct UserRepositoryTests {
    static let at = Date(timeIntervalSince1970: 1_750_000_000)

    static func newUser(_ email: String, role: Role = .viewer, organisationID: OrganisationID? = nil,
                        passwordHash: String? = nil) -> NewUser {
        NewUser(email: email, displayName: "Name of \(email)", role: role, organisationID: organisationID,
                passwordHash: passwordHash)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func createAndRead(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            let ala = try await users.create(Self.newUser("ala@example.org", role: .programmeCoordinator,
                                                          passwordHash: "hash-1"), at: Self.at)
            let bartek = try await users.create(Self.newUser("bartek@example.org"), at: Self.at)
            #expect(ala.id != bartek.id)
            #expect(ala == User(id: ala.id, email: "ala@example.org", displayName: "Name of ala@example.org",
                                role: .programmeCoordinator, organisationID: nil, passwordHash: "hash-1",
                                isDisabled: false, createdAt: Self.at))

            #expect(try await users.user(id: ala.id) == ala)
            #expect(try await users.user(id: bartek.id) == bartek)
            #expect(try await users.user(id: 987_654) == nil)
            #expect(try await users.user(email: "ala@example.org") == ala)
            // Stored lower-cased, looked up case-insensitively.
            #expect(try await users.user(email: "Ala@Example.ORG") == ala)
            #expect(try await users.user(email: "nobody@example.org") == nil)
            #expect(try await users.all() == [ala, bartek])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func duplicateEmailIsAConflict(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            _ = try await users.create(Self.newUser("ala@example.org"), at: Self.at)
            await expectConflict { _ = try await users.create(Self.newUser("ala@example.org", role: .administrator), at: Self.at) }
            #expect(try await users.all().count == 1)
        }
    }

    /// Two administrators inviting the same address at once: one user, and a conflict (not a
    /// driver error) for the other, on both engines.
    @Test(arguments: DatabaseEngine.allCases)
    func concurrentCreatesWithOneEmailMakeOneUser(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            for round in 0..<3 {
                let email = "race\(round)@example.org"
                let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            do {
                                _ = try await users.create(Self.newUser(email), at: Self.at)
                                return "created"
                            } catch DomainError.conflict {
                                return "conflict"
                            } catch {
                                return "other error: \(String(reflecting: error))"
                            }
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(outcomes.sorted() == ["conflict", "conflict", "conflict", "conflict", "conflict", "created"],
                        "round \(round)")
            }
            #expect(try await users.all().count == 3)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func passwordHashAndDisabling(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            let ala = try await users.create(Self.newUser("ala@example.org"), at: Self.at)
            let bartek = try await users.create(Self.newUser("bartek@example.org", passwordHash: "b"), at: Self.at)
            #expect(ala.passwordHash == nil)
            #expect(ala.canSignIn == false)

            try await users.setPasswordHash("new-hash", userID: ala.id)
            #expect(try await users.user(id: ala.id)?.passwordHash == "new-hash")
            #expect(try await users.user(id: ala.id)?.canSignIn == true)

            try await users.setDisabled(true, userID: ala.id)
            #expect(try await users.user(id: ala.id)?.isDisabled == true)
            #expect(try await users.user(id: ala.id)?.canSignIn == false)
            #expect(try await users.user(id: bartek.id) == bartek) // the other row is untouched
            try await users.setDisabled(false, userID: ala.id)
            #expect(try await users.user(id: ala.id)?.isDisabled == false)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func countActiveIgnoresDisabledUsers(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            #expect(try await users.countActive(role: .administrator) == 0)
            let first = try await users.create(Self.newUser("a1@example.org", role: .administrator), at: Self.at)
            _ = try await users.create(Self.newUser("a2@example.org", role: .administrator), at: Self.at)
            _ = try await users.create(Self.newUser("v1@example.org", role: .viewer), at: Self.at)
            #expect(try await users.countActive(role: .administrator) == 2)
            #expect(try await users.countActive(role: .viewer) == 1)
            #expect(try await users.countActive(role: .partner) == 0)

            try await users.setDisabled(true, userID: first.id)
            #expect(try await users.countActive(role: .administrator) == 1)
            #expect(try await users.countActive(role: .viewer) == 1)
            try await users.setDisabled(false, userID: first.id)
            #expect(try await users.countActive(role: .administrator) == 2)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func organisationBinding(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let users = SQLUserRepository(database: database)
            let organisations = SQLOrganisationRepository(database: database)
            let unit = try await organisations.create(name: "Wydział Polityki Społecznej", kind: .cityOfficeUnit)
            let partner = try await users.create(Self.newUser("p@example.org", role: .partner, organisationID: unit.id),
                                                 at: Self.at)
            #expect(partner.organisationID == unit.id)
            #expect(try await users.user(id: partner.id)?.organisationID == unit.id)

            // The foreign key: the database refuses an organisation that does not exist.
            await #expect(throws: (any Error).self) {
                _ = try await users.create(Self.newUser("q@example.org", role: .partner, organisationID: unit.id + 1000),
                                           at: Self.at)
            }
            #expect(try await users.user(email: "q@example.org") == nil)
        }
    }
}

@Suite struct OrganisationRepositoryTests {
    @Test(arguments: DatabaseEngine.allCases)
    func createReadAndList(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let organisations = SQLOrganisationRepository(database: database)
            #expect(try await organisations.all().isEmpty)
            let ngo = try await organisations.create(name: "Stowarzyszenie Interkulturalni", kind: .ngo)
            let unit = try await organisations.create(name: "Biuro ds. Dialogu", kind: .cityOfficeUnit)
            #expect(ngo.id != unit.id)
            #expect(ngo == Organisation(id: ngo.id, name: "Stowarzyszenie Interkulturalni", kind: .ngo))

            #expect(try await organisations.organisation(id: ngo.id) == ngo)
            #expect(try await organisations.organisation(id: unit.id) == unit)
            #expect(try await organisations.organisation(id: unit.id + ngo.id + 1000) == nil)
            #expect(try await organisations.organisation(named: "Biuro ds. Dialogu") == unit)
            #expect(try await organisations.organisation(named: "Nieznana") == nil)
            // Ordered by name.
            #expect(try await organisations.all() == [unit, ngo])
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func duplicateNameIsAConflict(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let organisations = SQLOrganisationRepository(database: database)
            _ = try await organisations.create(name: "Fundacja Ukraina", kind: .ngo)
            await expectConflict { _ = try await organisations.create(name: "Fundacja Ukraina", kind: .otherPartner) }
            #expect(try await organisations.all().count == 1)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func concurrentCreatesWithOneNameMakeOneOrganisation(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let organisations = SQLOrganisationRepository(database: database)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await organisations.create(name: "Fundacja Ukraina", kind: .ngo)
                            return "created"
                        } catch DomainError.conflict {
                            return "conflict"
                        } catch {
                            return "other error: \(String(reflecting: error))"
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.sorted() == ["conflict", "conflict", "conflict", "conflict", "conflict", "created"])
            #expect(try await organisations.all().count == 1)
        }
    }
}
