import PostgresKit
import SQLiteNIO
import OtwartyCore

/// Recognises a unique-constraint violation from either engine. A check-then-insert can still
/// lose a race to another request (PostgreSQL's READ COMMITTED lets both see "no row"), so the
/// database's own constraint is the final word and is reported as a domain conflict.
enum ConstraintViolation {
    static func isUnique(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
        }
        return false
    }

    /// A foreign key names no row, e.g. an activity's organisation id that no organisation has.
    static func isForeignKey(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23503"
        }
        if let error = error as? SQLiteError {
            return error.reason == .constraintForeignKeyFailed
        }
        return false
    }

    /// An activity whose organisation id names no organisation: the input's fault (422), not a 500.
    static let unknownOrganisation = DomainError.invalid([FieldError(
        field: "organisation", messageKey: "error.organisation.required", message: "no organisation has this id")])
}
