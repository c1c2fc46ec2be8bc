import Foundation
import OtwartyCore
import SQLKit

public struct SQLAPITokenRepository: APITokenRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static func token(_ row: any SQLRow) throws -> APIToken {
        APIToken(tokenHash: try row.decode(column: "token_hash", as: String.self),
                 userID: try row.decode(column: "user_id", as: Int64.self),
                 name: try row.decode(column: "name", as: String.self), createdAt: try row.date("created_at"),
                 lastUsedAt: try row.optionalDate("last_used_at"), revokedAt: try row.optionalDate("revoked_at"),
                 expiresAt: try row.date("expires_at"))
    }

    static let columns = ["token_hash", "user_id", "name", "created_at", "last_used_at", "revoked_at", "expires_at"]

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
            try await db.select().columns(Self.columns).from("api_tokens").where("token_hash", .equal, hash).first().map(Self.token)
        }
    }

    public func markUsed(hash: String, at: Date) async throws {
        try await database.withConnection { db in
            try await db.update("api_tokens").set("last_used_at", to: at.stored).where("token_hash", .equal, hash).run()
        }
    }

    public func tokens(userID: UserID) async throws -> [APIToken] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("api_tokens").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).all().map(Self.token)
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
