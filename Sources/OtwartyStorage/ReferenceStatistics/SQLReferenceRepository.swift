import Foundation
import OtwartyCore
import SQLKit

/// Reference statistics; each `set` is a new revision and the newest revision is current.
public struct SQLReferenceRepository: ReferenceRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A row of `reference_values` (without `recorded_by`, which no reader needs).
    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case key, year, value, source, asOf = "as_of", recordedAt = "recorded_at"
            case lowValue = "low_value", lowSource = "low_source", highValue = "high_value", highSource = "high_source"
        }
        typealias Column = CodingKeys
        var key: String
        var year: Int
        var value: Double
        var source: String
        var asOf: String?
        var recordedAt: Double
        var lowValue: Double?
        var lowSource: String?
        var highValue: Double?
        var highSource: String?

        var referenceValue: ReferenceValue {
            ReferenceValue(key: key, year: year, value: value, source: source, asOf: asOf.flatMap(CalendarDate.init(iso:)),
                           recordedAt: Date(timeIntervalSince1970: recordedAt),
                           low: Self.estimate(lowValue, lowSource), high: Self.estimate(highValue, highSource))
        }

        /// An end of the range is stored as two columns, both set or both NULL.
        static func estimate(_ value: Double?, _ source: String?) -> ReferenceEstimate? {
            guard let value, let source else { return nil }
            return ReferenceEstimate(value: value, source: source)
        }
    }

    public func set(_ value: ReferenceValue, by user: UserID?) async throws {
        try await database.transaction { db in
            try await DataVersion.bump(db)
            try await db.insert(into: "reference_values")
                .columns("key", "year", "value", "source", "as_of", "recorded_at", "recorded_by",
                         "low_value", "low_source", "high_value", "high_source")
                .values(SQLBind(value.key), SQLBind(value.year), SQLBind(value.value), SQLBind(value.source),
                        SQLBind(value.asOf?.description as String?), SQLBind(value.recordedAt.stored), SQLBind(user as Int64?),
                        SQLBind(value.low?.value), SQLBind(value.low?.source),
                        SQLBind(value.high?.value), SQLBind(value.high?.source))
                .run()
        }
    }

    public func current(key: String, year: Int) async throws -> ReferenceValue? {
        try await revisions(key: key, year: year).first
    }

    public func revisions(key: String, year: Int) async throws -> [ReferenceValue] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("reference_values")
                .where("key", .equal, key).where("year", .equal, year)
                .orderBy("recorded_at", .descending).orderBy("id", .descending).all(decoding: Row.self).map(\.referenceValue)
        }
    }

    public func allCurrent() async throws -> [ReferenceValue] {
        let all = try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("reference_values")
                .orderBy("key").orderBy("year").orderBy("recorded_at", .descending).orderBy("id", .descending)
                .all(decoding: Row.self).map(\.referenceValue)
        }
        // The first row of each (key, year) is its newest revision.
        var seen: Set<String> = []
        return all.filter { seen.insert("\($0.key)\u{1}\($0.year)").inserted }
    }
}
