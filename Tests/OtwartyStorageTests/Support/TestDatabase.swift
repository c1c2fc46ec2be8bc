import Foundation
import Logging
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// The engines a storage test runs on: SQLite always, PostgreSQL when `TEST_POSTGRES_URL` is set
/// (see `.ci/postgres.sh`). Use as `@Test(arguments: DatabaseEngine.allCases)`.
enum DatabaseEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// Only the engines available here; not simply every case.
    static var allCases: [DatabaseEngine] { TestDatabase.postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh, private database per test, so tests can run in parallel:
/// - SQLite: a file in its own temporary folder, removed afterwards (not sqlite-kit's `.memory`,
///   which leaves files behind in the system's temporary folder);
/// - PostgreSQL: a new schema `t_<random hex>` in the `TEST_POSTGRES_URL` database, dropped with
///   CASCADE afterwards.
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static let logger: Logger = {
        var logger = Logger(label: "otwarty.storage-tests")
        logger.logLevel = .warning
        return logger
    }()

    struct MissingPostgresURL: Error, CustomStringConvertible {
        var description: String { "TEST_POSTGRES_URL is not set" }
    }

    /// Runs `body` with a new database of `engine`, migrated to the latest version unless
    /// `migrated` is false; the database is shut down and removed whatever `body` does.
    ///
    /// Swift 6.3 quirk: a closure whose every `try` sits inside `#expect`/`#require` is inferred
    /// non-throwing, and the expanded macros then fail with "errors thrown from here are not
    /// handled". Write such a closure as `{ (database: Database) async throws in … }`.
    static func with(_ engine: DatabaseEngine, migrated: Bool = true,
                     _ body: (Database) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("otwarty-test-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("test.sqlite").path
            try await run(.sqlite(path: path), migrated: migrated, body)
        case .postgres:
            guard let url = postgresURL else { throw MissingPostgresURL() }
            let schema = "t_" + randomHex(bytes: 8)
            try await withPlainConnection(url) { db in try await db.raw("CREATE SCHEMA \(ident: schema)").run() }
            do {
                try await run(.postgres(url: url, schema: schema), migrated: migrated, body)
            } catch {
                try? await withPlainConnection(url) { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                throw error
            }
            try await withPlainConnection(url) { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        }
    }

    /// Each engine in turn (for code that wants a loop rather than a test argument).
    static func withEach(migrated: Bool = true, _ body: (Database) async throws -> Void) async throws {
        for engine in DatabaseEngine.allCases { try await with(engine, migrated: migrated, body) }
    }

    private static func run(_ location: DatabaseLocation, migrated: Bool,
                            _ body: (Database) async throws -> Void) async throws {
        let database = try await Database.open(location, logger: logger)
        do {
            if migrated { try await Migrations.run(on: database) }
            try await body(database)
        } catch {
            try? await database.shutdown()
            throw error
        }
        try await database.shutdown()
    }

    /// A connection to the test database without a search path, for creating and dropping schemas.
    private static func withPlainConnection(_ url: String,
                                            _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let database = try await Database.open(.postgres(url: url), logger: logger)
        do {
            try await database.withConnection(body)
        } catch {
            try? await database.shutdown()
            throw error
        }
        try await database.shutdown()
    }

    static func randomHex(bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
