import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// API tokens over SQL: `SQLAPITokenRepository` with `AccountService.createAPIToken` and
/// `authenticate(bearer:)`.
@Suite struct APITokenStorageTests {
    static let password = "zielony rower nad Wisłą"

    static func service(_ database: Database, clock: TestClock) -> AccountService {
        AccountService(repositories: .sql(database, clock: clock.office), hasher: FakePasswordHasher(),
                       passwordPolicy: PasswordPolicy(commonPasswords: []), clock: clock.office)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func tokenAuthenticatesItsUserUntilRevokedOrDisabled(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let tokens = SQLAPITokenRepository(database: database)
            let admin = try await accounts.createUser(email: "admin@example.org", displayName: "Admin", role: .administrator,
                                                      organisationID: nil, password: Self.password)
            let viewer = try await accounts.createUser(email: "ola@example.org", displayName: "Ola", role: .viewer,
                                                       organisationID: nil, password: Self.password)

            let created = clock.now
            let token = try await accounts.createAPIToken(for: viewer, name: "  Skrypt raportowy  ", apiTokens: tokens)
            #expect(APIToken.isWellFormed(token))
            #expect(try await tokens.tokens(userID: viewer.id) == [
                APIToken(tokenHash: SecretToken.digest(token), userID: viewer.id, name: "Skrypt raportowy", createdAt: created,
                         expiresAt: created.addingTimeInterval(90 * 86_400)),
            ])
            #expect(try await tokens.tokens(userID: admin.id).isEmpty)

            clock.advance(by: 5)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == viewer)
            let firstUse = clock.now
            #expect(try await tokens.token(hash: SecretToken.digest(token))?.lastUsedAt == firstUse)
            // Use is recorded at most once a minute.
            clock.advance(by: 30)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == viewer)
            #expect(try await tokens.token(hash: SecretToken.digest(token))?.lastUsedAt == firstUse)
            clock.advance(by: 31)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == viewer)
            #expect(try await tokens.token(hash: SecretToken.digest(token))?.lastUsedAt == clock.now)

            // Malformed and unknown tokens.
            let hex = String(token.dropFirst(APIToken.prefix.count))
            for bad in ["", "otw_", hex, "Bearer " + token, token.uppercased(), token + "0", String(token.dropLast()),
                        "otw_" + String(repeating: "g", count: 64), " " + token] {
                #expect(try await accounts.authenticate(bearer: bad, apiTokens: tokens) == nil, "\(bad)")
            }
            #expect(try await accounts.authenticate(bearer: APIToken.generate(), apiTokens: tokens) == nil)

            // A second token; revoking it leaves the first working.
            clock.advance(by: 10)
            let second = try await accounts.createAPIToken(for: viewer, name: "   ", apiTokens: tokens)
            #expect(second != token)
            #expect(try await tokens.tokens(userID: viewer.id).map(\.name) == ["API token", "Skrypt raportowy"])
            #expect(try await accounts.authenticate(bearer: second, apiTokens: tokens) == viewer)
            let revokedAt = clock.now
            try await tokens.revoke(hash: SecretToken.digest(second), at: revokedAt)
            #expect(try await accounts.authenticate(bearer: second, apiTokens: tokens) == nil)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == viewer)
            // Revoking again keeps the first revocation's time.
            clock.advance(by: 100)
            try await tokens.revoke(hash: SecretToken.digest(second), at: clock.now)
            #expect(try await tokens.token(hash: SecretToken.digest(second))?.revokedAt == revokedAt)

            // Disabling the user ends their tokens for good: enabling the account does not revive them.
            try await accounts.setDisabled(true, userID: viewer.id, by: admin.id)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == nil)
            let disabled = try #require(try await accounts.repositories.users.user(id: viewer.id))
            await expectConflict { _ = try await accounts.createAPIToken(for: disabled, name: "x", apiTokens: tokens) }
            #expect(try await tokens.tokens(userID: viewer.id).count == 2)
            #expect(try await tokens.tokens(userID: viewer.id).allSatisfy { $0.revokedAt != nil })
            try await accounts.setDisabled(false, userID: viewer.id, by: admin.id)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == nil)
            #expect(try await accounts.authenticate(bearer: second, apiTokens: tokens) == nil)
            #expect(try await accounts.repositories.audit.entries(subject: "user:\(viewer.id)", limit: 20)
                .contains { $0.action == "token.revoked" && $0.detail.contains("account disabled") })
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func tokensExpireAfterNinetyDaysOrTheChosenNumber(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let tokens = SQLAPITokenRepository(database: database)
            let user = try await accounts.createUser(email: "ola@example.org", displayName: "Ola", role: .viewer,
                                                     organisationID: nil, password: Self.password)
            let created = clock.now
            let standard = try await accounts.createAPIToken(for: user, name: "standard", apiTokens: tokens)
            let week = try await accounts.createAPIToken(for: user, name: "week", days: 7, apiTokens: tokens)
            let year = try await accounts.createAPIToken(for: user, name: "year", days: 365, apiTokens: tokens)
            #expect(try await tokens.token(hash: SecretToken.digest(standard))?.expiresAt == created.addingTimeInterval(90 * 86_400))
            for days in [0, -1, 366, Int.max, Int.min] {
                await #expect(throws: DomainError.self, "\(days) days") {
                    _ = try await accounts.createAPIToken(for: user, name: "bad", days: days, apiTokens: tokens)
                }
            }
            #expect(try await tokens.tokens(userID: user.id).count == 3)

            clock.advance(by: 7 * 86_400 - 1)
            #expect(try await accounts.authenticate(bearer: week, apiTokens: tokens) == user)
            clock.advance(by: 1)
            #expect(try await accounts.authenticate(bearer: week, apiTokens: tokens) == nil)
            #expect(try await accounts.authenticate(bearer: standard, apiTokens: tokens) == user)
            clock.advance(by: 83 * 86_400)
            #expect(try await accounts.authenticate(bearer: standard, apiTokens: tokens) == nil)
            #expect(try await accounts.authenticate(bearer: year, apiTokens: tokens) == user)
            clock.advance(by: 275 * 86_400)
            #expect(try await accounts.authenticate(bearer: year, apiTokens: tokens) == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aPasswordResetEndsTheTokens(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let tokens = SQLAPITokenRepository(database: database)
            let user = try await accounts.createUser(email: "ola@example.org", displayName: "Ola", role: .viewer,
                                                     organisationID: nil, password: Self.password)
            let token = try await accounts.createAPIToken(for: user, name: "Eksport", apiTokens: tokens)
            let link = try await accounts.issueInvitation(for: user)
            // Issuing the link changes nothing yet; setting the new password does.
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == user)
            _ = try await accounts.acceptInvitation(token: link, password: "inne zupełnie nowe hasło")
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == nil)
            let fresh = try await accounts.createAPIToken(for: user, name: "po zmianie", apiTokens: tokens)
            #expect(try await accounts.authenticate(bearer: fresh, apiTokens: tokens)?.id == user.id)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func onlyTheDigestIsStored(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let accounts = Self.service(database, clock: clock)
            let tokens = SQLAPITokenRepository(database: database)
            let user = try await accounts.createUser(email: "ola@example.org", displayName: "Ola", role: .viewer,
                                                     organisationID: nil, password: Self.password)
            let token = try await accounts.createAPIToken(for: user, name: "Eksport", apiTokens: tokens)
            #expect(try await accounts.authenticate(bearer: token, apiTokens: tokens) == user)
            let secret = String(token.dropFirst(APIToken.prefix.count))

            for table in ["api_tokens", "audit_log"] {
                let cells = try await Self.textOfEveryCell(database, table)
                #expect(!cells.isEmpty)
                #expect(!cells.contains { $0.contains(secret) }, "\(table) holds the token")
            }
            let hashes = try await database.withConnection { db in
                try await db.select().column("token_hash").from("api_tokens").all(decodingColumn: "token_hash", as: String.self)
            }
            #expect(hashes == [SecretToken.digest(token)])
        }
    }

    /// Every cell of a table as text (columns that are not text are read as numbers).
    static func textOfEveryCell(_ database: Database, _ table: String) async throws -> [String] {
        try await database.withConnection { db in
            let rows = try await db.select().column(SQLLiteral.all).from(table).all()
            return rows.flatMap { row in
                row.allColumns.compactMap { column -> String? in
                    if let text = try? row.decode(column: column, as: String?.self) { return text }
                    if let number = try? row.decode(column: column, as: Double.self) { return "\(number)" }
                    if let number = try? row.decode(column: column, as: Int64.self) { return "\(number)" }
                    return nil
                }
            }
        }
    }
}
