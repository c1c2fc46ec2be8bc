import Foundation
import OtwartyCore
import SQLKit

/// Programmes are stored whole as canonical JSON: the programme is read and replaced as one
/// document, and its digest makes a reload of an unchanged file a no-op.
public struct SQLProgrammeRepository: ProgrammeRepository {
    let database: Database
    let clock: OfficeClock

    public init(database: Database, clock: OfficeClock = OfficeClock()) {
        self.database = database
        self.clock = clock
    }

    static func encode(_ programme: Programme) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(programme), as: UTF8.self)
    }

    public func save(_ programme: Programme) async throws -> ProgrammeSaveOutcome {
        let document = try Self.encode(programme)
        let digest = SHA256Hex.digest(document)
        let at = clock.now().stored
        return try await database.transaction { db in
            let existing = try await db.select().column("digest").from("programmes")
                .where("slug", .equal, programme.slug).first(decodingColumn: "digest", as: String.self)
            if let existing {
                if existing == digest { return .unchanged }
                try await db.update("programmes")
                    .set("title", to: programme.title).set("resolution", to: programme.resolution)
                    .set("period_from", to: programme.period.from).set("period_to", to: programme.period.to)
                    .set("document", to: document).set("digest", to: digest).set("updated_at", to: at)
                    .where("slug", .equal, programme.slug).run()
                // Public pages and the indicator API are cached by the data version and show the programme.
                try await DataVersion.bump(db)
                return .updated
            }
            try await db.insert(into: "programmes")
                .columns("slug", "title", "resolution", "period_from", "period_to", "document", "digest",
                         "created_at", "updated_at")
                .values(SQLBind(programme.slug), SQLBind(programme.title), SQLBind(programme.resolution),
                        SQLBind(programme.period.from), SQLBind(programme.period.to), SQLBind(document),
                        SQLBind(digest), SQLBind(at), SQLBind(at))
                .run()
            try await DataVersion.bump(db)
            return .created
        }
    }

    public func programme(slug: String) async throws -> Programme? {
        let document = try await database.withConnection { db in
            try await db.select().column("document").from("programmes").where("slug", .equal, slug)
                .first(decodingColumn: "document", as: String.self)
        }
        guard let document else { return nil }
        return try JSONDecoder().decode(Programme.self, from: Data(document.utf8))
    }

    /// The summary columns of a row of `programmes` (the document stays unread).
    struct SummaryRow: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case slug, title, resolution, periodFrom = "period_from", periodTo = "period_to", updatedAt = "updated_at"
        }
        typealias Column = CodingKeys
        var slug: String
        var title: String
        var resolution: String
        var periodFrom: Int
        var periodTo: Int
        var updatedAt: Double

        var summary: ProgrammeSummary {
            ProgrammeSummary(slug: slug, title: title, resolution: resolution, period: Period(from: periodFrom, to: periodTo),
                             updatedAt: Date(timeIntervalSince1970: updatedAt))
        }
    }

    public func summaries() async throws -> [ProgrammeSummary] {
        try await database.withConnection { db in
            try await db.select().columns(SummaryRow.columns).from("programmes").orderBy("id")
                .all(decoding: SummaryRow.self).map(\.summary)
        }
    }
}
