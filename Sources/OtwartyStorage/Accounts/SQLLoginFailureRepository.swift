import Foundation
import OtwartyCore
import SQLKit

public struct SQLLoginFailureRepository: LoginFailureRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    // MARK: Sign-in attempts (reserved before the password is checked)

    public func reserveAttempt(account: String, client: String, at: Date, windowStart: Date, memoryStart: Date,
                               decide: @escaping @Sendable (LoginAttemptCounts) -> Int?) async throws -> LoginReservation {
        // SQLite writers queue in `Database.transaction` (one at a time, without a connection).
        try await reserve(account, client, at, windowStart, memoryStart, decide)
    }

    private func reserve(_ account: String, _ client: String, _ at: Date, _ windowStart: Date, _ memoryStart: Date,
                         _ decide: @escaping @Sendable (LoginAttemptCounts) -> Int?) async throws -> LoginReservation {
        let kind = database.kind
        return try await database.transaction { db in
            // SQLite's BEGIN IMMEDIATE already holds the write lock; PostgreSQL's transactions would
            // each count before the others insert, so they queue on one advisory lock (held only for
            // these few statements, never while bcrypt runs). The lock is the schema's own, as the
            // migrations' is: another Otwarty in another schema of the same database (a test run's
            // parallel suites, a second city) does not wait for this one's sign-ins.
            if kind == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7242010, hashtext(current_schema()))").run() }
            let w = windowStart.stored, m = memoryStart.stored
            let pair = try await db.raw("""
                SELECT COUNT(*) AS consecutive, MAX(at) AS last_at,
                       COALESCE(SUM(CASE WHEN at > \(bind: w) THEN 1 ELSE 0 END), 0) AS in_window,
                       MIN(CASE WHEN at > \(bind: w) THEN at END) AS oldest
                FROM login_attempts WHERE account_key = \(bind: account) AND client_key = \(bind: client) AND at >= \(bind: m)
                """).first()
            let accountRow = try await db.raw("""
                SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempts
                WHERE account_key = \(bind: account) AND at > \(bind: w)
                """).first()
            let clientRow = try await db.raw("""
                SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempts
                WHERE client_key = \(bind: client) AND at > \(bind: w)
                """).first()
            let counts = LoginAttemptCounts(
                pairInWindow: try pair?.decode(column: "in_window", as: Int.self) ?? 0,
                pairOldestInWindow: try pair?.optionalDate("oldest"),
                pairConsecutive: try pair?.decode(column: "consecutive", as: Int.self) ?? 0,
                pairLastAttempt: try pair?.optionalDate("last_at"),
                accountInWindow: try accountRow?.decode(column: "n", as: Int.self) ?? 0,
                accountOldestInWindow: try accountRow?.optionalDate("oldest"),
                clientInWindow: try clientRow?.decode(column: "n", as: Int.self) ?? 0,
                clientOldestInWindow: try clientRow?.optionalDate("oldest"))
            if let retryAfter = decide(counts) { return .refused(retryAfter: retryAfter) }
            try await db.insert(into: "login_attempts").columns("account_key", "client_key", "at")
                .values(SQLBind(account), SQLBind(client), SQLBind(at.stored)).run()
            return .reserved
        }
    }

    public func releaseAttempts(account: String, client: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_attempts").where("account_key", .equal, account)
                .where("client_key", .equal, client).run()
        }
    }

    public func purgeAttempts(before: Date) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_attempts").where("at", .lessThan, before.stored).run()
        }
    }

    // MARK: Other failures by key

    public func record(keys: [String], at: Date) async throws {
        guard !keys.isEmpty else { return }
        try await database.withConnection { db in
            var insert = db.insert(into: "login_failures").columns("throttle_key", "at")
            for key in keys { insert = insert.values(SQLBind(key), SQLBind(at.stored)) }
            try await insert.run()
        }
    }

    public func count(key: String, since: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM login_failures WHERE throttle_key = \(bind: key) AND at >= \(bind: since.stored)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func clear(key: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_failures").where("throttle_key", .equal, key).run()
        }
    }

    public func purge(before: Date) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_failures").where("at", .lessThan, before.stored).run()
        }
    }
}
