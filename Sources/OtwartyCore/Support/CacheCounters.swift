import Foundation

/// How often a kind of cache answered from memory, how often it had to compute, and how often it
/// started again empty: what `/metrics` reports as `otwarty_cache_*` (read at scrape time, so Core
/// stays free of any metrics library).
///
/// One set of counters per cache *name*, shared by every `VersionedCache` of that name in the
/// process: a server is one process with one cache of each kind, and a sum over instances is what
/// a monitoring system wants anyway (the test process, which builds many servers, just sees larger
/// numbers that still only grow).
public final class CacheCounters: @unchecked Sendable {
    public struct Reading: Sendable, Equatable {
        public var name: String
        /// Lookups answered from memory.
        public var hits: Int
        /// Lookups that had to compute (including those right after a new data version).
        public var misses: Int
        /// Times the cache emptied because the data version moved on (a write somewhere).
        public var versionResets: Int
        /// Times the cache emptied because it was full (`capacity`): many should make one raise it.
        public var capacityResets: Int
    }

    public let name: String
    private let lock = NSLock()
    private var hits = 0, misses = 0, versionResets = 0, capacityResets = 0

    private init(name: String) { self.name = name }

    func hit() { lock.withLock { hits += 1 } }
    func miss() { lock.withLock { misses += 1 } }
    func versionReset() { lock.withLock { versionResets += 1 } }
    func capacityReset() { lock.withLock { capacityResets += 1 } }

    public var reading: Reading {
        lock.withLock {
            Reading(name: name, hits: hits, misses: misses, versionResets: versionResets, capacityResets: capacityResets)
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var table: [String: CacheCounters] = [:]

    /// The process's counters for caches called `name` (made on first use).
    public static func named(_ name: String) -> CacheCounters {
        lock.withLock {
            if let counters = table[name] { return counters }
            let counters = CacheCounters(name: name)
            table[name] = counters
            return counters
        }
    }

    /// Every cache kind made so far in this process, by name.
    public static var all: [Reading] {
        let counters = lock.withLock { Array(table.values) }
        return counters.map(\.reading).sorted { $0.name < $1.name }
    }
}
