import Foundation
import OtwartyCore
import SQLKit

public struct SQLSessionRepository: SessionRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `sessions`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case tokenHash = "token_hash", userID = "user_id", csrfToken = "csrf_token", createdAt = "created_at",
                 lastSeenAt = "last_seen_at", enrolmentOnly = "enrolment_only", incidentKey = "incident_key"
        }
        typealias Column = CodingKeys
        var tokenHash: String
        var userID: Int64
        var csrfToken: String
        var createdAt: Double
        var lastSeenAt: Double
        var enrolmentOnly: Bool
        var incidentKey: String?

        var session: Session {
            Session(tokenHash: tokenHash, userID: userID, csrfToken: csrfToken, createdAt: Date(timeIntervalSince1970: createdAt),
                    lastSeenAt: Date(timeIntervalSince1970: lastSeenAt), enrolmentOnly: enrolmentOnly,
                    incidentKey: incidentKey)
        }
    }

    public func create(_ session: Session) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "sessions")
                .columns("token_hash", "user_id", "csrf_token", "created_at", "last_seen_at", "enrolment_only", "incident_key")
                .values(SQLBind(session.tokenHash), SQLBind(session.userID), SQLBind(session.csrfToken),
                        SQLBind(session.createdAt.stored), SQLBind(session.lastSeenAt.stored), SQLBind(session.enrolmentOnly),
                        SQLBind(session.incidentKey))
                .run()
        }
    }

    public func session(tokenHash: String) async throws -> Session? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("sessions").where("token_hash", .equal, tokenHash)
                .first(decoding: Row.self)?.session
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
