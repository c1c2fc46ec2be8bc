import Foundation
import OtwartyCore

/// The `data_versions` row every record and reference write bumps (`DataVersion.bump`), read
/// cheaply: a write made by this process is seen at once (a local counter moves with every bump).
/// Writes of other processes sharing the database:
/// - PostgreSQL: heard through LISTEN/NOTIFY (`DataVersionListener`) a few milliseconds after
///   their commit; the cached version is kept while nothing was heard (re-read every
///   `listeningRecheck` seconds all the same, in case the connection died without a word), and
///   while the listener is down the database is asked again every `recheck` seconds;
/// - SQLite: the database is asked again at most every `recheck` seconds.
/// Public pages check the version on every request, so this read is on their hot path.
final class SQLDataVersionSource: DataVersionSource, @unchecked Sendable {
    let database: Database
    let recheck: TimeInterval
    let listeningRecheck: TimeInterval
    private let lock = NSLock()
    private var cached: (version: Int64, localWrites: Int64, heard: DataVersionListener.State?, at: Date)?

    /// This process's bump count (`DataVersion.localWrites`); a test that must not see other tests'
    /// writes in the same process passes its own.
    let localWrites: @Sendable () -> Int64

    init(database: Database, recheck: TimeInterval = 1, listeningRecheck: TimeInterval = 30,
         localWrites: @escaping @Sendable () -> Int64 = { DataVersion.localWrites }) {
        self.database = database
        self.recheck = recheck
        self.listeningRecheck = listeningRecheck
        self.localWrites = localWrites
    }

    func current() async throws -> Int64 {
        // Both read before the database: a bump or notification landing during the read below
        // makes the next call read again.
        let writes = localWrites()
        let listener = database.versionListener
        listener?.start()
        let heard = listener?.state
        let now = Date()
        if let hit = lock.withLock({ cached }), hit.localWrites == writes {
            let age = now.timeIntervalSince(hit.at)
            if let heard, heard.listening {
                if hit.heard == heard, age < listeningRecheck { return hit.version }
            } else if age < recheck {
                return hit.version
            }
        }
        let version = try await database.withConnection { db in try await DataVersion.current(db) }
        lock.withLock { cached = (version, writes, heard, now) }
        return version
    }
}
