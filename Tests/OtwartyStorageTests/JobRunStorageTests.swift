import Foundation
import OtwartyCore
@testable import OtwartyStorage
import SQLKit
import Testing

/// `Database.runJob`: a periodic job runs once per period across every instance sharing the
/// database (migration 24 `job_runs`; PostgreSQL adds an advisory lock while it runs).
@Suite struct JobRunStorageTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    struct Failed: Error {}

    /// A second `Database` on the same database (another instance), shut down whatever `body` does.
    static func withSecond(_ database: Database, _ body: (Database) async throws -> Void) async throws {
        let other = try await Database.open(database.location, logger: TestDatabase.logger)
        do { try await body(other) } catch {
            try? await other.shutdown()
            throw error
        }
        try await other.shutdown()
    }

    static func row(_ database: Database, _ name: String) async throws -> (runs: Int, started: Double?, finished: Double?, instance: String?) {
        try await database.withConnection { db in
            let row = try #require(try await db.raw("SELECT runs, last_started, last_finished, instance FROM job_runs WHERE name = \(bind: name)").first())
            return (try row.decode(column: "runs", as: Int.self), try row.decode(column: "last_started", as: Double?.self),
                    try row.decode(column: "last_finished", as: Double?.self), try row.decode(column: "instance", as: String?.self))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func runsOncePerPeriod(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let counter = Counter()
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await database.runJob("purge", every: .seconds(3600), now: { t0 }) { counter.add() })
            #expect(try await !database.runJob("purge", every: .seconds(3600), now: { t0 }) { counter.add() })
            #expect(try await !database.runJob("purge", every: .seconds(3600), now: { t0 + 3599 }) { counter.add() },
                    "not before the period is over")
            #expect(try await database.runJob("other", every: .seconds(3600), now: { t0 }) { counter.add() }, "each job has its own period")
            #expect(try await database.runJob("purge", every: .seconds(3600), now: { t0 + 3600 }) { counter.add() })
            #expect(counter.value == 3)
            let row = try await Self.row(database, "purge")
            #expect(row.runs == 2)
            #expect(row.started == (t0 + 3600).timeIntervalSince1970)
            #expect(row.finished == (t0 + 3600).timeIntervalSince1970)
            #expect(row.instance == Database.instanceName)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aFailedRunIsTriedAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await database.runJob("retention", every: .seconds(86_400), now: { t0 }) {})
            await #expect(throws: Failed.self) {
                try await database.runJob("retention", every: .seconds(86_400), now: { t0 + 86_400 }) { throw Failed() }
            }
            let afterFailure = try await Self.row(database, "retention")
            #expect(afterFailure.started == t0.timeIntervalSince1970, "the claim is given back")
            #expect(afterFailure.runs == 1)
            #expect(try await database.runJob("retention", every: .seconds(86_400), now: { t0 + 86_401 }) {},
                    "the next call runs it instead of waiting a day")
        }
    }

    /// Two database objects on one database are two instances: of many calls at once exactly one runs.
    @Test(arguments: DatabaseEngine.allCases)
    func onceAcrossInstances(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            try await Self.withSecond(database) { (other: Database) async throws in
                let counter = Counter()
                let ran = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for i in 0..<8 {
                        let instance = i % 2 == 0 ? database : other
                        group.addTask {
                            try await instance.runJob("housekeeping", every: .seconds(300)) {
                                counter.add()
                                try await Task.sleep(for: .milliseconds(200))
                            }
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(ran == 1)
                #expect(counter.value == 1)
                #expect(try await Self.row(database, "housekeeping").runs == 1)
            }
        }
    }

    /// PostgreSQL: while one instance runs a job, another does not start it, even when its period
    /// says it is due (the advisory lock; a job longer than its period never runs twice at once).
    @Test(arguments: DatabaseEngine.allCases.filter { $0 == .postgres })
    func neverTwiceAtOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { (database: Database) async throws in
            try await Self.withSecond(database) { (other: Database) async throws in
                let (started, startedContinuation) = AsyncStream<Void>.makeStream()
                let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
                let running = Task {
                    try await database.runJob("backup", every: .seconds(60)) {
                        startedContinuation.yield()
                        for await _ in release { break }
                    }
                }
                for await _ in started { break }
                let later = Date().addingTimeInterval(3600)
                #expect(try await !other.runJob("backup", every: .seconds(60), now: { later }) {}, "locked while it runs")
                releaseContinuation.yield()
                #expect(try await running.value)
                #expect(try await other.runJob("backup", every: .seconds(60), now: { later }) {}, "due and free again")
            }
        }
    }
}
