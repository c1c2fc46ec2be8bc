import Foundation
import OtwartyCore
import SQLKit

public struct SQLAPITokenRepository: APITokenRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `api_tokens`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case tokenHash = "token_hash", userID = "user_id", name, createdAt = "created_at", lastUsedAt = "last_used_at",
                 revokedAt = "revoked_at", expiresAt = "expires_at"
        }
        typealias Column = CodingKeys
        var tokenHash: String
        var userID: Int64
        var name: String
        var createdAt: Double
        var lastUsedAt: Double?
        var revokedAt: Double?
        var expiresAt: Double

        var token: APIToken {
            APIToken(tokenHash: tokenHash, userID: userID, name: name, createdAt: Date(timeIntervalSince1970: createdAt),
                     lastUsedAt: lastUsedAt.map(Date.init(timeIntervalSince1970:)),
                     revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)), expiresAt: Date(timeIntervalSince1970: expiresAt))
        }
    }

    public func create(_ token: APIToken) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "api_tokens").columns("token_hash", "user_id", "name", "created_at", "expires_at")
                .values(SQLBind(token.tokenHash), SQLBind(token.userID), SQLBind(token.name), SQLBind(token.createdAt.stored),
                        SQLBind(token.expiresAt.stored))
                .run()
        }
    }

    public func token(hash: String) async throws -> APIToken? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("api_tokens").where("token_hash", .equal, hash).first(decoding: Row.self)?.token
        }
    }

    public func markUsed(hash: String, at: Date) async throws {
        try await database.withConnection { db in
            try await db.update("api_tokens").set("last_used_at", to: at.stored).where("token_hash", .equal, hash).run()
        }
    }

    public func tokens(userID: UserID) async throws -> [APIToken] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("api_tokens").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).all(decoding: Row.self).map(\.token)
        }
    }

    public func revoke(hash: String, at: Date) async throws {
        try await database.withConnection { db in
            try await db.update("api_tokens").set("revoked_at", to: at.stored).where("token_hash", .equal, hash)
                .where("revoked_at", .is, SQLLiteral.null).run()
        }
    }

    public func revokeAll(userID: UserID, at: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE api_tokens SET revoked_at = \(bind: at.stored)
                WHERE user_id = \(bind: userID) AND revoked_at IS NULL RETURNING token_hash
                """).all().count
        }
    }
}
