import ArgumentParser
import Foundation
import Logging
import OtwartyCore
import OtwartyStorage

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database to a file, while the server keeps running.",
        discussion: """
            SQLite: VACUUM INTO (a compacted copy of one snapshot). PostgreSQL: pg_dump --format=custom, from Debian's \
            postgresql-client (the password is passed in the environment, never on the command line). The file is written \
            under a temporary name and renamed when whole; an existing file is never overwritten. The audit trail records \
            the file's name, size and SHA-256. The incident key and OTP key files are not in the backup: keep copies of \
            them apart (docs/operations.md). Exit status 73 when FILE exists, 69 when the database or pg_dump is missing.
            """)

    @Option(help: ArgumentHelp("The file to write; it must not exist.", valueName: "FILE")) var out: String

    func run() async throws {
        let configuration = try commandConfiguration()
        var logger = Logger(label: "otwarty")
        logger.logLevel = configuration.logLevel
        do {
            let taken = try await BackupTaking.run(configuration.database, out: out,
                                                   clock: OfficeClock(timeZone: configuration.timeZone), logger: logger)
            print(taken.summary)
        } catch let error as BackupError {
            printError(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("backup failed: \(error)")
            throw ExitCode.failure
        }
    }
}

/// The configuration for backup and restore, or exit 78 naming the variable.
func commandConfiguration() throws -> AppConfiguration {
    do { return try AppConfiguration.fromEnvironment() } catch {
        printError("\(error)")
        throw ExitCode(78) // EX_CONFIG
    }
}

/// What `otwarty backup` does, callable from tests.
public enum BackupTaking {
    public struct Taken: Sendable {
        public var made: DatabaseBackup.Made
        /// Why no audit entry was written, when none was.
        public var note: String?

        public var summary: String {
            let mb = String(format: "%.1f", Double(made.bytes) / 1_048_576)
            var text = "Backed up to \(made.path): \(mb) MB, sha256 \(made.sha256), in \(String(format: "%.1f", made.seconds)) s.\n"
                + "The incident key and OTP key files are not in it: keep copies of them apart (docs/operations.md)."
            if let note { text += "\n" + note }
            return text
        }
    }

    /// Opens the database as it is (no migration: a backup changes nothing but the audit trail),
    /// writes the file, then the audit entry — after the copy, so the copy does not hold it.
    public static func run(_ location: DatabaseLocation, out: String, clock: OfficeClock, logger: Logger) async throws -> Taken {
        if case let .sqlite(path) = location, !FileManager.default.fileExists(atPath: path) {
            throw BackupError.noDatabase(path)
        }
        return try await DatabaseBackup.withDatabase(location, logger: logger) { database in
            let made = try await DatabaseBackup.write(database, to: out)
            let version = (try? await Migrations.currentVersion(of: database)) ?? 0
            guard version == Migrations.latestVersion else {
                return Taken(made: made, note: "The database is at schema version \(version) and this program's is \(Migrations.latestVersion): "
                             + "backed up as it is, without an audit entry (`otwarty migrate` upgrades it).")
            }
            let audit = BackupAudit(audit: Repositories.sql(database, clock: clock).audit, clock: clock)
            try await audit.made(file: (made.path as NSString).lastPathComponent, bytes: made.bytes, sha256: made.sha256,
                                 trigger: .command)
            return Taken(made: made, note: nil)
        }
    }
}
