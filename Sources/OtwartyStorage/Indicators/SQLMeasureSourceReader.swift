import Foundation
import OtwartyCore
import SQLKit

/// The non-record sources of measures (registers, ratings, data imports) read in SQL on both
/// engines, agreeing with `InMemoryMeasureSources` (tested in OtwartyStorageTests).
public struct SQLMeasureSourceReader: MeasureSourceReader {
    let database: Database
    public init(database: Database) { self.database = database }

    public func activeEntries(in register: ProgrammeRegister, year: Int) async throws -> Int {
        switch register {
        case .cooperationCoordinators:
            // Dates are stored as ISO text (YYYY-MM-DD), so text comparison is date order.
            return try await countActive(table: "cooperation_coordinators", from: "valid_from", until: "valid_until", year: year)
        case .dialogueBodies:
            // Only bodies with minorities or people with migration experience among their members
            // (`DialogueBody.countsForMeasure`; member kinds are stored between commas).
            var filter = SQLQueryString("(1 = 0")
            for kind in DialogueMemberKind.counted.sorted(by: { $0.rawValue < $1.rawValue }) {
                filter.appendInterpolation(unsafeRaw: " OR member_kinds LIKE ")
                filter.appendInterpolation(bind: "%,\(kind.rawValue),%")
            }
            filter.appendInterpolation(unsafeRaw: ")")
            return try await countActive(table: "dialogue_bodies", from: "valid_from", until: "valid_until", year: year,
                                         filter: filter)
        case .interculturalAssistants:
            return try await countActive(table: "intercultural_assistants", from: "valid_from", until: "valid_until", year: year)
        }
    }

    /// The year's service-point ratings that count (`CountedRatings`): each point's month adds at most
    /// what its task-1.5 record's approved figure allows, earliest ratings first, so a burst waiting
    /// for the coordinator moves neither figure. Two reads (the months' records, the ratings in
    /// arrival order) and the rule in Core, the same on both engines.
    public func serviceRatings(year: Int) async throws -> (positive: Int, negative: Int) {
        try await database.withConnection { db in
            struct Key: Hashable { let point: Int64, month: Int }
            var records: [Key: (status: ActivityStatus, participants: Int?, approved: Int)] = [:]
            let recordRows = try await db.raw("""
                SELECT fa.point_id, fa.month, fa.approved_count, a.status, a.participants
                FROM feedback_activities fa JOIN activities a ON a.id = fa.activity_id
                WHERE fa.year = \(bind: year)
                """).all()
            for row in recordRows {
                // A status this version does not know counts as not approved (nothing beyond the approved count).
                let status = ActivityStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted
                records[Key(point: try row.decode(column: "point_id", as: Int64.self), month: try row.decode(column: "month", as: Int.self))] =
                    (status, try row.decode(column: "participants", as: Int?.self), try row.decode(column: "approved_count", as: Int.self))
            }
            var ratings: [Key: [Bool]] = [:]
            let ratingRows = try await db.raw("""
                SELECT point_id, month, positive FROM service_feedback WHERE year = \(bind: year) ORDER BY point_id, month, id
                """).all()
            for row in ratingRows {
                let key = Key(point: try row.decode(column: "point_id", as: Int64.self), month: try row.decode(column: "month", as: Int.self))
                ratings[key, default: []].append(try row.decode(column: "positive", as: Bool.self))
            }
            let months = ratings.map { key, list in
                let record = records[key]
                return CountedRatings.Month(pointID: key.point, month: key.month, ratings: list,
                                            record: record.map { ($0.status, $0.participants) }, approvedCount: record?.approved ?? 0)
            }
            return CountedRatings.count(months)
        }
    }

    public func lastImport(of kind: DataImportKind, year: Int) async throws -> Date? {
        try await SQLDataImportLog(database: database).lastImport(of: kind, year: year)
    }

    /// Rows active on at least one day of `year`: from ≤ 31 Dec (or none), until ≥ 1 Jan (or none).
    func countActive(table: String, from: String, until: String, year: Int, filter: SQLQueryString? = nil) async throws -> Int {
        let first = String(format: "%04d-01-01", year)
        let last = String(format: "%04d-12-31", year)
        return try await database.withConnection { db in
            let row = try await db.select()
                .column(SQLRaw("COUNT(*)"), as: "n")
                .from(table)
                .where(SQLQueryString("(\(ident: from) IS NULL OR \(ident: from) <= \(bind: last))"))
                .where(SQLQueryString("(\(ident: until) IS NULL OR \(ident: until) >= \(bind: first))"))
                .where(filter ?? SQLQueryString("1 = 1"))
                .first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

/// A measure names a source this installation does not keep yet.
public enum MeasureSourceError: Error, CustomStringConvertible {
    case notKept(String)
    public var description: String {
        switch self {
        case let .notKept(name): "the source \"\(name)\" is not kept by this version of Otwarty"
        }
    }
}
