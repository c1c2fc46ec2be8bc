import Foundation
import OtwartyCore

/// The `data_versions` row every record and reference write bumps (`DataVersion.bump`), read
/// cheaply: a write made by this process is seen at once (a local counter moves with every bump),
/// and the database is asked again at most every `recheck` seconds for writes of other processes
/// sharing it. Public pages check the version on every request, so this read is on their hot path.
final class SQLDataVersionSource: DataVersionSource, @unchecked Sendable {
    let database: Database
    let recheck: TimeInterval
    private let lock = NSLock()
    private var cached: (version: Int64, localWrites: Int64, at: Date)?

    init(database: Database, recheck: TimeInterval = 1) {
        self.database = database
        self.recheck = recheck
    }

    func current() async throws -> Int64 {
        let writes = DataVersion.localWrites
        let now = Date()
        if let hit = lock.withLock({ cached }), hit.localWrites == writes, now.timeIntervalSince(hit.at) < recheck {
            return hit.version
        }
        let version = try await database.withConnection { db in try await DataVersion.current(db) }
        lock.withLock { cached = (version, writes, now) }
        return version
    }
}
