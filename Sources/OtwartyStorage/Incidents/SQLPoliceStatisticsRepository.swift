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

    public func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic] {
        try await database.withConnection { db in
            try await db.select().column("*").from("police_statistics")
                .where("year", .greaterThanOrEqual, years.lowerBound).where("year", .lessThanOrEqual, years.upperBound)
                .orderBy("year").orderBy("district").orderBy("offence_category").all().map { row in
                    PoliceStatistic(year: try row.decode(column: "year", as: Int.self),
                                    district: District(number: try row.decode(column: "district", as: Int.self)),
                                    offenceCategory: try row.decode(column: "offence_category", as: String.self),
                                    count: try row.decode(column: "count", as: Int.self))
                }
        }
    }

    public func years() async throws -> [Int] {
        try await database.withConnection { db in
            try await db.select().distinct().column("year").from("police_statistics").orderBy("year").all()
                .map { try $0.decode(column: "year", as: Int.self) }
        }
    }
}
