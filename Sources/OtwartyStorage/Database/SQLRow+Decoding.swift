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
