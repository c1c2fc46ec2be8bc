import Foundation
import OtwartyCore
import SQLKit

/// The report narrative, one row per section (`introduction`, `goal-N`).
public struct SQLReportNarrativeRepository: ReportNarrativeRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `report_narratives`: one section.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case section, body, updatedAt = "updated_at", updatedBy = "updated_by"
        }
        typealias Column = CodingKeys
        var section: String
        var body: String
        var updatedAt: Double
        var updatedBy: Int64?
    }

    public func narrative(programme: String, year: Int) async throws -> ReportNarrative {
        let rows = try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("report_narratives")
                .where("programme_slug", .equal, programme).where("year", .equal, year).all(decoding: Row.self)
        }
        guard !rows.isEmpty else { return .empty }
        var sections: [String: String] = [:]
        var latest: (Date, UserID?)?
        for row in rows {
            sections[row.section] = row.body
            let at = Date(timeIntervalSince1970: row.updatedAt)
            if latest == nil || at > latest!.0 { latest = (at, row.updatedBy) }
        }
        return ReportNarrative(sections: sections, updatedAt: latest?.0, updatedBy: latest?.1)
    }

    public func save(_ narrative: ReportNarrative, programme: String, year: Int) async throws {
        let at = (narrative.updatedAt ?? Date()).stored
        try await database.transaction { db in
            try await db.delete(from: "report_narratives")
                .where("programme_slug", .equal, programme).where("year", .equal, year).run()
            let sections = narrative.sections.sorted { $0.key < $1.key }
            // An empty narrative is kept as an empty introduction, so "saved" stays visible.
            let rows = sections.isEmpty ? [("introduction", "")] : sections.map { ($0.key, $0.value) }
            var insert = db.insert(into: "report_narratives")
                .columns("programme_slug", "year", "section", "body", "updated_at", "updated_by")
            for (section, body) in rows {
                insert = insert.values(SQLBind(programme), SQLBind(year), SQLBind(section), SQLBind(body), SQLBind(at),
                                       SQLBind(narrative.updatedBy))
            }
            try await insert.run()
        }
    }
}
