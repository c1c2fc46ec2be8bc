import PostgresKit
import SQLiteNIO

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
}
