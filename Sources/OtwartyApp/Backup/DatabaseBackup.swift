import Crypto
import Foundation
import Logging
import OtwartyCore
import OtwartyStorage

/// What can go wrong in a backup or a restore, each said so an operator knows what to do.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    case outputExists(String)
    case noDatabase(String)
    case noFile(String)
    case unknownFormat(String)
    case kindMismatch(file: String, fileKind: Database.Kind, database: Database.Kind)
    case notEmpty(String, tables: [String])
    case notOtwarty(String)
    case newerSchema(file: String, version: Int, known: Int)
    case damaged(String, String)
    case toolMissing(String)
    case toolFailed(String, Int32, String)
    case unusableURL

    /// sysexits: 65 a file that is not a usable backup, 69 a missing tool, 73 a target that
    /// must not be written (an existing file, a database with data), 1 the rest.
    public var exitCode: Int32 {
        switch self {
        case .unknownFormat, .kindMismatch, .notOtwarty, .newerSchema, .damaged, .noFile: 65
        case .toolMissing, .noDatabase: 69
        case .outputExists, .notEmpty: 73
        case .toolFailed, .unusableURL: 1
        }
    }

    public var description: String {
        func name(_ kind: Database.Kind) -> String { kind == .sqlite ? "SQLite" : "PostgreSQL" }
        switch self {
        case let .outputExists(path):
            return "\(path) already exists; a backup never overwrites a file: choose another name or move the old one"
        case let .noDatabase(path):
            return "there is no database at \(path) (check DATABASE_URL)"
        case let .noFile(path):
            return "cannot read \(path)"
        case let .unknownFormat(path):
            return "\(path) is neither a SQLite database nor a PostgreSQL custom-format dump; restore takes a file made by `otwarty backup`"
        case let .kindMismatch(file, fileKind, database):
            return "\(file) is a \(name(fileKind)) backup but DATABASE_URL names a \(name(database)) database; "
                + "restore it into a \(name(fileKind)) database (moving between the two is not a restore)"
        case let .notEmpty(target, tables):
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            return "\(target) is not empty (\(tables.count) table(s): \(shown)); restore writes only into an empty "
                + "database, so nothing is overwritten: create a new one (or remove this one yourself, after a backup of it)"
        case let .notOtwarty(file):
            return "\(file) is a database but not Otwarty's (it has no schema_migrations table)"
        case let .newerSchema(file, version, known):
            return "\(file) is at schema version \(version), newer than this program knows (\(known)): restore it with the Otwarty that made it or a newer one"
        case let .damaged(file, check):
            return "\(file) is damaged (SQLite's quick_check: \(check))"
        case let .toolMissing(tool):
            return "\(tool) was not found on PATH or under /usr/lib/postgresql/*/bin: install Debian's postgresql-client "
                + "(apt-get install postgresql-client), of the server's major version or newer"
        case let .toolFailed(tool, status, errors):
            return "\(tool) failed (exit status \(status))" + (errors.isEmpty ? "" : ": \(errors)")
        case .unusableURL:
            return "DATABASE_URL is not a postgres://user:password@host:port/database URL"
        }
    }
}

/// `otwarty backup`, `otwarty restore` and the scheduled backups: one implementation.
///
/// - SQLite: `VACUUM INTO` a new file, a consistent copy while the server keeps running.
///   Restore copies the file into place after SQLite's quick_check.
/// - PostgreSQL: `pg_dump --format=custom` (compressed, one consistent snapshot);
///   restore is `pg_restore --no-owner --no-privileges --exit-on-error --single-transaction`, so a
///   failed restore leaves the database as empty as it was.
///
/// Only the database: the incident key and OTP key files live beside it (docs/operations.md says
/// how to keep them), and no table holds them.
public enum DatabaseBackup {
    public struct Made: Sendable {
        public var path: String
        public var kind: Database.Kind
        public var bytes: Int64
        public var sha256: String
        public var seconds: Double
    }

    public struct Restored: Sendable {
        public var kind: Database.Kind
        public var tables: Int
        public var schemaVersion: Int
        public var seconds: Double
    }

    /// What a file holds, read from its first bytes: SQLite's header or pg_dump's custom format.
    public static func kind(of path: String) throws -> Database.Kind {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError.noFile(path) }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head == Data("SQLite format 3\0".utf8) { return .sqlite }
        if head.starts(with: Data("PGDMP".utf8)) { return .postgres }
        throw BackupError.unknownFormat(path)
    }

    /// Writes a backup of the open `database` to `path`, which must not exist: first under a
    /// temporary name in the same folder, flushed to disk, then renamed, so `path` is either
    /// absent or a whole backup (a crash or full disk midway leaves only the temporary file).
    public static func write(_ database: Database, to path: String) async throws -> Made {
        let started = ContinuousClock.now
        let target = URL(fileURLWithPath: path)
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) { throw BackupError.outputExists(path) }
        try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            switch database.location {
            case .sqlite:
                try await SQLBackup.vacuumInto(database, path: partial.path)
            case let .postgres(url, schema):
                let (environment, _) = try PostgresTools.environment(url: url)
                var arguments = ["--format=custom", "--no-password", "--file=\(partial.path)"]
                if let schema { arguments.append("--schema=\(schema)") }
                try await PostgresTools.run(try PostgresTools.find("pg_dump"), arguments, environment: environment)
            }
            // A backup holds what the database holds (the contact base, password hashes): for
            // its owner alone, whatever the tool or the umask made it.
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: partial.path)
            let handle = try FileHandle(forUpdating: partial)
            try handle.synchronize()
            try handle.close()
            if manager.fileExists(atPath: target.path) { throw BackupError.outputExists(path) }
            try manager.moveItem(at: partial, to: target)
        } catch {
            try? manager.removeItem(at: partial)
            throw error
        }
        let (bytes, digest) = try sizeAndDigest(of: target)
        return Made(path: target.path, kind: database.kind, bytes: bytes, sha256: digest, seconds: seconds(since: started))
    }

    /// Restores the backup at `file` into the database at `location`, which must be empty (no
    /// table; for SQLite also: no file). Throws before writing anything when it is not, when the
    /// file is of the other engine, or (SQLite) damaged or newer than this program.
    public static func restore(file: String, into location: DatabaseLocation, logger: Logger) async throws -> Restored {
        let started = ContinuousClock.now
        let fileKind = try kind(of: file)
        switch location {
        case let .sqlite(path):
            guard fileKind == .sqlite else { throw BackupError.kindMismatch(file: file, fileKind: fileKind, database: .sqlite) }
            let manager = FileManager.default
            let target = URL(fileURLWithPath: path)
            let existed = manager.fileExists(atPath: target.path)
            if existed {
                let tables = try await withDatabase(location, logger: logger) { try await SQLBackup.tableNames($0) }
                if !tables.isEmpty { throw BackupError.notEmpty(path, tables: tables) }
            }
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let partial = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).restoring-\(UUID().uuidString.prefix(8))")
            if let problem = truncation(ofSQLite: file) { throw BackupError.damaged(file, problem) }
            do {
                try manager.copyItem(at: URL(fileURLWithPath: file), to: partial)
                let (tables, version) = try await withDatabase(.sqlite(path: partial.path), logger: logger) { database in
                    let check = try await SQLBackup.quickCheck(database)
                    guard check == "ok" else { throw BackupError.damaged(file, check) }
                    let tables = try await SQLBackup.tableNames(database)
                    guard tables.contains("schema_migrations") else { throw BackupError.notOtwarty(file) }
                    return (tables.count, try await Migrations.currentVersion(of: database))
                }
                if version > Migrations.latestVersion {
                    throw BackupError.newerSchema(file: file, version: version, known: Migrations.latestVersion)
                }
                for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: partial.path + suffix) }
                if existed {
                    // An empty database file (checked above, its WAL included): replaced whole.
                    for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: target.path + suffix) }
                }
                if manager.fileExists(atPath: target.path) { throw BackupError.notEmpty(path, tables: ["(a file appeared meanwhile)"]) }
                try manager.moveItem(at: partial, to: target)
                return Restored(kind: .sqlite, tables: tables, schemaVersion: version, seconds: seconds(since: started))
            } catch {
                for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: partial.path + suffix) }
                throw error
            }
        case let .postgres(url, _):
            guard fileKind == .postgres else { throw BackupError.kindMismatch(file: file, fileKind: fileKind, database: .postgres) }
            let existing = try await withDatabase(location, logger: logger) { try await SQLBackup.tableNames($0) }
            if !existing.isEmpty { throw BackupError.notEmpty(location.description, tables: existing) }
            let (environment, name) = try PostgresTools.environment(url: url)
            // One transaction: a failure anywhere leaves the database empty, as it was.
            try await PostgresTools.run(try PostgresTools.find("pg_restore"),
                                        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password",
                                         "--dbname=\(name)", file],
                                        environment: environment)
            let (tables, version) = try await withDatabase(location, logger: logger) { database in
                (try await SQLBackup.tableNames(database).count, try await Migrations.currentVersion(of: database))
            }
            if version > Migrations.latestVersion {
                logger.warning("the restored database is at schema version \(version), newer than this program knows (\(Migrations.latestVersion)): serve it with the Otwarty that made the backup or a newer one")
            }
            return Restored(kind: .postgres, tables: tables, schemaVersion: version, seconds: seconds(since: started))
        }
    }

    /// Opens `location` without migrating it (a backup or a restore must not change what it
    /// reads), runs `body`, and always closes it.
    static func withDatabase<R: Sendable>(_ location: DatabaseLocation, logger: Logger,
                                          _ body: (Database) async throws -> R) async throws -> R {
        let database = try await Database.open(location, logger: logger)
        do {
            let result = try await body(database)
            try await database.shutdown()
            return result
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    /// A SQLite file cut short (a copy interrupted, a full disk) is said so before SQLite opens
    /// it: the header's page size times its page count is the file's length when that count is
    /// valid (offset 92 equals the change counter at 24, as in every file written by SQLite 3.7+).
    static func truncation(ofSQLite path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 100), header.count == 100,
              let length = try? handle.seekToEnd() else { return "shorter than its header" }
        func be(_ offset: Int, _ count: Int) -> UInt64 {
            header[offset..<offset + count].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        let pageSize = be(16, 2) == 1 ? 65_536 : be(16, 2)
        guard be(92, 4) == be(24, 4), be(28, 4) > 0 else { return nil }
        let expected = pageSize * be(28, 4)
        return length < expected ? "cut short: \(length) of \(expected) bytes" : nil
    }

    static func sizeAndDigest(of url: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
