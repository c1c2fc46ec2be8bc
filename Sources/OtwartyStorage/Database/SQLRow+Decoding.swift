import Foundation
import SQLKit

extension SQLRow {
    func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: try decode(column: column, as: Double.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decode(column: column, as: Double?.self).map(Date.init(timeIntervalSince1970:))
    }
}

extension Date {
    /// The stored form of a timestamp (see SQLDialectSyntax.timestamp).
    var stored: Double { timeIntervalSince1970 }
}

/// How storage reads rows: one `Decodable` struct per table (or per query shape), whose coding
/// keys are the column names, decoded by SQLKit (`all(decoding:)`, `first(decoding:)`); the
/// struct's `columns` are the SELECT list, so each name is written once, and a computed property
/// turns the row into the domain's value (timestamps, enums from text, and the like).
protocol TableRow: Decodable {
    associatedtype Column: CodingKey, CaseIterable, RawRepresentable<String>
}

extension TableRow {
    /// The SELECT list: every column the row decodes.
    static var columns: [String] { Column.allCases.map(\.rawValue) }
}
