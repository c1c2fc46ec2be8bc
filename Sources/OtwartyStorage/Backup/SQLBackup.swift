import Foundation
import SQLKit

/// The SQL side of `otwarty backup` and `otwarty restore` (the files and processes are in
/// OtwartyApp/Backup): SQLite's consistent copy, and what a restore checks before and after.
public enum SQLBackup {
    /// SQLite: writes a consistent copy of the whole database to `path` (which must not exist)
    /// while others keep reading and writing: `VACUUM INTO` reads one snapshot, like any reader
    /// in WAL mode, and the copy is compacted. Not inside a transaction (VACUUM cannot be).
    public static func vacuumInto(_ database: Database, path: String) async throws {
        precondition(database.kind == .sqlite, "VACUUM INTO is SQLite's")
        // A file name is a string literal here (VACUUM INTO takes no bound parameter in every
        // SQLite version): quotes are doubled, the standard SQL escape.
        let literal = "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
        try await database.withConnection { db in try await db.raw(SQLQueryString("VACUUM INTO " + literal)).run() }
    }

    /// The tables a restore would collide with. SQLite: every table of the file. PostgreSQL: the
    /// tables of the configured schema (tests confine each database to one) or, without one, of
    /// every schema but the system's, so a restore never lands beside another application's data.
    public static func tableNames(_ database: Database) async throws -> [String] {
        let confined: Bool
        if case let .postgres(_, schema) = database.location { confined = schema != nil } else { confined = false }
        let query: String
        switch database.kind {
        case .sqlite:
            query = "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        case .postgres where confined:
            query = "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
        case .postgres:
            query = "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%' AND table_schema NOT LIKE 'pg_temp%' ORDER BY 1"
        }
        return try await database.withConnection { db in
            try await db.raw(SQLQueryString(query)).all().map { try $0.decode(column: "t", as: String.self) }
        }
    }

    /// SQLite's own check of a file's structure (`PRAGMA quick_check`): "ok", or what is wrong.
    public static func quickCheck(_ database: Database) async throws -> String {
        precondition(database.kind == .sqlite, "quick_check is SQLite's")
        return try await database.withConnection { db in
            let rows = try await db.raw("PRAGMA quick_check").all()
            return try rows.map { try $0.decode(column: "quick_check", as: String.self) }.joined(separator: "; ")
        }
    }
}
