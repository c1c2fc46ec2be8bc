import ArgumentParser
import Foundation
import Logging

/// `otwarty`: the command-line entry point. Each subcommand is a thin shell over functions in
/// this module that the tests call directly.
public struct OtwartyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "otwarty",
        abstract: "Otwarty — the platform for the „Otwarty Kraków” programme.",
        discussion: "Configuration comes from environment variables; see README.md (DATABASE_URL, OTWARTY_PUBLIC_URL, …).",
        subcommands: [ServeCommand.self, MigrateCommand.self, ProgrammeCommand.self, UserCommand.self, ImportCommand.self,
                      ReferenceCommand.self, TokenCommand.self, DemoCommand.self, BenchCommand.self, ReportCommand.self, IncidentsCommand.self, AuditCommand.self,
                      RoutesCommand.self, KeysCommand.self, BackupCommand.self, RestoreCommand.self])

    public init() {}
}

/// Runs a command body with live services, turning failures into one clear line on stderr
/// and a non-zero exit instead of a stack trace.
func withServices<R>(host: String? = nil, port: Int? = nil,
                     _ body: (AppConfiguration, AppServices, Logger) async throws -> R) async throws -> R {
    let configuration: AppConfiguration
    do {
        configuration = try AppConfiguration.fromEnvironment(host: host, port: port)
    } catch {
        printError("\(error)")
        throw ExitCode(78) // EX_CONFIG
    }
    let logger = AppLogging.logger(label: "otwarty", format: configuration.logFormat, level: configuration.logLevel)
    let services: AppServices
    do {
        services = try await AppServices.open(configuration, logger: logger)
    } catch {
        printError("cannot open \(configuration.database): \(error)")
        throw ExitCode(69) // EX_UNAVAILABLE
    }
    do {
        // Kraków's programme is there whenever no other has been loaded, for every command alike.
        try await services.loadDefaultProgrammeIfEmpty()
        let result = try await body(configuration, services, logger)
        try? await services.shutdown()
        return result
    } catch {
        try? await services.shutdown()
        if error is ExitCode { throw error }
        printError("\(error)")
        throw ExitCode.failure
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
}
