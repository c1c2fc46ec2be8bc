import ArgumentParser
import Foundation
import OtwartyCore

struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Reference statistics (denominators) such as foreign-residents.",
        subcommands: [Set.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a value for a key and year; earlier values are kept as revisions.")
        @Argument(help: "Key, e.g. foreign-residents or city-staff.") var key: String
        @Argument(help: "Year the value describes.") var year: Int
        @Argument(help: "The value.") var value: Double
        @Option(help: "Where the figure comes from (required).") var source: String
        @Option(help: "The day the figure was published or taken (YYYY-MM-DD).") var asOf: String?

        func validate() throws {
            guard ReferenceKeyFormat.isValid(key) else { throw ValidationError("key \"\(key)\" must be lowercase letters, digits and hyphens") }
            guard value.isFinite, value >= 0, value <= 1e12 else { throw ValidationError("value must be a number from 0 to 10^12") }
            guard NumberRange.year.bounds.contains(Int64(year)) else { throw ValidationError("the year must be 1900–2200") }
            guard !source.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--source must not be empty") }
            if let asOf, CalendarDate(iso: asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                let reference = ReferenceValue(key: key, year: year, value: value, source: source,
                                               asOf: asOf.flatMap(CalendarDate.init(iso:)), recordedAt: services.accounts.now())
                try await services.repositories.references.set(reference, by: nil)
                try await services.repositories.audit.record(AuditEntry(at: services.accounts.now(), actorUserID: nil,
                                                                        action: "reference.set", subject: "reference:\(key):\(year)",
                                                                        detail: "\(value) (\(source))"))
                print("\(key) \(year) = \(value) (\(source)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the current value of every key and year.")
        func run() async throws {
            try await withServices { _, services, _ in
                for v in try await services.repositories.references.allCurrent() {
                    print("\(v.key)\t\(v.year)\t\(v.value)\t\(v.source)")
                }
            }
        }
    }
}
