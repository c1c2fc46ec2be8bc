import Foundation
import OtwartyCore
import SQLKit

public struct SQLUserRepository: UserRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `users`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, email, displayName = "display_name", role, organisationID = "organisation_id",
                 passwordHash = "password_hash", disabled, createdAt = "created_at"
        }
        typealias Column = CodingKeys
        var id: Int64
        var email: String
        var displayName: String
        var role: Role
        var organisationID: Int64?
        var passwordHash: String?
        var disabled: Bool
        var createdAt: Double

        var user: User {
            User(id: id, email: email, displayName: displayName, role: role, organisationID: organisationID,
                 passwordHash: passwordHash, isDisabled: disabled, createdAt: Date(timeIntervalSince1970: createdAt))
        }
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
            try await db.select().columns(Row.columns).from("users").where("id", .equal, id).first(decoding: Row.self)?.user
        }
    }

    public func user(email: String) async throws -> User? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("users")
                .where("email", .equal, email.lowercased()).first(decoding: Row.self)?.user
        }
    }

    public func all() async throws -> [User] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("users").orderBy("email").all(decoding: Row.self).map(\.user)
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
