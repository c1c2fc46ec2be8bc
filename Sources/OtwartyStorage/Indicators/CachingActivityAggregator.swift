import Foundation
import OtwartyCore
import SQLKit

/// Remembers aggregate answers until the data changes. Every write to records or reference
/// statistics bumps a version row in the same transaction (`DataVersion`); each lookup reads that
/// version first (one primary-key read), so a cached answer is never served after a change —
/// whichever process made it. The dashboard at a million records drops from ~150 ms of queries
/// to a handful of version reads (docs/performance.md).
public struct CachingActivityAggregator: ActivityAggregator {
    let base: any ActivityAggregator
    let database: Database
    let cache: AggregateCache

    public init(base: any ActivityAggregator, database: Database, cache: AggregateCache = AggregateCache()) {
        self.base = base
        self.database = database
        self.cache = cache
    }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        let version = try await database.withConnection { db in try await DataVersion.current(db) }
        if let hit = await cache.lookup(query, version: version) { return hit }
        // Read under `version`: a write that lands meanwhile bumps it, so this answer is only ever
        // served while nothing has changed since before it was computed.
        let answer = try await base.values(query)
        await cache.store(answer, for: query, version: version)
        return answer
    }
}

public actor AggregateCache {
    private var version: Int64 = -1
    private var answers: [AggregateQuery: [AggregateGroup: Double]] = [:]
    /// Far above what one programme's dashboards ask for; a bound so odd queries cannot grow it forever.
    let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    func lookup(_ query: AggregateQuery, version current: Int64) -> [AggregateGroup: Double]? {
        if current != version {
            version = current
            answers.removeAll(keepingCapacity: true)
            return nil
        }
        return answers[query]
    }

    func store(_ answer: [AggregateGroup: Double], for query: AggregateQuery, version computed: Int64) {
        guard computed == version else { return }
        if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
        answers[query] = answer
    }
}
