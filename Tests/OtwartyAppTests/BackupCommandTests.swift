import Foundation
import Logging
@testable import OtwartyApp
import OtwartyCore
import OtwartyStorage
import SQLKit
import Testing

/// `otwarty backup` and `otwarty restore` on SQLite and PostgreSQL, and the scheduled backups
/// (docs/operations.md, "Backups"): a restored database holds every row the original held at the
/// moment of the backup; a restore never writes into a database that has tables; the password
/// never reaches a command line; the key files are not in a backup.
@Suite struct BackupCommandTests {
    static let logger: Logger = {
        var logger = Logger(label: "backup-tests")
        logger.logLevel = .warning
        return logger
    }()

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Some of everything: the demo's history (records, organisations, the public side) on top
    /// of the programme.
    static func fill(_ app: TestApp) async throws {
        _ = try await DemoLoading.run(.init(records: 300), services: app.services)
    }

    /// Rows in `left` that `right` lacks, per table, and each side's count (EXCEPT ALL: duplicates
    /// count too). Both tables are reached by qualified names on one connection.
    static func differences(_ db: any SQLDatabase, tables: [String], left: String, right: String, all: String = " ALL") async throws
        -> [String: (missing: Int, extra: Int, count: Int)] {
        var result: [String: (Int, Int, Int)] = [:]
        for table in tables {
            func count(_ sql: String) async throws -> Int {
                try await db.raw(SQLQueryString(sql)).first()!.decode(column: "n", as: Int.self)
            }
            let l = "\(left).\"\(table)\"", r = "\(right).\"\(table)\""
            result[table] = (try await count("SELECT COUNT(*) AS n FROM (SELECT * FROM \(l) EXCEPT\(all) SELECT * FROM \(r)) x"),
                             try await count("SELECT COUNT(*) AS n FROM (SELECT * FROM \(r) EXCEPT\(all) SELECT * FROM \(l)) x"),
                             try await count("SELECT COUNT(*) AS n FROM \(l)"))
        }
        return result
    }

    /// The restored copy equals the original row for row, but for the audit entry of the backup
    /// itself, which the original got after the copy was taken: one more row in audit_log, the
    /// chain's head row moved on (audit_chain) and, on SQLite, audit_log's counter (sqlite_sequence).
    static func expectSameRows(_ diff: [String: (missing: Int, extra: Int, count: Int)]) {
        #expect(diff.count > 40, "tables compared: \(diff.count)")
        for (table, d) in diff {
            switch table {
            case "audit_log": #expect(d.missing == 1 && d.extra == 0, "audit_log: \(d)")
            case "audit_chain", "sqlite_sequence": #expect(d.missing <= 1 && d.extra == d.missing, "\(table): \(d)")
            default: #expect(d.missing == 0 && d.extra == 0, "\(table): \(d)")
            }
        }
        #expect((diff["activities"]?.count ?? 0) >= 300)
    }

    @Test func sqliteBackupRestoresEveryRow() async throws {
        try await TestApp.withApp { app, _ in
            try await Self.fill(app)
            let out = app.folder.appendingPathComponent("copy.backup").path
            let taken = try await BackupTaking.run(app.configuration.database, out: out, clock: app.services.clock, logger: Self.logger)
            #expect(try DatabaseBackup.kind(of: out) == .sqlite)
            #expect(taken.note == nil && taken.made.bytes > 100_000)
            #expect(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int == 0o600)
            #expect(try DatabaseBackup.sizeAndDigest(of: URL(fileURLWithPath: out)).1 == taken.made.sha256)
            // The audit trail names the file with its size and SHA-256.
            let entry = try #require(try await app.services.repositories.audit.entries(subject: "backup:copy.backup", limit: 5).first)
            #expect(entry.action == "backup.made" && entry.detail == "command; \(taken.made.bytes) bytes; sha256 \(taken.made.sha256)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: app.folder.path).allSatisfy { !$0.contains(".partial-") })

            let restoredPath = app.folder.appendingPathComponent("restored/otwarty.sqlite").path
            let restored = try await DatabaseBackup.restore(file: out, into: .sqlite(path: restoredPath), logger: Self.logger)
            #expect(restored.schemaVersion == Migrations.latestVersion)

            let tables = try await SQLBackup.tableNames(try app.services.database) + ["sqlite_sequence"]
            let diff = try await app.services.database.withConnection { db in
                try await db.raw(SQLQueryString("ATTACH DATABASE '\(restoredPath)' AS restored")).run()
                let diff = try await Self.differences(db, tables: tables, left: "main", right: "restored", all: "")
                try await db.raw("DETACH DATABASE restored").run()
                return diff
            }
            Self.expectSameRows(diff)
            // The numbering goes on where it stopped (a new row takes a new id) and the server migrates and opens it.
            try await DatabaseBackup.withDatabase(.sqlite(path: restoredPath), logger: Self.logger) { database in
                let before = try await Repositories.sql(database).organisations.all().map(\.id).max() ?? 0
                let added = try await Repositories.sql(database).organisations.create(name: "Nowa po odtworzeniu", kind: .ngo)
                #expect(added.id > before)
            }
        }
    }

    @Test func restoreRefusesADatabaseWithTablesAFileOfTheOtherEngineAndAnythingElse() async throws {
        try await TestApp.withApp { app, _ in
            let out = app.folder.appendingPathComponent("b.sqlite").path
            _ = try await BackupTaking.run(app.configuration.database, out: out, clock: app.services.clock, logger: Self.logger)
            // Into the live database: refused before anything is written, exit status 73.
            let live = app.configuration.database
            let refusal = await #expect(throws: BackupError.self) {
                try await DatabaseBackup.restore(file: out, into: live, logger: Self.logger)
            }
            #expect(refusal?.exitCode == 73)
            #expect(refusal?.description.contains("is not empty") == true && refusal?.description.contains("table(s): ") == true)
            // A backup never overwrites a file.
            await #expect(throws: BackupError.outputExists(out)) {
                try await BackupTaking.run(live, out: out, clock: app.services.clock, logger: Self.logger)
            }
            // A SQLite backup is not restored into PostgreSQL (refused before connecting), nor a dump into SQLite.
            let fresh = app.folder.appendingPathComponent("fresh.sqlite").path
            await #expect(throws: BackupError.kindMismatch(file: out, fileKind: .sqlite, database: .postgres)) {
                try await DatabaseBackup.restore(file: out, into: .postgres(url: "postgres://nobody@127.0.0.1:1/none"), logger: Self.logger)
            }
            let dump = app.folder.appendingPathComponent("x.pgdump").path
            _ = FileManager.default.createFile(atPath: dump, contents: Data("PGDMP\u{1}\u{e}\u{0}".utf8))
            await #expect(throws: BackupError.kindMismatch(file: dump, fileKind: .postgres, database: .sqlite)) {
                try await DatabaseBackup.restore(file: dump, into: .sqlite(path: fresh), logger: Self.logger)
            }
            let text = app.folder.appendingPathComponent("notes.txt").path
            _ = FileManager.default.createFile(atPath: text, contents: Data("hello".utf8))
            await #expect(throws: BackupError.unknownFormat(text)) {
                try await DatabaseBackup.restore(file: text, into: .sqlite(path: fresh), logger: Self.logger)
            }
            // A SQLite file that is not Otwarty's, and one cut short.
            let foreign = app.folder.appendingPathComponent("foreign.sqlite").path
            try await DatabaseBackup.withDatabase(.sqlite(path: foreign), logger: Self.logger) { database in
                try await database.withConnection { db in try await db.raw("CREATE TABLE t (x INTEGER)").run() }
            }
            await #expect(throws: BackupError.notOtwarty(foreign)) {
                try await DatabaseBackup.restore(file: foreign, into: .sqlite(path: fresh), logger: Self.logger)
            }
            let cut = app.folder.appendingPathComponent("cut.sqlite").path
            let whole = try Data(contentsOf: URL(fileURLWithPath: out))
            _ = FileManager.default.createFile(atPath: cut, contents: whole.prefix(whole.count / 2))
            let damaged = await #expect(throws: BackupError.self) {
                try await DatabaseBackup.restore(file: cut, into: .sqlite(path: fresh), logger: Self.logger)
            }
            #expect(damaged?.description.contains("cut short") == true && damaged?.exitCode == 65)
            // None of these left a file at the target.
            #expect(!FileManager.default.fileExists(atPath: fresh))
            // An empty file (no table) is a fine target.
            try await DatabaseBackup.withDatabase(.sqlite(path: fresh), logger: Self.logger) { _ in }
            #expect(try await DatabaseBackup.restore(file: out, into: .sqlite(path: fresh), logger: Self.logger).tables > 40)
        }
    }

    /// Incident texts are sealed to handlers' keys, which the database holds wrapped under their
    /// passwords; the server's incident key and the OTP key are files beside the database, and no
    /// byte of either reaches a backup.
    @Test func theKeyFilesAreNotInABackup() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await app.signedIn(.incidentHandler)
            let out = app.folder.appendingPathComponent("k.backup").path
            _ = try await BackupTaking.run(app.configuration.database, out: out, clock: app.services.clock, logger: Self.logger)
            let backup = try Data(contentsOf: URL(fileURLWithPath: out))
            for name in ["incident.key", "otp.key"] {
                let text = try String(contentsOf: app.folder.appendingPathComponent(name), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let raw = try #require(Data(base64Encoded: text))
                #expect(raw.count == 32)
                #expect(backup.range(of: raw) == nil, "\(name)'s bytes are in the backup")
                #expect(backup.range(of: Data(text.utf8)) == nil, "\(name)'s text is in the backup")
            }
        }
    }

    /// One statement on the test database without a search path (schemas are made and dropped so).
    static func plain(_ url: String, _ statement: String) async throws {
        try await DatabaseBackup.withDatabase(.postgres(url: url), logger: Self.logger) { database in
            try await database.withConnection { db in try await db.raw(SQLQueryString(statement)).run() }
        }
    }

    @Test func postgresBackupRestoresEveryRow() async throws {
        guard let url = Self.postgresURL, (try? PostgresTools.find("pg_dump")) != nil else { return }
        let schema = "t_" + (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let original = schema + "_original"
        @Sendable func plain(_ statement: String) async throws { try await Self.plain(url, statement) }
        try await plain("CREATE SCHEMA \(schema)")
        do {
            let location = DatabaseLocation.postgres(url: url, schema: schema)
            try await TestApp.withApp(configure: { $0.database = location }) { app, _ in
                try await Self.fill(app)
                let out = app.folder.appendingPathComponent("pg.backup").path
                let taken = try await BackupTaking.run(location, out: out, clock: app.services.clock, logger: Self.logger)
                #expect(try DatabaseBackup.kind(of: out) == .postgres && taken.note == nil)
                await #expect(throws: BackupError.self) {
                    try await DatabaseBackup.restore(file: out, into: location, logger: Self.logger)
                }
                // The original steps aside under another name; the backup comes back as `schema`.
                try await plain("ALTER SCHEMA \(schema) RENAME TO \(original)")
                let restored = try await DatabaseBackup.restore(file: out, into: location, logger: Self.logger)
                #expect(restored.schemaVersion == Migrations.latestVersion && restored.tables > 40)
                try await DatabaseBackup.withDatabase(.postgres(url: url), logger: Self.logger) { database in
                    let tables = try await database.withConnection { db in
                        try await db.raw(SQLQueryString("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '" + original + "'"))
                            .all().map { try $0.decode(column: "t", as: String.self) }
                    }
                    let diff = try await database.withConnection { db in
                        try await Self.differences(db, tables: tables, left: original, right: schema)
                    }
                    Self.expectSameRows(diff)
                }
                try await DatabaseBackup.withDatabase(location, logger: Self.logger) { database in
                    let before = try await Repositories.sql(database).organisations.all().map(\.id).max() ?? 0
                    let added = try await Repositories.sql(database).organisations.create(name: "Nowa po odtworzeniu", kind: .ngo)
                    #expect(added.id > before)
                }
            }
        } catch {
            try? await plain("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            try? await plain("DROP SCHEMA IF EXISTS \(original) CASCADE")
            throw error
        }
        try await plain("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        try await plain("DROP SCHEMA IF EXISTS \(original) CASCADE")
    }

    /// The connection reaches pg_dump and pg_restore through libpq's environment: the command
    /// line a fake pg_dump records holds no password, its environment does.
    @Test func thePasswordNeverReachesTheCommandLine() async throws {
        let (env, database) = try PostgresTools.environment(url: "postgresql://otwarty:s3cr%40t%20x@db.example:5433/otw%2Dprod?sslmode=disable")
        #expect(env == ["PGHOST": "db.example", "PGPORT": "5433", "PGUSER": "otwarty", "PGPASSWORD": "s3cr@t x",
                        "PGDATABASE": "otw-prod", "PGSSLMODE": "disable"])
        #expect(database == "otw-prod")
        #expect(try PostgresTools.environment(url: "postgres://u@h/d?tlsmode=require").environment["PGSSLMODE"] == "require")
        #expect(try PostgresTools.environment(url: "postgres://u@h/d").environment["PGPASSWORD"] == nil)
        #expect(throws: BackupError.unusableURL) { try PostgresTools.environment(url: "postgres://u:p@h/") }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-fake-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("pg_dump")
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"\(folder.path)/argv\"\nprintf '%s' \"$PGPASSWORD\" > \"\(folder.path)/password\"\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let found = try PostgresTools.find("pg_dump", path: folder.path)
        #expect(found == script.path)
        try await PostgresTools.run(found, ["--format=custom", "--no-password", "--file=/tmp/x"], environment: env)
        let argv = try String(contentsOf: folder.appendingPathComponent("argv"), encoding: .utf8)
        #expect(!argv.contains("s3cr") && argv.contains("--format=custom"))
        #expect(try String(contentsOf: folder.appendingPathComponent("password"), encoding: .utf8) == "s3cr@t x")
        // A tool that is not there is named with the package to install.
        let missing = #expect(throws: BackupError.self) {
            try PostgresTools.find("pg_nothing", path: folder.path, versionsFolder: folder.path)
        }
        #expect(missing?.description.contains("apt-get install postgresql-client") == true)
    }

    @Test func scheduledBackupsKeepTheNewestAndRecordEach() async throws {
        try await TestApp.withApp { app, _ in
            let directory = app.folder.appendingPathComponent("backups").path
            let settings = ScheduledBackups.Settings(directory: directory, everyHours: 6, keep: 2)
            let audit = BackupAudit(audit: app.services.repositories.audit, clock: app.services.clock)
            let start = Date(timeIntervalSince1970: 1_796_350_000) // 2026-12-04 02:06:40 UTC
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Beside them: a file of the operator's, and a partial file a crash left two hours before
            // the first run. Its time is set from the runs' own clock (`start`), not the machine's:
            // set from the machine's, the test failed whenever it ran after 15:06 UTC on the day
            // `start` was written, and on every later day.
            _ = FileManager.default.createFile(atPath: directory + "/README", contents: Data("mine".utf8))
            let stale = directory + "/.otwarty-20261201T000000Z.sqlite.partial-abcd1234"
            _ = FileManager.default.createFile(atPath: stale, contents: Data())
            try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(-7200)], ofItemAtPath: stale)
            var names: [String] = []
            for n in 0..<3 {
                let outcome = try await ScheduledBackups.runOnce(try app.services.database, audit: audit, settings: settings,
                                                                 now: start.addingTimeInterval(Double(n) * 6 * 3600))
                names.append((outcome.made.path as NSString).lastPathComponent)
            }
            #expect(names == ["otwarty-20261204T020640Z.sqlite", "otwarty-20261204T080640Z.sqlite", "otwarty-20261204T140640Z.sqlite"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["README"] + names.suffix(2))
            for name in names {
                let entry = try await app.services.repositories.audit.entries(subject: "backup:\(name)", limit: 2)
                #expect(entry.map(\.action) == ["backup.made"] && entry.first?.detail.hasPrefix("schedule; ") == true)
            }
            // A folder that cannot be written: the failure is in the audit trail too.
            let blocked = ScheduledBackups.Settings(directory: directory + "/README/sub", everyHours: 6, keep: 2)
            await #expect(throws: (any Error).self) {
                try await ScheduledBackups.runOnce(try app.services.database, audit: audit, settings: blocked, now: start)
            }
            let failed = try await app.services.repositories.audit.entries(subject: "backup:otwarty-20261204T020640Z.sqlite", limit: 2)
            #expect(failed.first?.action == "backup.failed")
        }
    }

    @Test func scheduleConfiguration() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).backups == nil)
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_BACKUP_DIR": "/var/backups/otwarty"]).backups
                == .init(directory: "/var/backups/otwarty", everyHours: 24, keep: 14))
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_BACKUP_DIR": "/b", "OTWARTY_BACKUP_EVERY_HOURS": "6",
                                                      "OTWARTY_BACKUP_KEEP": "28"]).backups == .init(directory: "/b", everyHours: 6, keep: 28))
        for env in [["OTWARTY_BACKUP_EVERY_HOURS": "6"], ["OTWARTY_BACKUP_KEEP": "3"],
                    ["OTWARTY_BACKUP_DIR": "/b", "OTWARTY_BACKUP_EVERY_HOURS": "0"],
                    ["OTWARTY_BACKUP_DIR": "/b", "OTWARTY_BACKUP_KEEP": "many"]] {
            let error = #expect(throws: AppConfiguration.Invalid.self, "\(env)") { try AppConfiguration.fromEnvironment(env) }
            #expect(error.map { env.keys.contains($0.variable) } == true)
        }
    }

    /// The real executable: restore into a database with tables exits 73 naming them; a backup
    /// to an existing file exits 73; restore into a new file works.
    @Test func theExecutableRefusesWithExitStatus73() async throws {
        guard let binary = BuiltExecutable.debug else { return } // built by `swift build`; not in every setup
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ arguments: [String], database: String) throws -> (Int32, String, String) {
            try binary.run(arguments, sqlite: "\(folder.path)/\(database)")
        }
        #expect(try run(["migrate"], database: "a.sqlite").0 == 0)
        let made = try run(["backup", "--out", "\(folder.path)/a.backup"], database: "a.sqlite")
        #expect(made.0 == 0 && made.1.contains("sha256 "), "\(made)")
        let again = try run(["backup", "--out", "\(folder.path)/a.backup"], database: "a.sqlite")
        #expect(again.0 == 73 && again.2.contains("already exists"), "\(again)")
        let refused = try run(["restore", "\(folder.path)/a.backup"], database: "a.sqlite")
        #expect(refused.0 == 73 && refused.2.contains("is not empty"), "\(refused)")
        let restored = try run(["restore", "\(folder.path)/a.backup"], database: "b.sqlite")
        #expect(restored.0 == 0 && restored.1.contains("Restored"), "\(restored)")
    }
}
