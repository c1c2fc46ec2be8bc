import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct AccountTokenRepositoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func user(_ database: Database, _ email: String) async throws -> UserID {
        try await SQLUserRepository(database: database).create(
            NewUser(email: email, displayName: email, role: .viewer, organisationID: nil, passwordHash: nil), at: t0).id
    }

    static func token(_ name: String, _ purpose: AccountToken.Purpose, user: UserID?,
                      expires: Date = t0.addingTimeInterval(3600), used: Date? = nil) -> AccountToken {
        AccountToken(tokenHash: SecretToken.digest(name), purpose: purpose, userID: user, expiresAt: expires, usedAt: used)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func createAndRead(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let tokens = SQLAccountTokenRepository(database: database)
            let ala = try await Self.user(database, "ala@example.org")
            let setup = Self.token("setup", .setup, user: nil)
            let invitation = Self.token("invitation", .invitation, user: ala, used: Self.t0.addingTimeInterval(5))
            try await tokens.create(setup)
            try await tokens.create(invitation)
            #expect(try await tokens.token(hash: setup.tokenHash) == setup)
            #expect(try await tokens.token(hash: invitation.tokenHash) == invitation)
            #expect(try await tokens.token(hash: SecretToken.digest("other")) == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func consumeWorksOnceAndNotAfterExpiry(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let tokens = SQLAccountTokenRepository(database: database)
            let expires = Self.t0.addingTimeInterval(3600)
            let once = Self.token("once", .setup, user: nil, expires: expires)
            let expired = Self.token("expired", .setup, user: nil, expires: expires)
            let lastSecond = Self.token("last-second", .setup, user: nil, expires: expires)
            for t in [once, expired, lastSecond] { try await tokens.create(t) }

            let at = Self.t0.addingTimeInterval(10)
            #expect(try await tokens.consume(hash: once.tokenHash, at: at))
            #expect(try await tokens.token(hash: once.tokenHash)?.usedAt == at)
            #expect(try await tokens.consume(hash: once.tokenHash, at: at.addingTimeInterval(1)) == false)
            #expect(try await tokens.token(hash: once.tokenHash)?.usedAt == at) // the first use stays recorded

            // Expiry is exclusive, as in AccountToken.isUsable.
            #expect(try await tokens.consume(hash: expired.tokenHash, at: expires) == false)
            #expect(try await tokens.consume(hash: expired.tokenHash, at: expires.addingTimeInterval(60)) == false)
            #expect(try await tokens.token(hash: expired.tokenHash)?.usedAt == nil)
            #expect(try await tokens.consume(hash: lastSecond.tokenHash, at: expires.addingTimeInterval(-1)))

            #expect(try await tokens.consume(hash: SecretToken.digest("unknown"), at: at) == false)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func revokeUnusedVoidsOnlyTheMatchingPurposeAndUser(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let tokens = SQLAccountTokenRepository(database: database)
            let ala = try await Self.user(database, "ala@example.org")
            let bartek = try await Self.user(database, "bartek@example.org")
            let earlierUse = Self.t0.addingTimeInterval(1)
            let setup = Self.token("setup", .setup, user: nil)
            let alaOpen = Self.token("ala-open", .invitation, user: ala)
            let alaUsed = Self.token("ala-used", .invitation, user: ala, used: earlierUse)
            let bartekOpen = Self.token("bartek-open", .invitation, user: bartek)
            for t in [setup, alaOpen, alaUsed, bartekOpen] { try await tokens.create(t) }

            let at = Self.t0.addingTimeInterval(100)
            try await tokens.revokeUnused(purpose: .invitation, userID: ala, at: at)
            #expect(try await tokens.token(hash: alaOpen.tokenHash)?.usedAt == at)
            #expect(try await tokens.token(hash: alaUsed.tokenHash)?.usedAt == earlierUse)
            #expect(try await tokens.token(hash: bartekOpen.tokenHash)?.usedAt == nil)
            #expect(try await tokens.token(hash: setup.tokenHash)?.usedAt == nil)
            #expect(try await tokens.consume(hash: alaOpen.tokenHash, at: at) == false)
            #expect(try await tokens.consume(hash: bartekOpen.tokenHash, at: at))

            let later = at.addingTimeInterval(1)
            try await tokens.revokeUnused(purpose: .setup, userID: nil, at: later)
            #expect(try await tokens.token(hash: setup.tokenHash)?.usedAt == later)
            #expect(try await tokens.token(hash: bartekOpen.tokenHash)?.usedAt == at)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func concurrentConsumeSucceedsExactlyOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let tokens = SQLAccountTokenRepository(database: database)
            for round in 0..<5 {
                let token = Self.token("race-\(round)", .setup, user: nil)
                try await tokens.create(token)
                let at = Self.t0.addingTimeInterval(Double(round))
                let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<8 { group.addTask { try await tokens.consume(hash: token.tokenHash, at: at) } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(winners == 1, "round \(round)")
            }
        }
    }
}
