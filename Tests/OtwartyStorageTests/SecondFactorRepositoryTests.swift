import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// The second-factor tables on both engines: each use of a code, a recovery code or a pending
/// sign-in is one conditional statement, so it succeeds once however many requests race.
@Suite struct SecondFactorRepositoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func user(_ database: Database, _ email: String = "a@example.org") async throws -> UserID {
        try await SQLUserRepository(database: database).create(
            NewUser(email: email, displayName: "A", role: .programmeCoordinator, organisationID: nil, passwordHash: nil), at: t0).id
    }

    @Test(arguments: DatabaseEngine.allCases)
    func enrolmentConfirmationStepsAndRecoveryCodes(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.user(database)
            let factors = SQLSecondFactorRepository(database: database)
            #expect(try await factors.factor(userID: id) == nil)
            // Parallel first visits store one secret.
            let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<6 { group.addTask { try await factors.saveUnconfirmed(userID: id, sealedSecret: "v1:\(n)", at: Self.t0) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(stored == 1)
            let first = try #require(try await factors.factor(userID: id)?.sealedSecret)
            #expect(!(try await factors.saveUnconfirmed(userID: id, sealedSecret: "v1:second", at: Self.t0)), "keeps the one shown")
            #expect(try await factors.factor(userID: id)?.sealedSecret == first)
            #expect(!(try await factors.advanceStep(userID: id, to: 10)), "an unconfirmed factor accepts no codes")
            #expect(try await factors.enrolledUserIDs().isEmpty)

            #expect(try await factors.confirm(userID: id, step: 100, recoveryCodeHashes: ["h1", "h2"], at: Self.t0))
            #expect(!(try await factors.confirm(userID: id, step: 101, recoveryCodeHashes: [], at: Self.t0)), "only once")
            #expect(!(try await factors.saveUnconfirmed(userID: id, sealedSecret: "v1:third", at: Self.t0)), "a confirmed one stays")
            let confirmed = try #require(try await factors.factor(userID: id))
            #expect(confirmed.isConfirmed && confirmed.lastStep == 100 && confirmed.sealedSecret == first)
            #expect(try await factors.enrolledUserIDs() == [id])

            #expect(!(try await factors.advanceStep(userID: id, to: 100)), "the step of the confirmation is used")
            #expect(try await factors.advanceStep(userID: id, to: 102))
            #expect(!(try await factors.advanceStep(userID: id, to: 101)), "an earlier step after a later one")

            #expect(try await factors.unusedRecoveryCodes(userID: id) == 2)
            #expect(try await factors.useRecoveryCode(userID: id, hash: "h1", at: Self.t0))
            #expect(!(try await factors.useRecoveryCode(userID: id, hash: "h1", at: Self.t0)), "each recovery code once")
            #expect(!(try await factors.useRecoveryCode(userID: id, hash: "nope", at: Self.t0)))
            #expect(try await factors.unusedRecoveryCodes(userID: id) == 1)

            try await factors.remove(userID: id)
            #expect(try await factors.factor(userID: id) == nil)
            #expect(try await factors.unusedRecoveryCodes(userID: id) == 0)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func pendingSignInsCountAttemptsExpireAndAreUsedOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.user(database)
            let factors = SQLSecondFactorRepository(database: database)
            let pending = PendingSignIn(tokenHash: SecretToken.digest("p"), userID: id, expiresAt: Self.t0.addingTimeInterval(300))
            try await factors.createPending(pending)
            #expect(try await factors.pending(tokenHash: pending.tokenHash) == pending)
            // Parallel attempts: exactly `limit` are counted.
            let counted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await factors.reserveAttempt(tokenHash: pending.tokenHash, limit: 5, now: Self.t0) != nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(counted == 5)
            #expect(try await factors.pending(tokenHash: pending.tokenHash)?.attempts == 5)

            let other = PendingSignIn(tokenHash: SecretToken.digest("q"), userID: id, expiresAt: Self.t0.addingTimeInterval(300))
            try await factors.createPending(other)
            #expect(try await factors.reserveAttempt(tokenHash: other.tokenHash, limit: 5, now: Self.t0.addingTimeInterval(301)) == nil,
                    "expired")
            let used = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 { group.addTask { try await factors.consumePending(tokenHash: other.tokenHash) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(used == 1, "one code finishes one sign-in")
            try await factors.purgePending(before: Self.t0.addingTimeInterval(301))
            #expect(try await factors.pending(tokenHash: pending.tokenHash) == nil)

            // A new password ends the user's pending sign-ins, and only theirs.
            let someoneElse = try await Self.user(database, "b@example.org")
            let mine = PendingSignIn(tokenHash: SecretToken.digest("r"), userID: id, expiresAt: Self.t0.addingTimeInterval(300))
            let theirs = PendingSignIn(tokenHash: SecretToken.digest("s"), userID: someoneElse, expiresAt: Self.t0.addingTimeInterval(300))
            try await factors.createPending(mine)
            try await factors.createPending(theirs)
            try await factors.deletePending(userID: id)
            #expect(try await factors.pending(tokenHash: mine.tokenHash) == nil)
            #expect(try await factors.pending(tokenHash: theirs.tokenHash) == theirs)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func sessionsRememberWhetherTheyAreEnrolmentOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let id = try await Self.user(database)
            let sessions = SQLSessionRepository(database: database)
            let limited = Session(tokenHash: SecretToken.digest("s"), userID: id, csrfToken: "c", createdAt: Self.t0,
                                  lastSeenAt: Self.t0, enrolmentOnly: true)
            try await sessions.create(limited)
            #expect(try await sessions.session(tokenHash: limited.tokenHash)?.enrolmentOnly == true)
        }
    }
}
