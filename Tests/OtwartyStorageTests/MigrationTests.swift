import Foundation
import OtwartyCore
@testable import OtwartyStorage
import Testing

@Suite struct MigrationTests {
    @Test(arguments: DatabaseEngine.allCases)
    func appliesEveryMigrationOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { database in
            let first = try await Migrations.run(on: database)
            #expect(first == Migrations.all.map(\.version).sorted())
            #expect(!first.isEmpty)
            #expect(try await Migrations.currentVersion(of: database) == Migrations.latestVersion)

            let second = try await Migrations.run(on: database)
            #expect(second.isEmpty)
            #expect(try await Migrations.currentVersion(of: database) == Migrations.latestVersion)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func refusesANewerSchema(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let future = Migrations.latestVersion + 1
            // A later release's migration, as if that release had run against this database.
            let fromTheFuture = Migration(version: future, name: "from-the-future") { _ in
                ["CREATE TABLE from_the_future (id BIGINT PRIMARY KEY)"]
            }
            #expect(try await Migrations.run(on: database, migrations: Migrations.all + [fromTheFuture]) == [future])
            #expect(try await Migrations.currentVersion(of: database) == future)

            await #expect(throws: DatabaseError.newerSchema(database: future, known: Migrations.latestVersion)) {
                try await Migrations.run(on: database)
            }
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aFailingMigrationIsRolledBackAndNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let broken = Migration(version: Migrations.latestVersion + 1, name: "broken") { _ in
                ["CREATE TABLE half_done (id BIGINT PRIMARY KEY)", "THIS IS NOT SQL"]
            }
            do {
                try await Migrations.run(on: database, migrations: Migrations.all + [broken])
                Issue.record("the broken migration was applied")
            } catch let DatabaseError.migrationFailed(version, name, _) {
                #expect(version == Migrations.latestVersion + 1)
                #expect(name == "broken")
            }
            // Nothing of it stays: not its version, and (re-running with a fixed statement list) not its table.
            #expect(try await Migrations.currentVersion(of: database) == Migrations.latestVersion)
            let fixed = Migration(version: Migrations.latestVersion + 1, name: "fixed") { _ in
                ["CREATE TABLE half_done (id BIGINT PRIMARY KEY)"]
            }
            #expect(try await Migrations.run(on: database, migrations: Migrations.all + [fixed]) == [Migrations.latestVersion + 1])
        }
    }
}
