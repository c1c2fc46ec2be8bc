import Foundation
import OtwartyCore
import SQLKit

/// The log of data imports (migration 21). An import's years are stored between commas
/// (",2024,2025,") so one LIKE finds the imports covering a year on both engines.
public struct SQLDataImportLog: DataImportLogRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    static func storedYears(_ years: [Int]) -> String { "," + years.sorted().map(String.init).joined(separator: ",") + "," }

    public func record(_ entry: DataImportEntry) async throws {
        try await database.withConnection { db in
            try await Self.insert(entry, on: db)
            // Measure 6.2.c shows when the year's data was imported; indicator answers are cached by the data version.
            try await DataVersion.bump(db)
        }
    }

    static func insert(_ entry: DataImportEntry, on db: any SQLDatabase) async throws {
        try await db.insert(into: "data_imports").columns("kind", "years", "imported_at", "row_count", "imported_by")
            .values(SQLBind(entry.kind.rawValue), SQLBind(storedYears(entry.years)), SQLBind(entry.importedAt.stored),
                    SQLBind(entry.rows), SQLBind(entry.importedBy))
            .run()
    }

    /// A row of `data_imports`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, years, importedAt = "imported_at", rowCount = "row_count", importedBy = "imported_by"
        }
        typealias Column = CodingKeys
        var kind: String
        var years: String
        var importedAt: Double
        var rowCount: Int
        var importedBy: Int64?
    }

    public func entries(of kind: DataImportKind) async throws -> [DataImportEntry] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("data_imports").where("kind", .equal, kind.rawValue)
                .orderBy("imported_at", .descending).orderBy("id", .descending).all(decoding: Row.self)
                .map { row in
                    DataImportEntry(kind: kind, years: row.years.split(separator: ",").compactMap { Int($0) },
                                    importedAt: Date(timeIntervalSince1970: row.importedAt), rows: row.rowCount, importedBy: row.importedBy)
                }
        }
    }

    public func lastImport(of kind: DataImportKind, year: Int) async throws -> Date? {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("imported_at")), as: "last")
                .from("data_imports").where("kind", .equal, kind.rawValue)
                .where("years", .like, SQLBind("%,\(year),%"))
                .first()?.decode(column: "last", as: Double?.self).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Migration 21: imports made before the log existed, read from their audit entries
    /// ("3 rows for 2024, 2025", written by `PoliceStatisticsService`). An entry that does not read
    /// so is left out rather than guessed.
    static func readEarlierPoliceImports(on db: any SQLDatabase) async throws {
        struct Audited: Decodable {
            var at: Double
            var actor_user_id: Int64?
            var detail: String
        }
        let audited = try await db.select().columns("at", "actor_user_id", "detail").from("audit_log")
            .where("action", .equal, "police-statistics.imported").orderBy("at").all(decoding: Audited.self)
        for entry in audited {
            let parts = entry.detail.components(separatedBy: " rows for ")
            guard parts.count == 2, let rows = Int(parts[0]) else { continue }
            let years = parts[1].components(separatedBy: ", ").compactMap { Int($0) }
            guard !years.isEmpty else { continue }
            try await insert(DataImportEntry(kind: .policeStatistics, years: years, importedAt: Date(timeIntervalSince1970: entry.at),
                                             rows: rows, importedBy: entry.actor_user_id), on: db)
        }
    }
}
