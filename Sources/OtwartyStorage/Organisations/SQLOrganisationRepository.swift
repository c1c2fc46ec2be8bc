import Foundation
import OtwartyCore
import SQLKit

public struct SQLOrganisationRepository: OrganisationRepository {
    let database: Database
    let clock: OfficeClock
    public init(database: Database, clock: OfficeClock = OfficeClock()) {
        self.database = database
        self.clock = clock
    }

    /// A row of `organisations`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable { case id, name, kind }
        typealias Column = CodingKeys
        var id: Int64
        var name: String
        var kind: String

        /// A kind this version does not know reads as "other partner".
        var organisation: Organisation {
            Organisation(id: id, name: name, kind: OrganisationKind(rawValue: kind) ?? .otherPartner)
        }
    }

    public func create(name: String, kind: OrganisationKind) async throws -> Organisation {
        do {
            return try await insert(name: name, kind: kind)
        } catch where ConstraintViolation.isUnique(error) {
            // Two requests creating the same name together can both pass the check in
            // `insert` on PostgreSQL (READ COMMITTED); the loser hits the UNIQUE constraint.
            throw DomainError.conflict("An organisation named \(name) already exists.")
        }
    }

    private func insert(name: String, kind: OrganisationKind) async throws -> Organisation {
        let at = clock.now().stored
        return try await database.transaction { db in
            if try await db.select().column("id").from("organisations").where("name", .equal, name).first() != nil {
                throw DomainError.conflict("An organisation named \(name) already exists.")
            }
            guard let id = try await db.insert(into: "organisations").columns("name", "kind", "created_at")
                .values(SQLBind(name), SQLBind(kind.rawValue), SQLBind(at))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            else { throw DomainError.conflict("The organisation could not be stored.") }
            return Organisation(id: id, name: name, kind: kind)
        }
    }

    public func organisation(id: OrganisationID) async throws -> Organisation? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("organisations").where("id", .equal, id)
                .first(decoding: Row.self)?.organisation
        }
    }

    public func organisation(named name: String) async throws -> Organisation? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("organisations").where("name", .equal, name)
                .first(decoding: Row.self)?.organisation
        }
    }

    public func all() async throws -> [Organisation] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("organisations").orderBy("name").all(decoding: Row.self)
                .map(\.organisation)
        }
    }
}
