import Foundation
import OtwartyCore
import SQLKit

public struct SQLUserRepository: UserRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static let columns = ["id", "email", "display_name", "role", "organisation_id", "password_hash", "disabled", "created_at"]

    static func user(_ row: any SQLRow) throws -> User {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = Role(rawValue: roleText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown role \(roleText)"))
        }
        return User(id: try row.decode(column: "id", as: Int64.self),
                    email: try row.decode(column: "email", as: String.self),
                    displayName: try row.decode(column: "display_name", as: String.self),
                    role: role,
                    organisationID: try row.decode(column: "organisation_id", as: Int64?.self),
                    passwordHash: try row.decode(column: "password_hash", as: String?.self),
                    isDisabled: try row.decode(column: "disabled", as: Bool.self),
                    createdAt: try row.date("created_at"))
    }

    public func create(_ user: NewUser, at: Date) async throws -> User {
        do {
            return try await insert(user, at: at)
        } catch where ConstraintViolation.isUnique(error) {
            // Two requests creating the same address together can both pass the check in
            // `insert` on PostgreSQL (READ COMMITTED); the loser hits the UNIQUE constraint.
            throw DomainError.conflict("The e-mail address \(user.email) is already in use.")
        }
    }

    private func insert(_ user: NewUser, at: Date) async throws -> User {
        try await database.transaction { db in
            let taken = try await db.select().column("id").from("users").where("email", .equal, user.email).first()
            if taken != nil { throw DomainError.conflict("The e-mail address \(user.email) is already in use.") }
            let id = try await db.insert(into: "users")
                .columns("email", "display_name", "role", "organisation_id", "password_hash", "disabled", "created_at")
                .values(SQLBind(user.email), SQLBind(user.displayName), SQLBind(user.role.rawValue),
                        SQLBind(user.organisationID), SQLBind(user.passwordHash), SQLBind(false), SQLBind(at.stored))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw DomainError.conflict("The user could not be stored.") }
            return User(id: id, email: user.email, displayName: user.displayName, role: user.role,
                        organisationID: user.organisationID, passwordHash: user.passwordHash, isDisabled: false,
                        createdAt: Date(timeIntervalSince1970: at.stored))
        }
    }

    public func user(id: UserID) async throws -> User? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("users").where("id", .equal, id).first().map(Self.user)
        }
    }

    public func user(email: String) async throws -> User? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("users")
                .where("email", .equal, email.lowercased()).first().map(Self.user)
        }
    }

    public func all() async throws -> [User] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("users").orderBy("email").all().map(Self.user)
        }
    }

    public func setPasswordHash(_ hash: String, userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.update("users").set("password_hash", to: hash).where("id", .equal, userID).run()
        }
    }

    public func setDisabled(_ disabled: Bool, userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.update("users").set("disabled", to: disabled).where("id", .equal, userID).run()
        }
    }

    public func setRole(_ role: Role, userID: UserID) async throws {
        try await database.withConnection { db in
            try await db.update("users").set("role", to: role.rawValue).where("id", .equal, userID).run()
        }
    }

    public func countActive(role: Role) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM users WHERE role = \(bind: role.rawValue) AND disabled = \(bind: false)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
