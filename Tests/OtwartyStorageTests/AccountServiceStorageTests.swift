import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// AccountService over the SQL repositories (its rules are unit-tested in Core; here the point is
/// that the flows hold on real storage).
@Suite struct AccountServiceStorageTests {
    static let password = "zielony rower nad Wisłą"

    static func service(_ database: Database, clock: TestClock) -> AccountService {
        AccountService(repositories: .sql(database, clock: clock.office), hasher: FakePasswordHasher(),
                       passwordPolicy: PasswordPolicy(commonPasswords: []), clock: clock.office)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func setupLinkCreatesTheFirstAdministratorOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            #expect(try await accounts.needsSetup())

            let superseded = try #require(try await accounts.issueSetupToken())
            let token = try #require(try await accounts.issueSetupToken())
            #expect(try await accounts.isUsableSetupToken(superseded) == false) // only the newest link works
            #expect(try await accounts.isUsableSetupToken(token))

            clock.advance(by: 60)
            let admin = try await accounts.completeSetup(token: token, email: " Admin@Example.org ",
                                                         displayName: "Anna Admin", password: Self.password)
            #expect(admin.role == .administrator)
            #expect(admin.email == "admin@example.org")
            #expect(admin.canSignIn)
            #expect(try await accounts.repositories.users.user(email: "admin@example.org") == admin)
            #expect(try await accounts.needsSetup() == false)
            #expect(try await accounts.repositories.audit.entries(subject: "user:\(admin.id)", limit: 10)
                .map(\.action) == ["user.setup"])

            await #expect(throws: DomainError.notFound("This setup link")) {
                _ = try await accounts.completeSetup(token: token, email: "second@example.org",
                                                     displayName: "Second", password: Self.password)
            }
            #expect(try await accounts.issueSetupToken() == nil)
            #expect(try await accounts.repositories.users.countActive(role: .administrator) == 1)

            let signIn = try await accounts.signIn(email: "ADMIN@example.org", password: Self.password, client: "192.0.2.1")
            guard case let .signedIn(user, sessionToken) = signIn else {
                Issue.record("expected to sign in, got \(signIn)")
                return
            }
            #expect(user == admin)
            let resolved = try #require(try await accounts.resolveSession(token: sessionToken))
            #expect(resolved.1 == admin)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func expiredSetupLinkIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let token = try #require(try await accounts.issueSetupToken())
            clock.advance(by: AccountService.setupLinkLifetime)
            await #expect(throws: DomainError.notFound("This setup link")) {
                _ = try await accounts.completeSetup(token: token, email: "admin@example.org",
                                                     displayName: "Admin", password: Self.password)
            }
            #expect(try await accounts.needsSetup())
        }
    }
    // Sign-in throttling: LoginThrottleStorageTests.
}
