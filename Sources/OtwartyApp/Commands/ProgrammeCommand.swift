import ArgumentParser
import Foundation
import OtwartyCore

struct ProgrammeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme", abstract: "Manage programmes.",
        subcommands: [Load.self, List.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load or update a programme from a YAML or JSON file (docs/programme-format.md).",
            discussion: "Loading is idempotent: the same file again changes nothing. A file with any error is rejected whole.")

        @Argument(help: "The programme file.") var file: String
        @Flag(help: "Only check the file; change nothing.") var dryRun = false

        func run() async throws {
            let text: String
            do { text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8) } catch {
                printError("cannot read \(file): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            let programme: Programme
            do { programme = try ProgrammeFileParser.parse(text) } catch {
                printError("\(file) was not loaded. \(error.description)")
                throw ExitCode(65) // EX_DATAERR
            }
            if dryRun {
                print("\(file) is valid: \(programme.slug), \(programme.goals.count) goals, \(programme.tasks.count) tasks.")
                return
            }
            try await withServices { _, services, _ in
                let outcome = try await services.programmes.load(programme)
                print("\(programme.slug): \(outcome.rawValue) (\(programme.goals.count) goals, \(programme.tasks.count) tasks, \(programme.results.count) results, \(programme.risks.count) risks).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the loaded programmes.")
        func run() async throws {
            try await withServices { _, services, _ in
                for p in try await services.repositories.programmes.summaries() {
                    print("\(p.slug)\t\(p.resolution)\t\(p.period.from)–\(p.period.to)\t\(p.title)")
                }
            }
        }
    }
}
