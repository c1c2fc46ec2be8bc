import Foundation
import OtwartyCore
import SQLKit

public struct SQLAccountTokenRepository: AccountTokenRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `account_tokens`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case tokenHash = "token_hash", purpose, userID = "user_id", expiresAt = "expires_at", usedAt = "used_at"
        }
        typealias Column = CodingKeys
        var tokenHash: String
        var purpose: String
        var userID: Int64?
        var expiresAt: Double
        var usedAt: Double?

        /// nil for a purpose this version does not know.
        var token: AccountToken? {
            AccountToken.Purpose(rawValue: purpose).map {
                AccountToken(tokenHash: tokenHash, purpose: $0, userID: userID, expiresAt: Date(timeIntervalSince1970: expiresAt),
                             usedAt: usedAt.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    public func create(_ token: AccountToken) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "account_tokens")
                .columns("token_hash", "purpose", "user_id", "expires_at", "used_at")
                .values(SQLBind(token.tokenHash), SQLBind(token.purpose.rawValue), SQLBind(token.userID),
                        SQLBind(token.expiresAt.stored), SQLBind(token.usedAt?.stored))
                .run()
        }
    }

    public func token(hash: String) async throws -> AccountToken? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("account_tokens").where("token_hash", .equal, hash)
                .first(decoding: Row.self)?.token
        }
    }

    public func consume(hash: String, at: Date) async throws -> Bool {
        // One conditional UPDATE: of two requests racing with the same link, only one sees a row.
        try await database.withConnection { db in
            try await db.update("account_tokens").set("used_at", to: at.stored)
                .where("token_hash", .equal, hash).where("used_at", .is, SQLLiteral.null)
                .where("expires_at", .greaterThan, at.stored)
                .returning("token_hash").first() != nil
        }
    }

    public func revokeUnused(purpose: AccountToken.Purpose, userID: UserID?, at: Date) async throws {
        try await database.withConnection { db in
            var query = db.update("account_tokens").set("used_at", to: at.stored)
                .where("purpose", .equal, purpose.rawValue).where("used_at", .is, SQLLiteral.null)
            if let userID { query = query.where("user_id", .equal, userID) }
            try await query.run()
        }
    }
}
