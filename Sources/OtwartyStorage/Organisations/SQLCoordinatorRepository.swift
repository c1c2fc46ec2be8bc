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

    public func add(_ c: CooperationCoordinator) async throws -> CooperationCoordinator {
        let id = try await database.withConnection { db in
            try await db.insert(into: "cooperation_coordinators")
                .columns("organisation_id", "name", "function", "email", "phone", "valid_from", "valid_until", "created_at")
                .values(SQLBind(c.organisationID), SQLBind(c.name), SQLBind(c.function), SQLBind(c.email), SQLBind(c.phone),
                        SQLBind(c.validFrom?.description as String?), SQLBind(c.validUntil?.description as String?),
                        SQLBind(clock.now().stored))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
        }
        var stored = c
        stored.id = id ?? 0
        return stored
    }

    public func coordinators(organisationID: OrganisationID?) async throws -> [CooperationCoordinator] {
        try await database.withConnection { db in
            var query = db.select().columns("id", "organisation_id", "name", "function", "email", "phone", "valid_from", "valid_until")
                .from("cooperation_coordinators")
            if let organisationID { query = query.where("organisation_id", .equal, organisationID) }
            return try await query.orderBy("name").all().map { row in
                CooperationCoordinator(
                    id: try row.decode(column: "id", as: Int64.self),
                    organisationID: try row.decode(column: "organisation_id", as: Int64.self),
                    name: try row.decode(column: "name", as: String.self),
                    function: try row.decode(column: "function", as: String.self),
                    email: try row.decode(column: "email", as: String.self),
                    phone: try row.decode(column: "phone", as: String.self),
                    validFrom: try row.decode(column: "valid_from", as: String?.self).flatMap(CalendarDate.init(iso:)),
                    validUntil: try row.decode(column: "valid_until", as: String?.self).flatMap(CalendarDate.init(iso:)))
            }
        }
    }
}
