import ArgumentParser
import Foundation
import Logging
import OtwartyCore
import OtwartyStorage

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a file made by `otwarty backup` into an empty database (DATABASE_URL).",
        discussion: """
            Refuses a database that holds any table (exit status 73): nothing is ever overwritten. SQLite: DATABASE_URL's \
            file must not exist or hold no table; the backup is checked (quick_check) and copied into place. PostgreSQL: \
            pg_restore --no-owner --no-privileges --exit-on-error --single-transaction into an empty database (create it \
            first, owned by Otwarty's role); a failure leaves it empty. A SQLite backup goes into SQLite, a PostgreSQL one \
            into PostgreSQL (exit status 65 otherwise). Put back the incident key and OTP key files kept with the backup \
            before `otwarty serve` (docs/operations.md).
            """)

    @Argument(help: ArgumentHelp("A file made by `otwarty backup`.", valueName: "FILE")) var file: String

    func run() async throws {
        let configuration = try commandConfiguration()
        var logger = Logger(label: "otwarty")
        logger.logLevel = configuration.logLevel
        do {
            let restored = try await DatabaseBackup.restore(file: file, into: configuration.database, logger: logger)
            print(RestoreCommand.summary(restored, file: file, into: configuration.database))
        } catch let error as BackupError {
            printError(error.description)
            throw ExitCode(error.exitCode)
        } catch {
            printError("restore failed: \(error)")
            throw ExitCode.failure
        }
    }

    static func summary(_ restored: DatabaseBackup.Restored, file: String, into location: DatabaseLocation) -> String {
        // No audit entry is added: the restored database holds exactly what the backup held (the
        // restore drill compares every row). This line and the backup's own entry are the record.
        var text = "Restored \(file) into \(location): \(restored.tables) tables, schema version \(restored.schemaVersion), "
            + "in \(String(format: "%.1f", restored.seconds)) s."
        if restored.schemaVersion < Migrations.latestVersion {
            text += "\nThe backup is at schema version \(restored.schemaVersion); `otwarty serve` (or `otwarty migrate`) brings it to \(Migrations.latestVersion)."
        }
        text += "\nPut back the incident key and OTP key files kept with the backup before `otwarty serve` (docs/operations.md)."
        return text
    }
}
