import Foundation
import OtwartyCore
import SQLKit

public struct SQLAccountTokenRepository: AccountTokenRepository {
    let database: Database
    public init(database: Database) { self.database = database }

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
            guard let row = try await db.select()
                .columns("token_hash", "purpose", "user_id", "expires_at", "used_at")
                .from("account_tokens").where("token_hash", .equal, hash).first(),
                let purpose = AccountToken.Purpose(rawValue: try row.decode(column: "purpose", as: String.self))
            else { return nil }
            return AccountToken(tokenHash: try row.decode(column: "token_hash", as: String.self), purpose: purpose,
                                userID: try row.decode(column: "user_id", as: Int64?.self),
                                expiresAt: try row.date("expires_at"), usedAt: try row.optionalDate("used_at"))
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
