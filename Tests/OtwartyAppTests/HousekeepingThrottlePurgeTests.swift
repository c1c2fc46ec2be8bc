import Foundation
import Logging
@testable import OtwartyApp
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// Housekeeping removes the anonymous forms' counts of ended windows (`anonymous_throttle`,
/// migration 25) once per period across the instances sharing the database (`Database.runJob`),
/// like the session purge. Before, rows went only at the first attempt of a new window on some
/// instance, so a quiet deployment kept them. Two `AppServices` over one SQLite file or one
/// PostgreSQL schema stand for two instances.
@Suite struct HousekeepingThrottlePurgeTests {
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    @Test func sqlite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.check(.sqlite(path: folder.appendingPathComponent("test.sqlite").path))
    }

    @Test func postgres() async throws {
        guard let url = BackupCommandTests.postgresURL else { return }
        let schema = "t_" + (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        try await BackupCommandTests.plain(url, "CREATE SCHEMA \(schema)")
        do {
            try await Self.check(.postgres(url: url, schema: schema))
        } catch {
            try? await BackupCommandTests.plain(url, "DROP SCHEMA IF EXISTS \(schema) CASCADE")
            throw error
        }
        try await BackupCommandTests.plain(url, "DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    static func check(_ location: DatabaseLocation) async throws {
        var configuration = AppConfiguration(publicBaseURL: "http://otwarty.test", database: location, logLevel: .warning)
        configuration.pdfRenderer = "none"
        configuration.incidentKeyScrypt = .testing
        let clock = TestClock()
        var instances: [AppServices] = []
        do {
            for _ in 0..<2 {
                instances.append(try await AppServices.open(configuration, logger: logger, hasher: BcryptPasswordHasher(cost: 4), now: clock.function))
            }
            let database = try #require(instances[0].sqlDatabase)
            let store = instances[0].repositories.anonymousThrottle
            let now = clock.function()
            func keys() async throws -> [String] {
                try await database.withConnection { db in
                    try await db.raw("SELECT throttle_key FROM anonymous_throttle ORDER BY throttle_key").all()
                        .map { try $0.decode(column: "throttle_key", as: String.self) }
                }
            }
            func runs() async throws -> Int {
                try await database.withConnection { db in
                    try await db.raw("SELECT runs FROM job_runs WHERE name = 'anonymous-throttle-purge'").first()?
                        .decode(column: "runs", as: Int.self) ?? 0
                }
            }
            _ = try await store.take(clientKey: "client:ended", clientLimit: 5, overallKey: "all:report:1", overallLimit: 9,
                                     expiresAt: now.addingTimeInterval(-60))
            _ = try await store.take(clientKey: "client:current", clientLimit: 5, overallKey: "all:report:2", overallLimit: 9,
                                     expiresAt: now.addingTimeInterval(540))
            let housekeeping = instances.map { services in
                HousekeepingService(accounts: services.accounts, incidents: services.incidents, retentionMonths: 24, logger: logger,
                                    jobs: JobRunner(database: services.sqlDatabase),
                                    anonymousCounts: services.repositories.anonymousThrottle)
            }

            await housekeeping[0].tick()
            #expect(try await keys() == ["all:report:2", "client:current"], "the ended window's rows are removed, the current one's kept")
            #expect(try await runs() == 1)

            // The other instance, within the period, does not run it again.
            _ = try await store.take(clientKey: "client:ended-later", clientLimit: 5, overallKey: "all:report:3", overallLimit: 9,
                                     expiresAt: now.addingTimeInterval(-1))
            await housekeeping[1].tick()
            #expect(try await runs() == 1, "once per period across instances")
            #expect(try await keys().contains("client:ended-later"))
            for services in instances { try await services.shutdown() }
        } catch {
            for services in instances { try? await services.shutdown() }
            throw error
        }
    }
}
