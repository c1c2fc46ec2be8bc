import Foundation
import OtwartyCore
import SQLKit

/// Police statistics; district 0 stands for the whole city / unknown (a primary key has no NULLs).
public struct SQLPoliceStatisticsRepository: PoliceStatisticsRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    public func replace(years: Set<Int>, with rows: [PoliceStatistic]) async throws {
        try await database.transaction { db in
            if !years.isEmpty { try await db.delete(from: "police_statistics").where("year", .in, years.sorted()).run() }
            for start in stride(from: 0, to: rows.count, by: 500) {
                var insert = db.insert(into: "police_statistics").columns("year", "district", "offence_category", "count")
                for r in rows[start..<min(start + 500, rows.count)] {
                    insert = insert.values(SQLBind(r.year), SQLBind(r.district?.number ?? 0), SQLBind(r.offenceCategory), SQLBind(r.count))
                }
                try await insert.run()
            }
        }
    }

    /// A row of `police_statistics`.
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case year, district, offenceCategory = "offence_category", count
        }
        typealias Column = CodingKeys
        var year: Int
        var district: Int
        var offenceCategory: String
        var count: Int

        var statistic: PoliceStatistic {
            PoliceStatistic(year: year, district: District(number: district), offenceCategory: offenceCategory, count: count)
        }
    }

    public func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("police_statistics")
                .where("year", .greaterThanOrEqual, years.lowerBound).where("year", .lessThanOrEqual, years.upperBound)
                .orderBy("year").orderBy("district").orderBy("offence_category").all(decoding: Row.self).map(\.statistic)
        }
    }

    public func years() async throws -> [Int] {
        try await database.withConnection { db in
            try await db.select().distinct().column("year").from("police_statistics").orderBy("year")
                .all(decodingColumn: "year", as: Int.self)
        }
    }
}
