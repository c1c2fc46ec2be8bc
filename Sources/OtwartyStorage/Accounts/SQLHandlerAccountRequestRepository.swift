import Foundation
import OtwartyCore
import SQLKit

public struct SQLHandlerAccountRequestRepository: HandlerAccountRequestRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `handler_account_requests`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, kind, userID = "user_id", email, displayName = "display_name", role, previousRole = "previous_role",
                 requestedBy = "requested_by", requestedAt = "requested_at", state, decidedBy = "decided_by", decidedAt = "decided_at"
        }
        typealias Column = CodingKeys
        var id: Int64
        var kind: String
        var userID: Int64?
        var email: String
        var displayName: String
        var role: String
        var previousRole: String?
        var requestedBy: Int64?
        var requestedAt: Double
        var state: String
        var decidedBy: Int64?
        var decidedAt: Double?

        func request() throws -> HandlerAccountRequest {
            func decoded<T: RawRepresentable<String>>(_ raw: String, _ column: Column, as type: T.Type) throws -> T {
                guard let value = T(rawValue: raw) else { throw DatabaseError.corrupt("handler_account_requests.\(column.rawValue) = \(raw)") }
                return value
            }
            return HandlerAccountRequest(
                id: id, kind: try decoded(kind, .kind, as: HandlerAccountRequest.Kind.self), userID: userID, email: email,
                displayName: displayName, role: try decoded(role, .role, as: Role.self),
                previousRole: previousRole.flatMap(Role.init(rawValue:)), requestedBy: requestedBy,
                requestedAt: Date(timeIntervalSince1970: requestedAt),
                state: try decoded(state, .state, as: HandlerAccountRequest.State.self), decidedBy: decidedBy,
                decidedAt: decidedAt.map(Date.init(timeIntervalSince1970:)))
        }
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
            try await db.select().columns(Row.columns).from("handler_account_requests").where("id", .equal, id)
                .first(decoding: Row.self)?.request()
        }
    }

    public func pending() async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("handler_account_requests")
                .where("state", .equal, HandlerAccountRequest.State.pending.rawValue)
                .orderBy("requested_at").orderBy("id").all(decoding: Row.self).map { try $0.request() }
        }
    }

    public func decided(limit: Int) async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("handler_account_requests")
                .where("state", .notEqual, HandlerAccountRequest.State.pending.rawValue)
                .orderBy("decided_at", .descending).orderBy("id", .descending).limit(max(0, limit)).all(decoding: Row.self).map { try $0.request() }
        }
    }

    public func decided(after since: Date) async throws -> [HandlerAccountRequest] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("handler_account_requests")
                .where("state", .notEqual, HandlerAccountRequest.State.pending.rawValue)
                .where("decided_at", .greaterThan, since.stored)
                .orderBy("decided_at").orderBy("id").all(decoding: Row.self).map { try $0.request() }
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
