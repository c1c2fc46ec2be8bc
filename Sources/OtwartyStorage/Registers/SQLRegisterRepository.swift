import Foundation
import OtwartyCore
import SQLKit

/// Dialogue bodies and the assistants' contact base (migration 21). Dates are ISO text, so text
/// comparison is date order on both engines (`SQLMeasureSourceReader` counts them).
public struct SQLRegisterRepository: RegisterRepository {
    let database: Database
    let clock: OfficeClock
    public init(database: Database, clock: OfficeClock = OfficeClock()) {
        self.database = database
        self.clock = clock
    }

    /// ",minorities,ngos," — the commas at both ends let `LIKE '%,minorities,%'` find a kind.
    static func storedKinds(_ kinds: Set<DialogueMemberKind>) -> String {
        "," + DialogueMemberKind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ",") + ","
    }

    /// A row of `dialogue_bodies`.
    struct BodyRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, memberKinds = "member_kinds", validFrom = "valid_from", validUntil = "valid_until", note
        }
        typealias Column = CodingKeys
        var id: Int64
        var name: String
        var memberKinds: String
        var validFrom: String?
        var validUntil: String?
        var note: String

        var body: DialogueBody {
            DialogueBody(id: id, name: name,
                         memberKinds: Set(memberKinds.split(separator: ",").compactMap { DialogueMemberKind(rawValue: String($0)) }),
                         validFrom: validFrom.flatMap(CalendarDate.init(iso:)), validUntil: validUntil.flatMap(CalendarDate.init(iso:)),
                         note: note)
        }
    }

    public func dialogueBodies() async throws -> [DialogueBody] {
        try await database.withConnection { db in
            try await db.select().columns(BodyRow.columns).from("dialogue_bodies").orderBy("name").orderBy("id")
                .all(decoding: BodyRow.self).map(\.body)
        }
    }

    public func dialogueBody(id: Int64) async throws -> DialogueBody? {
        try await database.withConnection { db in
            try await db.select().columns(BodyRow.columns).from("dialogue_bodies").where("id", .equal, id)
                .first(decoding: BodyRow.self)?.body
        }
    }

    public func saveDialogueBody(_ b: DialogueBody) async throws -> DialogueBody {
        let now = clock.now().stored
        return try await database.withConnection { db in
            var stored = b
            if b.id != 0 {
                try await db.update("dialogue_bodies").set("name", to: b.name).set("member_kinds", to: Self.storedKinds(b.memberKinds))
                    .set("valid_from", to: SQLBind(b.validFrom?.description)).set("valid_until", to: SQLBind(b.validUntil?.description))
                    .set("note", to: b.note).set("updated_at", to: now).where("id", .equal, b.id).run()
            } else {
                stored.id = try await db.insert(into: "dialogue_bodies")
                    .columns("name", "member_kinds", "valid_from", "valid_until", "note", "created_at", "updated_at")
                    .values(SQLBind(b.name), SQLBind(Self.storedKinds(b.memberKinds)), SQLBind(b.validFrom?.description),
                            SQLBind(b.validUntil?.description), SQLBind(b.note), SQLBind(now), SQLBind(now))
                    .returning("id").first(decodingColumn: "id", as: Int64.self) ?? 0
            }
            // After the write: measures 3.4.a and 5.5.a count the registers, and indicator answers
            // and public pages are cached by the data version.
            try await DataVersion.bump(db)
            return stored
        }
    }

    public func deleteDialogueBody(id: Int64) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "dialogue_bodies").where("id", .equal, id).run()
            try await DataVersion.bump(db)
        }
    }

    /// A row of `intercultural_assistants`.
    struct AssistantRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, organisationID = "organisation_id", name, kind, languages, schools, email, phone,
                 validFrom = "valid_from", validUntil = "valid_until"
        }
        typealias Column = CodingKeys
        var id: Int64
        var organisationID: Int64
        var name: String
        var kind: String
        var languages: String
        var schools: String
        var email: String
        var phone: String
        var validFrom: String?
        var validUntil: String?

        var assistant: InterculturalAssistant {
            func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
            return InterculturalAssistant(
                id: id, organisationID: organisationID, name: name, kind: AssistantKind(rawValue: kind) ?? .intercultural,
                languages: lines(languages), schools: lines(schools), email: email, phone: phone,
                validFrom: validFrom.flatMap(CalendarDate.init(iso:)), validUntil: validUntil.flatMap(CalendarDate.init(iso:)))
        }
    }

    public func assistants(organisationID: OrganisationID?) async throws -> [InterculturalAssistant] {
        try await database.withConnection { db in
            var query = db.select().columns(AssistantRow.columns).from("intercultural_assistants")
            if let organisationID { query = query.where("organisation_id", .equal, organisationID) }
            return try await query.orderBy("name").orderBy("id").all(decoding: AssistantRow.self).map(\.assistant)
        }
    }

    public func assistant(id: Int64) async throws -> InterculturalAssistant? {
        try await database.withConnection { db in
            try await db.select().columns(AssistantRow.columns).from("intercultural_assistants").where("id", .equal, id)
                .first(decoding: AssistantRow.self)?.assistant
        }
    }

    public func saveAssistant(_ a: InterculturalAssistant) async throws -> InterculturalAssistant {
        let now = clock.now().stored
        let languages = a.languages.joined(separator: "\n"), schools = a.schools.joined(separator: "\n")
        return try await database.withConnection { db in
            var stored = a
            if a.id != 0 {
                try await db.update("intercultural_assistants").set("organisation_id", to: a.organisationID).set("name", to: a.name)
                    .set("kind", to: a.kind.rawValue).set("languages", to: languages).set("schools", to: schools)
                    .set("email", to: a.email).set("phone", to: a.phone)
                    .set("valid_from", to: SQLBind(a.validFrom?.description)).set("valid_until", to: SQLBind(a.validUntil?.description))
                    .set("updated_at", to: now).where("id", .equal, a.id).run()
            } else {
                stored.id = try await db.insert(into: "intercultural_assistants")
                    .columns("organisation_id", "name", "kind", "languages", "schools", "email", "phone", "valid_from", "valid_until",
                             "created_at", "updated_at")
                    .values(SQLBind(a.organisationID), SQLBind(a.name), SQLBind(a.kind.rawValue), SQLBind(languages), SQLBind(schools),
                            SQLBind(a.email), SQLBind(a.phone), SQLBind(a.validFrom?.description), SQLBind(a.validUntil?.description),
                            SQLBind(now), SQLBind(now))
                    .returning("id").first(decodingColumn: "id", as: Int64.self) ?? 0
            }
            // After the write: measures 3.4.a and 5.5.a count the registers, and indicator answers
            // and public pages are cached by the data version.
            try await DataVersion.bump(db)
            return stored
        }
    }

    public func deleteAssistant(id: Int64) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "intercultural_assistants").where("id", .equal, id).run()
            try await DataVersion.bump(db)
        }
    }
}
