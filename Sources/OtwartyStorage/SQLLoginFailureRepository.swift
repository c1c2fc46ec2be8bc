import Foundation
import OtwartyCore
import SQLKit

public struct SQLLoginFailureRepository: LoginFailureRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func record(keys: [String], at: Date) async throws {
        guard !keys.isEmpty else { return }
        try await database.withConnection { db in
            var insert = db.insert(into: "login_failures").columns("throttle_key", "at")
            for key in keys { insert = insert.values(SQLBind(key), SQLBind(at.stored)) }
            try await insert.run()
        }
    }

    public func count(key: String, since: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM login_failures WHERE throttle_key = \(bind: key) AND at >= \(bind: since.stored)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func clear(key: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_failures").where("throttle_key", .equal, key).run()
        }
    }

    public func purge(before: Date) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "login_failures").where("at", .lessThan, before.stored).run()
        }
    }
}
