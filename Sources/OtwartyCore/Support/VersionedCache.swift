/// Answers kept until the data version changes (`DataVersionSource`: every record and reference
/// write bumps it). The caller reads the version first and passes it with each lookup; a version
/// other than the one the cache holds empties it. An answer computed under a version that is no
/// longer current when it is ready is handed back but not kept, so nothing stale is ever served
/// after a change, whichever process made it. Used for indicator answers
/// (`CachingActivityAggregator`) and rendered public pages (`PublicController`).
public actor VersionedCache<Key: Hashable & Sendable, Value: Sendable> {
    private var version: Int64 = -1
    private var entries: [Key: Value] = [:]
    /// A bound so odd keys cannot grow the cache forever: when full it starts again empty.
    public let capacity: Int
    /// Hits, misses and resets, shared by the caches of this name (`/metrics` reads them).
    public nonisolated let counters: CacheCounters

    /// `name` labels the cache in `/metrics` (`otwarty_cache_hits_total{cache="…"}`).
    public init(capacity: Int, name: String = "other") {
        self.capacity = capacity
        self.counters = CacheCounters.named(name)
    }

    /// The kept value for `key` at `current`, or nil (also when `current` is a new version).
    public func lookup(_ key: Key, version current: Int64) -> Value? {
        if current != version {
            if !entries.isEmpty { counters.versionReset() }
            version = current
            entries.removeAll(keepingCapacity: true)
            counters.miss()
            return nil
        }
        guard let value = entries[key] else {
            counters.miss()
            return nil
        }
        counters.hit()
        return value
    }

    /// Keeps `value`, computed from data at version `computed`, unless the data changed since.
    public func store(_ value: Value, for key: Key, version computed: Int64) {
        guard computed == version else { return }
        if entries.count >= capacity {
            counters.capacityReset()
            entries.removeAll(keepingCapacity: true)
        }
        entries[key] = value
    }

    /// The kept value, or `compute`'s (run only on a miss, kept for the version read before it ran).
    public func value(for key: Key, version: Int64, compute: () async throws -> Value) async rethrows -> Value {
        if let hit = lookup(key, version: version) { return hit }
        let value = try await compute()
        store(value, for: key, version: version)
        return value
    }
}
