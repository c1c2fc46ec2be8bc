import Foundation
import OtwartyCore
import SQLKit

public struct SQLHandlerAccountRequestRepository: HandlerAccountRequestRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static let columns = ["id", "kind", "user_id", "email", "display_name", "role", "previous_role", "requested_by",
                          "requested_at", "state", "decided_by", "decided_at"]

    static func request(_ row: any SQLRow) throws -> HandlerAccountRequest {
        func decoded<T: RawRepresentable<String>>(_ column: String, as type: T.Type) throws -> T {
            let raw = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: raw) else { throw DatabaseError.corrupt("handler_account_requests.\(column) = \(raw)") }
            return value
        }
        let previous = try row.decode(column: "previous_role", as: String?.self)
        return HandlerAccountRequest(
            id: try row.decode(column: "id", as: Int64.self), kind: try decoded("kind", as: HandlerAccountRequest.Kind.self),
            userID: try row.decode(column: "user_id", as: Int64?.self), email: try row.decode(column: "email", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self), role: try decoded("role", as: Role.self),
            previousRole: previous.flatMap(Role.init(rawValue:)), requestedBy: try row.decode(column: "requested_by", as: Int64?.self),
            requestedAt: try row.date("requested_at"), state: try decoded("state", as: HandlerAccountRequest.State.self),
            decidedBy: try row.decode(column: "decided_by", as: Int64?.self), decidedAt: try row.optionalDate("decided_at"))
    }

    public func create(_ request: HandlerAccountRequest) async throws -> HandlerAccountRequest {
        try await database.withConnection { db in
            let id = try await db.insert(into: "handler_account_requests")
                .columns("kind", "user_id", "email", "display_name", "role", "previous_role", "requested_by", "requested_at",
                         "state", "decided_by", "decided_at")
                .values(SQLBind(request.kind.rawValue), SQLBind(request.userID), SQLBind(request.email),
                        SQLBind(request.displayName), SQLBind(request.role.rawValue), SQLBind(request.previousRole?.rawValue),
                        SQLBind(request.requestedBy), SQLBind(request.requestedAt.stored), SQLBind(request.state.rawValue),
                        SQLBind(request.decidedBy), SQLBind(request.decidedAt?.stored))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            var stored = request
            stored.id = id ?? 0
            return stored
        }
    }

    public func request(id: Int64) async throws -> HandlerAccountRequest? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("handler_account_requests").where("id", .equal, id)
                .first().map(Self.request)
        }
    }

    public func pending() async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("handler_account_requests")
                .where("state", .equal, HandlerAccountRequest.State.pending.rawValue)
                .orderBy("requested_at").orderBy("id").all().map(Self.request)
        }
    }

    public func decided(limit: Int) async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("handler_account_requests")
                .where("state", .notEqual, HandlerAccountRequest.State.pending.rawValue)
                .orderBy("decided_at", .descending).orderBy("id", .descending).limit(max(0, limit)).all().map(Self.request)
        }
    }

    public func decided(after since: Date) async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("handler_account_requests")
                .where("state", .notEqual, HandlerAccountRequest.State.pending.rawValue)
                .where("decided_at", .greaterThan, since.stored)
                .orderBy("decided_at").orderBy("id").all().map(Self.request)
        }
    }

    public func decide(id: Int64, state: HandlerAccountRequest.State, by: UserID, at: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("""
                UPDATE handler_account_requests SET state = \(bind: state.rawValue), decided_by = \(bind: by), decided_at = \(bind: at.stored)
                WHERE id = \(bind: id) AND state = \(bind: HandlerAccountRequest.State.pending.rawValue) RETURNING id
                """).all().count == 1
        }
    }

    public func setUser(id: Int64, userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.update("handler_account_requests").set("user_id", to: userID).where("id", .equal, id).run()
        }
    }

    public func acknowledgedAt(userID: UserID) async throws -> Date? {
        try await database.withConnection { db in
            try await db.select().column("acknowledged_at").from("handler_notice_acknowledgements")
                .where("user_id", .equal, userID).first()?.date("acknowledged_at")
        }
    }

    public func acknowledge(userID: UserID, at: Date) async throws {
        try await database.withConnection { db in
            try await db.raw("""
                INSERT INTO handler_notice_acknowledgements (user_id, acknowledged_at) VALUES (\(bind: userID), \(bind: at.stored))
                ON CONFLICT (user_id) DO UPDATE SET acknowledged_at = excluded.acknowledged_at
                """).run()
        }
    }
}
