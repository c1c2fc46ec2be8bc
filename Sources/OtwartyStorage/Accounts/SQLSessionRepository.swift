import Foundation
import OtwartyCore
import SQLKit

public struct SQLSessionRepository: SessionRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func create(_ session: Session) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "sessions")
                .columns("token_hash", "user_id", "csrf_token", "created_at", "last_seen_at", "enrolment_only")
                .values(SQLBind(session.tokenHash), SQLBind(session.userID), SQLBind(session.csrfToken),
                        SQLBind(session.createdAt.stored), SQLBind(session.lastSeenAt.stored), SQLBind(session.enrolmentOnly))
                .run()
        }
    }

    public func session(tokenHash: String) async throws -> Session? {
        try await database.withConnection { db in
            guard let row = try await db.select()
                .columns("token_hash", "user_id", "csrf_token", "created_at", "last_seen_at", "enrolment_only")
                .from("sessions").where("token_hash", .equal, tokenHash).first()
            else { return nil }
            return Session(tokenHash: try row.decode(column: "token_hash", as: String.self),
                           userID: try row.decode(column: "user_id", as: Int64.self),
                           csrfToken: try row.decode(column: "csrf_token", as: String.self),
                           createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"),
                           enrolmentOnly: try row.decode(column: "enrolment_only", as: Bool.self))
        }
    }

    public func touch(tokenHash: String, at: Date) async throws {
        try await database.withConnection { db in
            try await db.update("sessions").set("last_seen_at", to: at.stored).where("token_hash", .equal, tokenHash).run()
        }
    }

    public func delete(tokenHash: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
        }
    }

    public func deleteAll(userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "sessions").where("user_id", .equal, userID).run()
        }
    }

    public func deleteExpired(idleBefore: Date, createdBefore: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.delete(from: "sessions")
                .where("last_seen_at", .lessThan, idleBefore.stored)
                .orWhere("created_at", .lessThan, createdBefore.stored)
                .returning("token_hash").all().count
        }
    }
}
