import Foundation
import OtwartyCore
import SQLKit

/// Incident cases and their events. Sealed columns pass through untouched: this layer never
/// holds the key.
public struct SQLIncidentRepository: IncidentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static func incident(_ row: any SQLRow) throws -> StoredIncident {
        func day(_ column: String) throws -> CalendarDate? {
            try row.decode(column: column, as: String?.self).flatMap(CalendarDate.init(iso:))
        }
        func value<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
            let raw = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: raw) else { throw DatabaseError.corrupt("incidents.\(column) \(raw)") }
            return value
        }
        guard let received = try day("received_on") else { throw DatabaseError.corrupt("incidents.received_on") }
        let motivations = try row.decode(column: "motivations", as: String.self).split(separator: ",")
            .compactMap { BiasMotivation(rawValue: String($0)) }
        let metadata = IncidentMetadata(
            id: try row.decode(column: "id", as: Int64.self), caseCode: try row.decode(column: "case_code", as: String.self),
            receivedOn: received,
            occurredOn: try day("occurred_on"),
            district: try row.decode(column: "district", as: Int?.self).flatMap(District.init(number:)),
            category: try value("category", IncidentCategory.self), motivations: Set(motivations),
            reporterRole: try value("reporter_role", ReporterRole.self),
            policeInformed: try value("police_informed", PoliceInformed.self),
            language: try row.decode(column: "language", as: String.self),
            consentToContact: try row.decode(column: "consent_to_contact", as: Bool.self),
            status: try value("status", IncidentStatus.self),
            classification: try row.decode(column: "classification", as: String?.self).flatMap(IncidentClassification.init(rawValue:)),
            closedOn: try day("closed_on"), purgedOn: try day("purged_on"))
        return StoredIncident(
            metadata: metadata, passphraseDigest: try row.decode(column: "passphrase_digest", as: String.self),
            sealedNarrative: try row.decode(column: "narrative_sealed", as: String?.self),
            sealedPlace: try row.decode(column: "place_sealed", as: String?.self),
            sealedContact: try row.decode(column: "contact_sealed", as: String?.self),
            sealedOutcome: try row.decode(column: "outcome_sealed", as: String?.self))
    }

    static func motivations(_ set: Set<BiasMotivation>) -> String {
        set.map(\.rawValue).sorted().joined(separator: ",")
    }

    public func create(_ i: StoredIncident) async throws -> IncidentID {
        do {
            return try await database.transaction { db in
                try await db.insert(into: "incidents")
                    .columns("case_code", "passphrase_digest", "received_on", "occurred_on", "stats_year", "district", "category",
                             "motivations", "reporter_role", "police_informed", "language", "consent_to_contact", "status",
                             "narrative_sealed", "place_sealed", "contact_sealed")
                    .values(SQLBind(i.caseCode), SQLBind(i.passphraseDigest), SQLBind(i.receivedOn.description),
                            SQLBind(i.occurredOn?.description), SQLBind((i.occurredOn ?? i.receivedOn).year),
                            SQLBind(i.district?.number), SQLBind(i.category.rawValue), SQLBind(Self.motivations(i.motivations)),
                            SQLBind(i.reporterRole.rawValue), SQLBind(i.policeInformed.rawValue), SQLBind(i.language),
                            SQLBind(i.consentToContact), SQLBind(i.status.rawValue), SQLBind(i.sealedNarrative),
                            SQLBind(i.sealedPlace), SQLBind(i.sealedContact))
                    .run()
                guard let row = try await db.select().column("id").from("incidents").where("case_code", .equal, i.caseCode).first() else {
                    throw DatabaseError.corrupt("incident \(i.caseCode) vanished while being stored")
                }
                return try row.decode(column: "id", as: Int64.self)
            }
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError.conflict("case code \(i.caseCode) is taken")
        }
    }

    public func incident(id: IncidentID) async throws -> StoredIncident? {
        try await database.withConnection { db in
            try await db.select().column("*").from("incidents").where("id", .equal, id).first().map(Self.incident)
        }
    }

    public func incident(caseCode: String) async throws -> StoredIncident? {
        try await database.withConnection { db in
            try await db.select().column("*").from("incidents").where("case_code", .equal, caseCode).first().map(Self.incident)
        }
    }

    public func list(statuses: Set<IncidentStatus>, limit: Int, offset: Int) async throws -> [StoredIncident] {
        try await database.withConnection { db in
            var query = db.select().column("*").from("incidents")
            if !statuses.isEmpty { query = query.where("status", .in, statuses.map(\.rawValue).sorted()) }
            return try await query.orderBy("id", .descending).limit(limit).offset(offset).all().map(Self.incident)
        }
    }

    public func update(_ i: StoredIncident) async throws {
        try await database.withConnection { db in
            try await db.update("incidents")
                .set("status", to: i.status.rawValue).set("classification", to: SQLBind(i.classification?.rawValue))
                .set("category", to: i.category.rawValue).set("district", to: SQLBind(i.district?.number))
                .set("motivations", to: Self.motivations(i.motivations))
                .set("closed_on", to: SQLBind(i.closedOn?.description))
                .set("outcome_sealed", to: SQLBind(i.sealedOutcome))
                .where("id", .equal, i.id).run()
        }
    }

    public func addEvent(_ e: StoredIncidentEvent) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "incident_events")
                .columns("incident_id", "kind", "event_on", "text_sealed", "referral", "is_public", "created_by")
                .values(SQLBind(e.incidentID), SQLBind(e.kind.rawValue), SQLBind(e.on.description), SQLBind(e.sealedText),
                        SQLBind(e.referral?.rawValue), SQLBind(e.isPublic), SQLBind(e.by))
                .run()
        }
    }

    public func events(incidentID: IncidentID) async throws -> [StoredIncidentEvent] {
        try await database.withConnection { db in
            try await db.select().column("*").from("incident_events").where("incident_id", .equal, incidentID)
                .orderBy("id").all().map { row in
                    let kindText = try row.decode(column: "kind", as: String.self)
                    guard let kind = IncidentEvent.Kind(rawValue: kindText),
                          let on = CalendarDate(iso: try row.decode(column: "event_on", as: String.self)) else {
                        throw DatabaseError.corrupt("incident_events row \(kindText)")
                    }
                    return StoredIncidentEvent(
                        incidentID: incidentID, kind: kind, on: on, sealedText: try row.decode(column: "text_sealed", as: String?.self),
                        referral: try row.decode(column: "referral", as: String?.self).flatMap(ReferralTarget.init(rawValue:)),
                        isPublic: try row.decode(column: "is_public", as: Bool.self),
                        by: try row.decode(column: "created_by", as: Int64?.self))
                }
        }
    }

    public func purge(closedOnOrBefore cutOff: CalendarDate, today: CalendarDate) async throws -> Int {
        try await database.transaction { db in
            // ISO dates compare as text on both engines.
            let due = try await db.select().column("id").from("incidents")
                .where("status", .equal, IncidentStatus.closed.rawValue)
                .where("closed_on", .lessThanOrEqual, cutOff.description)
                .where(SQLColumn("purged_on"), .is, SQLLiteral.null)
                .all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !due.isEmpty else { return 0 }
            try await db.update("incident_events").set("text_sealed", to: SQLLiteral.null).where("incident_id", .in, due).run()
            try await db.update("incidents")
                .set("narrative_sealed", to: SQLLiteral.null).set("place_sealed", to: SQLLiteral.null)
                .set("contact_sealed", to: SQLLiteral.null).set("outcome_sealed", to: SQLLiteral.null)
                .set("purged_on", to: today.description)
                .where("id", .in, due).run()
            return due.count
        }
    }

    public func scrubRemovedText(afterPurging purged: Int) async throws {
        switch database.kind {
        case .sqlite:
            // Every connection deletes with secure_delete (Database.open), so the rows' pages hold
            // zeros where the text was; the WAL still holds the pages as they were before. A
            // TRUNCATE checkpoint copies the current pages into the database file and empties the
            // WAL. It waits (busy timeout) for readers to finish; if one still holds an old
            // snapshot it reports busy, and the next pass tries again.
            let row = try await database.withConnection { db in try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").first() }
            if let row, try row.decode(column: "busy", as: Int.self) != 0 {
                throw DatabaseError.busy("the WAL checkpoint after the incident purge waited for a reader; it runs again with the next purge")
            }
        case .postgres:
            // An UPDATE leaves the old row version (with its sealed text, also in TOAST) in the
            // table's files until VACUUM; plain VACUUM frees the space but does not overwrite it.
            // VACUUM FULL writes the tables anew and drops the old files. The incident tables are
            // small (one row per report), so the moment's exclusive lock is short.
            guard purged > 0 else { return }
            try await database.withConnection { db in try await db.raw("VACUUM FULL incidents, incident_events").run() }
        }
    }

    public func facts(year: Int) async throws -> [IncidentFacts] {
        try await database.withConnection { db in
            try await db.select().columns("received_on", "occurred_on", "district", "category", "motivations", "classification")
                .from("incidents").where("stats_year", .equal, year).all().compactMap { row in
                    guard let received = CalendarDate(iso: try row.decode(column: "received_on", as: String.self)),
                          let category = IncidentCategory(rawValue: try row.decode(column: "category", as: String.self)) else { return nil }
                    let date = try row.decode(column: "occurred_on", as: String?.self).flatMap(CalendarDate.init(iso:)) ?? received
                    return IncidentFacts(
                        date: date, district: try row.decode(column: "district", as: Int?.self).flatMap(District.init(number:)),
                        category: category,
                        motivations: Set(try row.decode(column: "motivations", as: String.self).split(separator: ",")
                            .compactMap { BiasMotivation(rawValue: String($0)) }),
                        classification: try row.decode(column: "classification", as: String?.self).flatMap(IncidentClassification.init(rawValue:)))
                }
        }
    }
}
