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
    /// When set (PostgreSQL, `Repositories.sql`), the version is asked of this source instead:
    /// `SQLDataVersionSource` hears other instances' writes through LISTEN/NOTIFY and reads the
    /// row only after one, instead of one read per lookup.
    var version: (any DataVersionSource)?
    let cache: AggregateCache
    let coverageCache: VersionedCache<AggregateQuery, AggregateCoverage>

    public init(base: any ActivityAggregator, database: Database, cache: AggregateCache = AggregateCache(capacity: 10_000, name: "indicator_values")) {
        self.base = base
        self.database = database
        self.cache = cache
        self.coverageCache = VersionedCache(capacity: 1_000, name: "indicator_coverage")
    }

    private func currentVersion() async throws -> Int64 {
        if let version { return try await version.current() }
        return try await database.withConnection { db in try await DataVersion.current(db) }
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        let version = try await currentVersion()
        return try await coverageCache.value(for: query, version: version) { try await base.coverage(query) }
    }

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        let version = try await currentVersion()
        // Computed under `version`: a write that lands meanwhile bumps it, so this answer is only
        // ever served while nothing has changed since before it was computed.
        return try await cache.value(for: query, version: version) { try await base.values(query) }
    }
}

/// Aggregate answers by query. 10,000 is far above what one programme's dashboards ask for.
public typealias AggregateCache = VersionedCache<AggregateQuery, [AggregateGroup: Double]>
