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

    public init(capacity: Int) { self.capacity = capacity }

    /// The kept value for `key` at `current`, or nil (also when `current` is a new version).
    public func lookup(_ key: Key, version current: Int64) -> Value? {
        if current != version {
            version = current
            entries.removeAll(keepingCapacity: true)
            return nil
        }
        return entries[key]
    }

    /// Keeps `value`, computed from data at version `computed`, unless the data changed since.
    public func store(_ value: Value, for key: Key, version computed: Int64) {
        guard computed == version else { return }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
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
