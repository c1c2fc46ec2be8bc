import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OtwartyCore
import OtwartyWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web application (migrates the database and loads Kraków's programme on first start).")

    @Option(help: "Address to listen on (default: OTWARTY_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: OTWARTY_PORT or 8080).") var port: Int?

    func run() async throws {
        try await withServices(host: host, port: port) { configuration, services, logger in
            if try await services.loadDefaultProgrammeIfEmpty() {
                logger.info("loaded the programme „Otwarty Kraków” 2024–2028 into the empty database")
            }
            if let token = try await services.accounts.issueSetupToken() {
                // Written straight to the file descriptor: print() is buffered when stdout is a file
                // or a pipe, and the link must appear before the server starts logging.
                FileHandle.standardOutput.write(Data(SetupBanner.text(link: SetupBanner.link(base: configuration.publicBaseURL, token: token)).utf8))
            }
            // What incident.key still opens, and whether a recovery key and a handler with a key exist.
            do {
                for line in try await IncidentKeyNotices.atStart(services) { logger.log(level: line.level, "\(line.text)") }
            } catch {
                logger.warning("incident keys could not be checked", metadata: ["error": "\(error)"])
            }
            let app = try await buildApplication(configuration, services: services, logger: logger)
            try await app.runService()
        }
    }
}

enum SetupBanner {
    static func link(base: String, token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + SiteURL.setup(token: token).path("pl")
    }

    static func text(link: String) -> String {
        """

        ┌─ No administrator yet ───────────────────────────────────────────────
        │ Open this one-time link to create the first administrator
        │ (valid 24 hours, or until the next start):
        │
        │   \(link)
        └──────────────────────────────────────────────────────────────────────

        """
    }
}
