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
        case .dialogueBodies, .interculturalAssistants:
            throw MeasureSourceError.notKept(register.rawValue)
        }
    }

    public func serviceRatings(year: Int) async throws -> (positive: Int, negative: Int) {
        throw MeasureSourceError.notKept("service ratings")
    }

    public func lastImport(of kind: DataImportKind, year: Int) async throws -> Date? {
        throw MeasureSourceError.notKept(kind.rawValue)
    }

    /// Rows active on at least one day of `year`: from ≤ 31 Dec (or none), until ≥ 1 Jan (or none).
    func countActive(table: String, from: String, until: String, year: Int) async throws -> Int {
        let first = String(format: "%04d-01-01", year)
        let last = String(format: "%04d-12-31", year)
        return try await database.withConnection { db in
            let row = try await db.select()
                .column(SQLRaw("COUNT(*)"), as: "n")
                .from(table)
                .where(SQLQueryString("(\(ident: from) IS NULL OR \(ident: from) <= \(bind: last))"))
                .where(SQLQueryString("(\(ident: until) IS NULL OR \(ident: until) >= \(bind: first))"))
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
