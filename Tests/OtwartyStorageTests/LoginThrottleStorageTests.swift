import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// A stand-in for bcrypt that takes time like bcrypt does, so parallel sign-ins overlap.
struct SlowFakePasswordHasher: PasswordHasher {
    var delay: Duration = .milliseconds(40)
    func hash(_ password: String) async throws -> String {
        try await Task.sleep(for: delay)
        return "sha256:" + SecretToken.digest(password)
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await self.hash(password) == hash
    }
}

/// Issue 10, item 3: the sign-in throttle reserves each attempt in the database before bcrypt,
/// with limits per (account, client), per account and per client, and growing delays.
@Suite struct LoginThrottleStorageTests {
    static let password = "zielony rower nad Wisłą"

    static func service(_ database: Database, clock: TestClock, policy: LoginThrottlePolicy = .init(),
                        hasher: any PasswordHasher = FakePasswordHasher()) -> AccountService {
        AccountService(repositories: .sql(database, clock: clock.office), hasher: hasher,
                       passwordPolicy: PasswordPolicy(commonPasswords: []), throttlePolicy: policy, clock: clock.office)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func thirtyParallelWrongPasswordsGetExactlyTheLimit(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock, hasher: SlowFakePasswordHasher())
            _ = try await accounts.createUser(email: "ala@example.org", displayName: "Ala", role: .viewer,
                                              organisationID: nil, password: Self.password)
            let results = try await withThrowingTaskGroup(of: AccountService.SignInResult.self) { group in
                for attempt in 0..<30 {
                    group.addTask {
                        try await accounts.signIn(email: "ala@example.org", password: "wrong password \(attempt)",
                                                  client: "198.51.100.7")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let refused = results.filter { $0 == .invalidCredentials }.count
            let throttled = results.filter { if case .throttled = $0 { true } else { false } }.count
            #expect(refused == LoginThrottlePolicy().maxFailuresPerAccountAndClient)
            #expect(throttled == 30 - refused)
            #expect(results.allSatisfy { $0 == .invalidCredentials || $0 == .throttled(retryAfter: 900) })
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func theRealUserSignsInFromAnotherClientWhileTheAttackerIsThrottled(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let user = try await accounts.createUser(email: "ala@example.org", displayName: "Ala", role: .viewer,
                                                     organisationID: nil, password: Self.password)
            for attempt in 1...5 {
                clock.advance(by: 1)
                #expect(try await accounts.signIn(email: "ala@example.org", password: "guess \(attempt)",
                                                  client: "203.0.113.66") == .invalidCredentials)
            }
            clock.advance(by: 1)
            // The attacker's client is throttled, even with the right password.
            #expect(try await accounts.signIn(email: "ala@example.org", password: Self.password, client: "203.0.113.66")
                    == .throttled(retryAfter: 900 - 5))
            // Ala, from her own address, is not.
            let result = try await accounts.signIn(email: "ALA@example.org", password: Self.password, client: "192.0.2.10")
            guard case let .signedIn(signedIn, _) = result else {
                Issue.record("expected to sign in, got \(result)")
                return
            }
            #expect(signedIn.id == user.id)
            // Her success does not free the attacker's client.
            #expect(try await accounts.signIn(email: "ala@example.org", password: "guess 6", client: "203.0.113.66")
                    == .throttled(retryAfter: 900 - 5))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func retryAfterGrowsWithConsecutiveFailuresUpToTheCap(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            _ = try await accounts.createUser(email: "ala@example.org", displayName: "Ala", role: .viewer,
                                              organisationID: nil, password: Self.password)
            let client = "198.51.100.20"
            func attempt(_ password: String = "not the password") async throws -> AccountService.SignInResult {
                try await accounts.signIn(email: "ala@example.org", password: password, client: client)
            }
            for _ in 1...5 { #expect(try await attempt() == .invalidCredentials) }
            #expect(try await attempt() == .throttled(retryAfter: 900))
            clock.advance(by: 900) // the window is free again; the delay after five failures (60 s) has passed
            var waits: [Int] = []
            for _ in 0..<8 {
                #expect(try await attempt() == .invalidCredentials)
                guard case let .throttled(wait) = try await attempt() else {
                    Issue.record("expected a delay")
                    return
                }
                waits.append(wait)
                clock.advance(by: TimeInterval(wait))
            }
            // 6, 7, 8 … consecutive failures: 2, 4, 8, 16, 32 minutes, then capped at an hour.
            #expect(waits == [120, 240, 480, 960, 1920, 3600, 3600, 3600])
            // The right password after the wait resets the count.
            guard case .signedIn = try await attempt(Self.password) else {
                Issue.record("expected to sign in after waiting")
                return
            }
            for _ in 1...5 { #expect(try await attempt() == .invalidCredentials) }
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func manyClientsAgainstOneAccountAndOneClientAgainstManyAccounts(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let policy = LoginThrottlePolicy(maxFailuresPerAccountAndClient: 3, maxFailuresPerAccount: 6, maxFailuresPerClient: 4)
            let accounts = Self.service(database, clock: clock, policy: policy)
            _ = try await accounts.createUser(email: "ala@example.org", displayName: "Ala", role: .viewer,
                                              organisationID: nil, password: Self.password)
            // A botnet: two tries from each of three addresses reach the account's limit.
            for n in 1...6 {
                #expect(try await accounts.signIn(email: "ala@example.org", password: "x\(n)", client: "10.0.0.\(n % 3)")
                        == .invalidCredentials)
            }
            #expect(try await accounts.signIn(email: "ala@example.org", password: Self.password, client: "192.0.2.10")
                    == .throttled(retryAfter: 900))
            // One address trying many accounts reaches the client's limit.
            for n in 1...4 {
                #expect(try await accounts.signIn(email: "user\(n)@example.org", password: "x", client: "10.9.9.9")
                        == .invalidCredentials)
            }
            #expect(try await accounts.signIn(email: "user9@example.org", password: "x", client: "10.9.9.9")
                    == .throttled(retryAfter: 900))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func attemptsAreStoredAsDigestsAndPurged(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            _ = try await accounts.signIn(email: "secret.person@example.org", password: "x", client: "192.0.2.99")
            let rows = try await database.withConnection { db in
                try await db.raw("SELECT account_key, client_key FROM login_attempts").all().map {
                    try $0.decode(column: "account_key", as: String.self) + " " + $0.decode(column: "client_key", as: String.self)
                }
            }
            #expect(rows.count == 1)
            #expect(!rows[0].contains("secret") && !rows[0].contains("192.0.2"))
            clock.advance(by: LoginThrottlePolicy().memory + 1)
            try await accounts.purgeExpired()
            let left = try await database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM login_attempts").first()?.decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
        }
    }
}
