import ArgumentParser
import Foundation
import OtwartyCore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import data from files.", subcommands: [Activities.self])

    struct Activities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import activity records from CSV (docs/import-format.md). Every row is checked first; any bad row rejects the whole file.")

        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Status of the imported records: draft, submitted or approved.") var status: String = "draft"
        @Flag(help: "Create organisations the file names that do not exist yet.") var createOrganisations = false
        @Option(help: "Kind of organisations created by --create-organisations.") var organisationKind: String = OrganisationKind.otherPartner.rawValue
        @Option(help: "Programme slug (default: the first loaded programme).") var programme: String?

        func validate() throws {
            guard let s = ActivityStatus(rawValue: status), s != .returned else {
                throw ValidationError("--status must be draft, submitted or approved")
            }
            guard OrganisationKind(rawValue: organisationKind) != nil else {
                throw ValidationError("--organisation-kind is not one of: \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            // Read as it is imported, a chunk at a time (ActivityImporter.run(file:)); here only
            // whether it can be opened, for a clear message before the database is touched.
            let url = URL(fileURLWithPath: file)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                printError("cannot read \(file): no such readable file")
                throw ExitCode.failure
            }
            try await withServices { _, services, _ in
                let programme = try await services.programme(slug: programme)
                let options = ActivityImporter.Options(status: ActivityStatus(rawValue: status)!, createOrganisations: createOrganisations,
                                                       newOrganisationKind: OrganisationKind(rawValue: organisationKind)!)
                let bar = ProgressBar(label: "importing")
                let started = Date()
                do {
                    let outcome = try await services.importer.run(file: url, programme: programme, options: options, by: nil) { stored, total in
                        bar.update(stored, of: total)
                    }
                    bar.finish()
                    let seconds = Date().timeIntervalSince(started)
                    print("Imported \(outcome.records) records as \(status) in \(String(format: "%.1f", seconds)) s (\(Int(Double(outcome.records) / max(seconds, 0.001))) records/s).")
                    if !outcome.organisationsCreated.isEmpty {
                        print("Created organisations: \(outcome.organisationsCreated.joined(separator: ", "))")
                    }
                } catch let errors as ActivityCSVErrors {
                    bar.finish()
                    printError("\(file) was not imported; nothing was stored.\n\(errors.description)")
                    throw ExitCode(65)
                }
            }
        }
    }
}

/// A one-line progress bar on standard error, redrawn in place; silent when stderr is not a terminal.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0
    private var lastPercent = -1
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        guard isTerminal, total > 0 else { return }
        let percent = done * 100 / total
        lock.withLock {
            guard percent != lastPercent else { return }
            lastPercent = percent
            let width = 30, filled = width * percent / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
