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
        @Argument(help: "Year the value describes (1990–2100).") var year: String
        @Argument(help: "The value, 0 to 10^12 (a decimal comma or point; spaces between thousands are allowed).") var value: String
        @Option(help: "Where the figure comes from (required).") var source: String
        @Option(help: "The day the figure was published or taken (YYYY-MM-DD).") var asOf: String?
        @Option(help: "A lower estimate of the same quantity (≤ the value), e.g. a register figure.") var low: String?
        @Option(help: "Where the lower estimate comes from (required with --low).") var lowSource: String?
        @Option(help: "A higher estimate of the same quantity (≥ the value), e.g. a study's estimate.") var high: String?
        @Option(help: "Where the higher estimate comes from (required with --high).") var highSource: String?

        var input: ReferenceStatisticInput {
            ReferenceStatisticInput(key: key, year: year, value: value, source: source, asOf: asOf ?? "",
                                    lowValue: low ?? "", lowSource: lowSource ?? "", highValue: high ?? "",
                                    highSource: highSource ?? "")
        }

        /// The page's rules (`ReferenceStatisticsService`), each problem named by argument or option.
        func validate() throws {
            do { _ = try ReferenceStatisticsService.validated(input, recordedAt: Date()) } catch let .invalid(errors) {
                let names = ["source": "--source", "asOf": "--as-of", "lowValue": "--low", "lowSource": "--low-source",
                             "highValue": "--high", "highSource": "--high-source"]
                throw ValidationError(errors.map { "\(names[$0.field] ?? $0.field): \($0.message)" }.joined(separator: "\n"))
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                let stored = try await services.referenceStatistics.set(input, by: nil)
                print("\(stored.key) \(stored.year) = \(stored.value) (\(stored.source)).")
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
