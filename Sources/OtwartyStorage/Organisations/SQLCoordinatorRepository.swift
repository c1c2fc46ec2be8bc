import Foundation
import OtwartyCore
import SQLKit

public struct SQLCoordinatorRepository: CoordinatorRepository {
    let database: Database
    let clock: OfficeClock
    public init(database: Database, clock: OfficeClock = OfficeClock()) {
        self.database = database
        self.clock = clock
    }

    /// A row of `cooperation_coordinators`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, organisationID = "organisation_id", name, function, email, phone, validFrom = "valid_from",
                 validUntil = "valid_until"
        }
        typealias Column = CodingKeys
        var id: Int64
        var organisationID: Int64
        var name: String
        var function: String
        var email: String
        var phone: String
        var validFrom: String?
        var validUntil: String?

        var coordinator: CooperationCoordinator {
            CooperationCoordinator(id: id, organisationID: organisationID, name: name, function: function, email: email,
                                   phone: phone, validFrom: validFrom.flatMap(CalendarDate.init(iso:)),
                                   validUntil: validUntil.flatMap(CalendarDate.init(iso:)))
        }
    }

    public func add(_ c: CooperationCoordinator) async throws -> CooperationCoordinator {
        let id = try await database.withConnection { db in
            let id = try await db.insert(into: "cooperation_coordinators")
                .columns("organisation_id", "name", "function", "email", "phone", "valid_from", "valid_until", "created_at")
                .values(SQLBind(c.organisationID), SQLBind(c.name), SQLBind(c.function), SQLBind(c.email), SQLBind(c.phone),
                        SQLBind(c.validFrom?.description as String?), SQLBind(c.validUntil?.description as String?),
                        SQLBind(clock.now().stored))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            // After the write: measure 2.3.a counts coordinators, and indicator answers are cached by the data version.
            try await DataVersion.bump(db)
            return id
        }
        var stored = c
        stored.id = id ?? 0
        return stored
    }

    public func coordinators(organisationID: OrganisationID?) async throws -> [CooperationCoordinator] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("cooperation_coordinators")
            if let organisationID { query = query.where("organisation_id", .equal, organisationID) }
            return try await query.orderBy("name").all(decoding: Row.self).map(\.coordinator)
        }
    }
}
