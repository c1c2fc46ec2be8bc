import ArgumentParser
import OtwartyStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        try await withServices { configuration, services, _ in
            // AppServices.open has already migrated; report where the schema stands.
            let version = try await Migrations.currentVersion(of: services.database)
            print("\(configuration.database) is at schema version \(version) (latest \(Migrations.latestVersion)).")
        }
    }
}
