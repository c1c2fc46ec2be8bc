import Foundation
import OtwartyCore
import SQLKit

public struct SQLAuditLog: AuditLog {
    let database: Database
    public init(database: Database) { self.database = database }

    public func record(_ entry: AuditEntry) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "audit_log").columns("at", "actor_user_id", "action", "subject", "detail")
                .values(SQLBind(entry.at.stored), SQLBind(entry.actorUserID), SQLBind(entry.action),
                        SQLBind(entry.subject), SQLBind(entry.detail))
                .run()
        }
    }

    public func entries(subject: String?, limit: Int) async throws -> [AuditEntry] {
        try await database.withConnection { db in
            var query = db.select().columns("at", "actor_user_id", "action", "subject", "detail").from("audit_log")
            if let subject { query = query.where("subject", .equal, subject) }
            return try await query.orderBy("id", .descending).limit(limit).all().map { row in
                AuditEntry(at: try row.date("at"), actorUserID: try row.decode(column: "actor_user_id", as: Int64?.self),
                           action: try row.decode(column: "action", as: String.self),
                           subject: try row.decode(column: "subject", as: String.self),
                           detail: try row.decode(column: "detail", as: String.self))
            }
        }
    }
}
