import Foundation
import OtwartyCore
import SQLKit

/// Incident cases and their events. Sealed columns pass through untouched: this layer never
/// holds a key. The case's envelopes (`incident_case_keys`) are written with the case and
/// deleted with its texts, in the same transactions.
public struct SQLIncidentRepository: IncidentRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `incidents` (all but `stats_year`, which only the statistics filter on).
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, caseCode = "case_code", passphraseDigest = "passphrase_digest", receivedOn = "received_on",
                 occurredOn = "occurred_on", district, category, motivations, reporterRole = "reporter_role",
                 policeInformed = "police_informed", language, consentToContact = "consent_to_contact", status, classification,
                 closedOn = "closed_on", purgedOn = "purged_on", narrativeSealed = "narrative_sealed", placeSealed = "place_sealed",
                 contactSealed = "contact_sealed", outcomeSealed = "outcome_sealed", outcomeKind = "outcome_kind",
                 duplicateOf = "duplicate_of", sealing, casePublicKey = "case_public_key",
                 reporterPublicKey = "reporter_public_key"
        }
        typealias Column = CodingKeys
        var id: Int64
        var caseCode: String
        var passphraseDigest: String
        var receivedOn: String?
        var occurredOn: String?
        var district: Int?
        var category: String
        var motivations: String
        var reporterRole: String
        var policeInformed: String
        var language: String
        var consentToContact: Bool
        var status: String
        var classification: String?
        var closedOn: String?
        var purgedOn: String?
        var narrativeSealed: String?
        var placeSealed: String?
        var contactSealed: String?
        var outcomeSealed: String?
        var outcomeKind: String?
        var duplicateOf: String?
        var sealing: String
        var casePublicKey: String?
        var reporterPublicKey: String?

        /// Text that names no known value makes the row corrupt, except unknown motivations
        /// (left out) and an unknown classification (read as none).
        func incident() throws -> StoredIncident {
            func value<T: RawRepresentable>(_ raw: String, _ column: Column) throws -> T where T.RawValue == String {
                guard let value = T(rawValue: raw) else { throw DatabaseError.corrupt("incidents.\(column.rawValue) \(raw)") }
                return value
            }
            guard let received = receivedOn.flatMap(CalendarDate.init(iso:)) else { throw DatabaseError.corrupt("incidents.received_on") }
            let metadata = IncidentMetadata(
                id: id, caseCode: caseCode, receivedOn: received, occurredOn: occurredOn.flatMap(CalendarDate.init(iso:)),
                district: district.flatMap(District.init(number:)),
                category: try value(category, .category), motivations: SQLIncidentRepository.motivations(motivations),
                reporterRole: try value(reporterRole, .reporterRole),
                policeInformed: try value(policeInformed, .policeInformed),
                language: language, consentToContact: consentToContact,
                status: try value(status, .status),
                classification: classification.flatMap(IncidentClassification.init(rawValue:)),
                closedOn: closedOn.flatMap(CalendarDate.init(iso:)), purgedOn: purgedOn.flatMap(CalendarDate.init(iso:)),
                outcomeKind: outcomeKind.flatMap(IncidentOutcome.init(rawValue:)), duplicateOf: duplicateOf)
            return StoredIncident(metadata: metadata, passphraseDigest: passphraseDigest, sealedNarrative: narrativeSealed,
                                  sealedPlace: placeSealed, sealedContact: contactSealed, sealedOutcome: outcomeSealed,
                                  sealing: try value(sealing, .sealing), casePublicKey: casePublicKey.flatMap { Data(base64Encoded: $0) },
                                  reporterPublicKey: SQLIncidentRepository.reporterKey(reporterPublicKey)?.key,
                                  reporterKeyParameters: SQLIncidentRepository.reporterKey(reporterPublicKey)?.parameters)
        }
    }

    /// A row of `incident_events`.
    struct EventRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, kind, eventOn = "event_on", textSealed = "text_sealed", referral, isPublic = "is_public", createdBy = "created_by",
                 textForReporter = "text_for_reporter"
        }
        typealias Column = CodingKeys
        var id: Int64
        var kind: String
        var eventOn: String
        var textSealed: String?
        var referral: String?
        var isPublic: Bool
        var createdBy: Int64?
        var textForReporter: String?

        func event(incidentID: IncidentID) throws -> StoredIncidentEvent {
            guard let kind = IncidentEvent.Kind(rawValue: kind), let on = CalendarDate(iso: eventOn) else {
                throw DatabaseError.corrupt("incident_events row \(self.kind)")
            }
            return StoredIncidentEvent(id: id, incidentID: incidentID, kind: kind, on: on, sealedText: textSealed,
                                       referral: referral.flatMap(ReferralTarget.init(rawValue:)), isPublic: isPublic, by: createdBy,
                                       sealedForReporter: textForReporter)
        }
    }

    /// The columns of `incidents` that the yearly statistics count.
    struct FactsRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case receivedOn = "received_on", occurredOn = "occurred_on", district, category, motivations, classification,
                 outcomeKind = "outcome_kind"
        }
        typealias Column = CodingKeys
        var receivedOn: String
        var occurredOn: String?
        var district: Int?
        var category: String
        var motivations: String
        var classification: String?
        var outcomeKind: String?

        /// A row whose day or category does not read is not counted.
        var facts: IncidentFacts? {
            guard let received = CalendarDate(iso: receivedOn), let category = IncidentCategory(rawValue: category) else { return nil }
            return IncidentFacts(date: occurredOn.flatMap(CalendarDate.init(iso:)) ?? received,
                                 district: district.flatMap(District.init(number:)), category: category,
                                 motivations: SQLIncidentRepository.motivations(motivations),
                                 classification: classification.flatMap(IncidentClassification.init(rawValue:)),
                                 outcome: outcomeKind.flatMap(IncidentOutcome.init(rawValue:)))
        }
    }

    /// The stored list of motivations read back; names this version does not know are left out.
    static func motivations(_ stored: String) -> Set<BiasMotivation> {
        Set(stored.split(separator: ",").compactMap { BiasMotivation(rawValue: String($0)) })
    }

    static func motivations(_ set: Set<BiasMotivation>) -> String {
        set.map(\.rawValue).sorted().joined(separator: ",")
    }

    public func create(_ i: StoredIncident, grants: [CaseKeyGrant]) async throws -> IncidentID {
        do {
            return try await database.transaction { db in
                try await db.insert(into: "incidents")
                    .columns("case_code", "passphrase_digest", "received_on", "occurred_on", "stats_year", "district", "category",
                             "motivations", "reporter_role", "police_informed", "language", "consent_to_contact", "status",
                             "narrative_sealed", "place_sealed", "contact_sealed", "sealing", "case_public_key", "reporter_public_key")
                    .values(SQLBind(i.caseCode), SQLBind(i.passphraseDigest), SQLBind(i.receivedOn.description),
                            SQLBind(i.occurredOn?.description), SQLBind((i.occurredOn ?? i.receivedOn).year),
                            SQLBind(i.district?.number), SQLBind(i.category.rawValue), SQLBind(Self.motivations(i.motivations)),
                            SQLBind(i.reporterRole.rawValue), SQLBind(i.policeInformed.rawValue), SQLBind(i.language),
                            SQLBind(i.consentToContact), SQLBind(i.status.rawValue), SQLBind(i.sealedNarrative),
                            SQLBind(i.sealedPlace), SQLBind(i.sealedContact), SQLBind(i.sealing.rawValue),
                            SQLBind(i.casePublicKey?.base64EncodedString()), SQLBind(i.reporterPublicKey.map { Self.reporterKey($0, i.reporterKeyParameters) }))
                    .run()
                guard let id = try await db.select().column("id").from("incidents").where("case_code", .equal, i.caseCode)
                    .first(decodingColumn: "id", as: Int64.self) else {
                    throw DatabaseError.corrupt("incident \(i.caseCode) vanished while being stored")
                }
                try await SQLIncidentKeyRepository.save(grants.map { var g = $0; g.incidentID = id; return g }, on: db)
                return id
            }
        } catch where ConstraintViolation.isUnique(error) {
            throw DomainError.conflict("case code \(i.caseCode) is taken")
        }
    }

    public func incident(id: IncidentID) async throws -> StoredIncident? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("incidents").where("id", .equal, id).first(decoding: Row.self)?.incident()
        }
    }

    public func incident(caseCode: String) async throws -> StoredIncident? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("incidents").where("case_code", .equal, caseCode)
                .first(decoding: Row.self)?.incident()
        }
    }

    public func list(statuses: Set<IncidentStatus>, limit: Int, offset: Int) async throws -> [StoredIncident] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("incidents")
            if !statuses.isEmpty { query = query.where("status", .in, statuses.map(\.rawValue).sorted()) }
            return try await query.orderBy("id", .descending).limit(limit).offset(offset).all(decoding: Row.self)
                .map { try $0.incident() }
        }
    }

    public func queue(_ q: IncidentQueueQuery) async throws -> [StoredIncident] {
        try await database.withConnection { db in
            var query = db.select().columns(Row.columns).from("incidents")
            if !q.statuses.isEmpty { query = query.where("status", .in, q.statuses.map(\.rawValue).sorted()) }
            if let fragment = q.codeFragment {
                // The fragment holds only code letters and digits (IncidentQueueQuery.codeFragment), so
                // LIKE needs no escaping; dashes are taken out of the stored code on both engines.
                query = query.where(SQLFunction("REPLACE", args: SQLColumn("case_code"), SQLLiteral.string("-"), SQLLiteral.string("")),
                                    .like, SQLBind("KR%\(fragment)%"))
            }
            let direction: SQLDirection = q.oldestFirst ? .ascending : .descending
            return try await query.orderBy("received_on", direction).orderBy("id", direction).limit(q.limit).offset(q.offset)
                .all(decoding: Row.self).map { try $0.incident() }
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
                .set("outcome_kind", to: SQLBind(i.outcomeKind?.rawValue)).set("duplicate_of", to: SQLBind(i.duplicateOf))
                .where("id", .equal, i.id).run()
        }
    }

    public func addEvent(_ e: StoredIncidentEvent) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "incident_events")
                .columns("incident_id", "kind", "event_on", "text_sealed", "referral", "is_public", "created_by", "text_for_reporter")
                .values(SQLBind(e.incidentID), SQLBind(e.kind.rawValue), SQLBind(e.on.description), SQLBind(e.sealedText),
                        SQLBind(e.referral?.rawValue), SQLBind(e.isPublic), SQLBind(e.by), SQLBind(e.sealedForReporter))
                .run()
        }
    }

    public func events(incidentID: IncidentID) async throws -> [StoredIncidentEvent] {
        try await database.withConnection { db in
            try await db.select().columns(EventRow.columns).from("incident_events").where("incident_id", .equal, incidentID)
                .orderBy("id").all(decoding: EventRow.self).map { try $0.event(incidentID: incidentID) }
        }
    }

    public func purge(closedOnOrBefore cutOff: CalendarDate, today: CalendarDate) async throws -> Int {
        try await database.transaction { db in
            // ISO dates compare as text on both engines.
            let due = try await db.select().column("id").from("incidents")
                .where("status", .equal, IncidentStatus.closed.rawValue)
                .where("closed_on", .lessThanOrEqual, cutOff.description)
                .where(SQLColumn("purged_on"), .is, SQLLiteral.null)
                .all(decodingColumn: "id", as: Int64.self)
            guard !due.isEmpty else { return 0 }
            try await db.update("incident_events").set("text_sealed", to: SQLLiteral.null).set("text_for_reporter", to: SQLLiteral.null)
                .where("incident_id", .in, due).run()
            // Crypto-shredding: every envelope of the content keys goes (rows deleted, not only
            // emptied, so no old version of a live row keeps one), and with them the case key.
            try await db.delete(from: "incident_case_keys").where("incident_id", .in, due).run()
            try await db.update("incidents")
                .set("narrative_sealed", to: SQLLiteral.null).set("place_sealed", to: SQLLiteral.null)
                .set("contact_sealed", to: SQLLiteral.null).set("outcome_sealed", to: SQLLiteral.null)
                .set("case_public_key", to: SQLLiteral.null).set("reporter_public_key", to: SQLLiteral.null)
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
            try await database.withConnection { db in try await db.raw("VACUUM FULL incidents, incident_events, incident_case_keys").run() }
        }
    }

    public func reseal(_ i: StoredIncident, events: [StoredIncidentEvent], grants: [CaseKeyGrant]) async throws {
        try await database.transaction { db in
            try await db.update("incidents")
                .set("narrative_sealed", to: SQLBind(i.sealedNarrative)).set("place_sealed", to: SQLBind(i.sealedPlace))
                .set("contact_sealed", to: SQLBind(i.sealedContact)).set("outcome_sealed", to: SQLBind(i.sealedOutcome))
                .set("sealing", to: i.sealing.rawValue).set("case_public_key", to: SQLBind(i.casePublicKey?.base64EncodedString()))
                .where("id", .equal, i.id).run()
            for event in events where event.id > 0 {
                try await db.update("incident_events").set("text_sealed", to: SQLBind(event.sealedText))
                    .where("id", .equal, event.id).where("incident_id", .equal, i.id).run()
            }
            try await SQLIncidentKeyRepository.save(grants, on: db)
        }
    }

    public func serverSealedIncidents() async throws -> [StoredIncident] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("incidents").where("sealing", .equal, IncidentSealing.serverKey.rawValue)
                .where(SQLColumn("purged_on"), .is, SQLLiteral.null).orderBy("id").all(decoding: Row.self).map { try $0.incident() }
        }
    }

    /// `s16r8p1:<base64>`: the reporter's public key with the scrypt cost it was derived with.
    static func reporterKey(_ key: Data, _ parameters: ScryptParameters?) -> String {
        (parameters.map { "\($0):" } ?? "") + key.base64EncodedString()
    }

    static func reporterKey(_ stored: String?) -> (key: Data, parameters: ScryptParameters?)? {
        guard let stored else { return nil }
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let parameters = ScryptParameters(stored: String(parts[0])), let key = Data(base64Encoded: String(parts[1])) {
            return (key, parameters)
        }
        return Data(base64Encoded: stored).map { ($0, nil) }
    }

    public func setReporterKey(incidentID: IncidentID, publicKey: Data, parameters: ScryptParameters) async throws {
        try await database.withConnection { db in
            try await db.update("incidents").set("reporter_public_key", to: Self.reporterKey(publicKey, parameters))
                .where("id", .equal, incidentID).where(SQLColumn("purged_on"), .is, SQLLiteral.null).run()
        }
    }

    public func setReporterCopies(_ copies: [Int64: String]) async throws {
        guard !copies.isEmpty else { return }
        try await database.transaction { db in
            for (id, sealed) in copies.sorted(by: { $0.key < $1.key }) {
                try await db.update("incident_events").set("text_for_reporter", to: sealed).where("id", .equal, id).run()
            }
        }
    }

    public func facts(year: Int) async throws -> [IncidentFacts] {
        try await database.withConnection { db in
            try await db.select().columns(FactsRow.columns).from("incidents").where("stats_year", .equal, year)
                .all(decoding: FactsRow.self).compactMap(\.facts)
        }
    }
}
