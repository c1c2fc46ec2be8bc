import Foundation

/// Where the data lives: a SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// `postgres://user:password@host:port/database`; `schema` confines tables to one schema (tests).
    case postgres(url: String, schema: String? = nil)

    /// `DATABASE_URL` when it is a postgres URL, else a SQLite file (default `./data/otwarty.sqlite`).
    public static func from(environment: [String: String]) throws -> DatabaseLocation {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            return .sqlite(path: "./data/otwarty.sqlite")
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
        if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
        throw DatabaseError.unsupportedURL
    }

    public var description: String {
        switch self {
        case let .sqlite(path): return "SQLite file \(path)"
        case let .postgres(url, schema):
            // Never print the password.
            var parts = URLComponents(string: url)
            if parts?.password != nil { parts?.password = "***" }
            return "PostgreSQL \(parts?.string ?? "(unparsable URL)")" + (schema.map { " schema \($0)" } ?? "")
        }
    }
}

public enum DatabaseError: Error, CustomStringConvertible, Equatable {
    case unsupportedURL
    case migrationFailed(version: Int, name: String, reason: String)
    case newerSchema(database: Int, known: Int)
    /// A stored value this program cannot read back (written by hand or by a broken tool).
    case corrupt(String)
    /// An operation waited for other connections and gave up; it is retried later.
    case busy(String)

    public var description: String {
        switch self {
        case .unsupportedURL:
            return "DATABASE_URL must start with postgres:// (or sqlite:// followed by a file path)"
        case let .migrationFailed(version, name, reason):
            return "migration \(version) (\(name)) failed: \(reason)"
        case let .corrupt(what):
            return "the database holds an unreadable value: \(what)"
        case let .busy(what):
            return "the database was busy: \(what)"
        case let .newerSchema(database, known):
            return "the database is at schema version \(database), newer than this program knows (\(known)); upgrade Otwarty"
        }
    }
}
