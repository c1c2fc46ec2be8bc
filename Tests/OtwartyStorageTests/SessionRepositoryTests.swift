import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct SessionRepositoryTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func session(_ name: String, user: UserID, created: Date = t0, lastSeen: Date? = nil) -> Session {
        Session(tokenHash: SecretToken.digest(name), userID: user, csrfToken: "csrf-\(name)",
                createdAt: created, lastSeenAt: lastSeen ?? created)
    }

    static func users(_ database: Database) async throws -> (UserID, UserID) {
        let users = SQLUserRepository(database: database)
        let a = try await users.create(NewUser(email: "a@example.org", displayName: "A", role: .viewer,
                                               organisationID: nil, passwordHash: nil), at: t0)
        let b = try await users.create(NewUser(email: "b@example.org", displayName: "B", role: .viewer,
                                               organisationID: nil, passwordHash: nil), at: t0)
        return (a.id, b.id)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func createReadTouchDelete(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let (a, _) = try await Self.users(database)
            let sessions = SQLSessionRepository(database: database)
            let one = Self.session("one", user: a), two = Self.session("two", user: a)
            try await sessions.create(one)
            try await sessions.create(two)
            #expect(try await sessions.session(tokenHash: one.tokenHash) == one)
            #expect(try await sessions.session(tokenHash: SecretToken.digest("unknown")) == nil)

            let later = Self.t0.addingTimeInterval(125)
            try await sessions.touch(tokenHash: one.tokenHash, at: later)
            var touched = one
            touched.lastSeenAt = later
            #expect(try await sessions.session(tokenHash: one.tokenHash) == touched)
            #expect(try await sessions.session(tokenHash: two.tokenHash) == two)

            try await sessions.delete(tokenHash: one.tokenHash)
            #expect(try await sessions.session(tokenHash: one.tokenHash) == nil)
            #expect(try await sessions.session(tokenHash: two.tokenHash) == two)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func deleteAllEndsOnlyThatUsersSessions(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let (a, b) = try await Self.users(database)
            let sessions = SQLSessionRepository(database: database)
            let a1 = Self.session("a1", user: a), a2 = Self.session("a2", user: a), b1 = Self.session("b1", user: b)
            for s in [a1, a2, b1] { try await sessions.create(s) }
            try await sessions.deleteAll(userID: a)
            #expect(try await sessions.session(tokenHash: a1.tokenHash) == nil)
            #expect(try await sessions.session(tokenHash: a2.tokenHash) == nil)
            #expect(try await sessions.session(tokenHash: b1.tokenHash) == b1)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func deleteExpiredRemovesIdleAndOldSessions(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let (a, b) = try await Self.users(database)
            let sessions = SQLSessionRepository(database: database)
            let policy = SessionPolicy() // 30 min idle, 12 h absolute
            let now = Self.t0.addingTimeInterval(24 * 3600)
            let fresh = Self.session("fresh", user: a, created: now.addingTimeInterval(-3600), lastSeen: now.addingTimeInterval(-60))
            let idle = Self.session("idle", user: a, created: now.addingTimeInterval(-3600),
                                    lastSeen: now.addingTimeInterval(-policy.idleTimeout - 1))
            let old = Self.session("old", user: b, created: now.addingTimeInterval(-policy.absoluteTimeout - 1),
                                   lastSeen: now.addingTimeInterval(-5))
            let both = Self.session("both", user: b, created: now.addingTimeInterval(-policy.absoluteTimeout - 100),
                                    lastSeen: now.addingTimeInterval(-policy.idleTimeout - 100))
            // Exactly at the limits: not yet expired (strictly before).
            let edge = Self.session("edge", user: b, created: now.addingTimeInterval(-policy.absoluteTimeout),
                                    lastSeen: now.addingTimeInterval(-policy.idleTimeout))
            for s in [fresh, idle, old, both, edge] { try await sessions.create(s) }

            let removed = try await sessions.deleteExpired(idleBefore: now.addingTimeInterval(-policy.idleTimeout),
                                                           createdBefore: now.addingTimeInterval(-policy.absoluteTimeout))
            #expect(removed == 3)
            #expect(try await sessions.session(tokenHash: fresh.tokenHash) == fresh)
            #expect(try await sessions.session(tokenHash: edge.tokenHash) == edge)
            for gone in [idle, old, both] { #expect(try await sessions.session(tokenHash: gone.tokenHash) == nil) }

            #expect(try await sessions.deleteExpired(idleBefore: now.addingTimeInterval(-policy.idleTimeout),
                                                     createdBefore: now.addingTimeInterval(-policy.absoluteTimeout)) == 0)
        }
    }
}
