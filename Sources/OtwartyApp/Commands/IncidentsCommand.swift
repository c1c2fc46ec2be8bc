import ArgumentParser
import Foundation
import OtwartyCore

/// `otwarty incidents purge`: the retention rule on demand (for a cron job on machines where the
/// server restarts rarely, or after changing OTWARTY_INCIDENT_RETENTION_MONTHS). `serve` also runs
/// it at start and daily. `otwarty incidents key` prints a new key for OTWARTY_INCIDENT_KEY.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "Incident reports: the retention rule and keys.",
        subcommands: [Purge.self, Key.self])

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the free text and contact of cases closed longer ago than the retention period.")
        @Option(help: "Months after closing (default: OTWARTY_INCIDENT_RETENTION_MONTHS, else 12).") var months: Int?

        func validate() throws {
            if let months, !(1...120).contains(months) { throw ValidationError("--months must be 1–120") }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                let purged = try await services.incidents.purge(retentionMonths: months ?? services.incidentRetentionMonths)
                print("Removed the details of \(purged) closed case(s); the audit trail has an entry.")
            }
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random 256-bit key (base64) for OTWARTY_INCIDENT_KEY or a key file.")
        func run() async throws { print(FieldCipher.newKeyBase64()) }
    }
}
