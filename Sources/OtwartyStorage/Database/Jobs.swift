import Foundation
import PostgresKit
import SQLKit

extension Database {
    /// This process among the instances sharing the database, as `job_runs.instance` names it.
    public static let instanceName = "\(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier)"

    /// Runs `body` unless it ran (was started) less than `every` ago — by this process or by any
    /// other instance sharing the database — or is running now; returns whether it ran here.
    /// Each instance simply calls this on its own timer: one of them wins each period.
    ///
    /// - PostgreSQL: `pg_try_advisory_lock` (keyed by schema and name) on a connection of its own,
    ///   held while `body` runs, so two instances never run a job at once; then the `job_runs` row
    ///   (migration 24) is claimed with a conditional UPDATE, so the job runs once per period.
    ///   The lock dies with its connection, so a crashed instance never leaves it held.
    /// - SQLite: the same row claim, in one `BEGIN IMMEDIATE` transaction (one writer at a time
    ///   across processes), and this process never starts a job it is still running.
    ///
    /// When `body` throws, the claim is given back (the previous start time is restored), so the
    /// next call — here or elsewhere — tries again instead of waiting a whole period; the error is
    /// rethrown. `now` is for tests.
    @discardableResult
    public func runJob(_ name: String, every period: Duration, now: @escaping @Sendable () -> Date = Date.init,
                       _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        guard runningJobs.enter(name) else { return false }
        defer { runningJobs.leave(name) }
        let seconds = Double(period.components.seconds) + Double(period.components.attoseconds) / 1e18
        let claim = JobClaim(name: name, period: seconds, instance: Database.instanceName)
        if let connector = postgresConnector {
            return try await connector.with { connection in
                let db = connection.sql(queryLogLevel: .trace)
                let locked = try await db.raw("SELECT pg_try_advisory_lock(7242002, hashtext(current_schema() || ':' || \(bind: name))) AS locked").first()?
                    .decode(column: "locked", as: Bool.self) ?? false
                guard locked else { return false }
                // Closing the connection (`PostgresConnector.with`) releases the lock on every path.
                guard let claimed = try await claim.take(on: db, at: now()) else { return false }
                try await claim.run(body, claimed: claimed, on: db, now: now)
                return true
            }
        }
        guard let claimed = try await transaction({ db in try await claim.take(on: db, at: now()) }) else { return false }
        try await claim.run(body, claimed: claimed, on: nil, database: self, now: now)
        return true
    }
}

/// The `job_runs` statements of one `runJob` call.
struct JobClaim: Sendable {
    let name: String
    let period: Double
    let instance: String

    struct Claimed: Sendable {
        let started: Double
        let previous: Double?
    }

    /// Marks the job started at `date` when it last started at least a period ago; nil when not due.
    func take(on db: any SQLDatabase, at date: Date) async throws -> Claimed? {
        let started = date.timeIntervalSince1970
        try await db.raw("INSERT INTO job_runs (name, runs) VALUES (\(bind: name), 0) ON CONFLICT (name) DO NOTHING").run()
        let previous = try await db.raw("SELECT last_started FROM job_runs WHERE name = \(bind: name)").first()?
            .decode(column: "last_started", as: Double?.self)
        let row = try await db.raw("UPDATE job_runs SET last_started = \(bind: started), instance = \(bind: instance), runs = runs + 1 WHERE name = \(bind: name) AND (last_started IS NULL OR last_started <= \(bind: started - period)) RETURNING name").first()
        return row == nil ? nil : Claimed(started: started, previous: previous)
    }

    /// Runs `body`; records its end, or gives the claim back when it throws. `db` is the lock's
    /// connection on PostgreSQL; on SQLite each statement borrows a pooled connection.
    func run(_ body: @Sendable () async throws -> Void, claimed: Claimed, on db: (any SQLDatabase)?,
             database: Database? = nil, now: @Sendable () -> Date) async throws {
        func write(_ statement: SQLQueryString) async throws {
            if let db { try await db.raw(statement).run() } else {
                _ = try await database?.transaction { db in try await db.raw(statement).run() }
            }
        }
        do {
            try await body()
        } catch {
            try? await write("UPDATE job_runs SET last_started = \(bind: claimed.previous), runs = runs - 1 WHERE name = \(bind: name) AND instance = \(bind: instance) AND last_started = \(bind: claimed.started)")
            throw error
        }
        try await write("UPDATE job_runs SET last_finished = \(bind: now().timeIntervalSince1970) WHERE name = \(bind: name) AND instance = \(bind: instance) AND last_started = \(bind: claimed.started)")
    }
}

/// The jobs this process is running now (SQLite has no lock to say so across the call).
final class RunningJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []
    func enter(_ name: String) -> Bool { lock.withLock { names.insert(name).inserted } }
    func leave(_ name: String) { _ = lock.withLock { names.remove(name) } }
}
