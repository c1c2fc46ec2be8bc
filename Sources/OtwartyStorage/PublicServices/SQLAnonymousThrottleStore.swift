import Foundation
import OtwartyCore
import SQLKit

/// The anonymous public forms' counts in the database (migration 25), so every instance over it
/// counts against the same limits.
///
/// Each count is one row bumped by an upsert that adds one only while the count is below the
/// limit and returns the new count: no row comes back when the limit is reached. On PostgreSQL
/// the upsert takes the row's lock, and a parallel transaction on the same key waits for it and
/// then sees the committed count, so parallel requests from every instance cannot all pass; on
/// SQLite the transaction holds the file's write lock (`BEGIN IMMEDIATE`). The client's row and
/// the overall row are bumped in one transaction, always in that order (no deadlock), and a
/// refusal by the overall row rolls the client's bump back: a refused attempt counts nowhere.
public struct SQLAnonymousThrottleStore: AnonymousThrottleStore {
    let database: Database
    public init(database: Database) { self.database = database }

    private struct OverLimit: Error {}

    public func take(clientKey: String, clientLimit: Int, overallKey: String, overallLimit: Int, expiresAt: Date) async throws -> Bool {
        do {
            return try await database.transaction { db in
                guard try await Self.bump(db, clientKey, limit: clientLimit, expiresAt: expiresAt) else { return false }
                guard try await Self.bump(db, overallKey, limit: overallLimit, expiresAt: expiresAt) else { throw OverLimit() }
                return true
            }
        } catch is OverLimit {
            return false
        }
    }

    /// Adds one to `key`'s count when it is below `limit` (a new key starts at one); whether it did.
    static func bump(_ db: any SQLDatabase, _ key: String, limit: Int, expiresAt: Date) async throws -> Bool {
        try await db.raw("INSERT INTO anonymous_throttle (throttle_key, hits, expires_at) VALUES (\(bind: key), 1, \(bind: expiresAt.stored)) ON CONFLICT (throttle_key) DO UPDATE SET hits = anonymous_throttle.hits + 1 WHERE anonymous_throttle.hits < \(bind: limit) RETURNING hits").first() != nil
    }

    public func purge(before: Date) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "anonymous_throttle").where("expires_at", .lessThanOrEqual, before.stored).run()
        }
    }

    /// Rows held now (tests and the operations check: ended windows are gone).
    public func rowCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM anonymous_throttle").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
