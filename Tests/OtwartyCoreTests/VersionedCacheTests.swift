import OtwartyCore
import Testing

/// The one cache of indicator answers and public pages: nothing is served across a data version.
@Suite struct VersionedCacheTests {
    @Test func aValueIsKeptUntilTheVersionChanges() async {
        let cache = VersionedCache<String, Int>(capacity: 10)
        var computed = 0
        func ask(_ version: Int64) async -> Int {
            await cache.value(for: "page", version: version) {
                computed += 1
                return computed
            }
        }
        #expect(await ask(1) == 1)
        #expect(await ask(1) == 1, "a hit")
        #expect(await ask(2) == 2, "a new version computes again")
        #expect(await ask(1) == 3, "an older version than the kept one is a miss too")
        #expect(computed == 3)
    }

    /// An answer computed under a version that is no longer current when it is ready is handed
    /// back but not kept: a write landed while it was computed.
    @Test func anAnswerFromBeforeAChangeIsNotKept() async {
        let cache = VersionedCache<String, String>(capacity: 10)
        #expect(await cache.lookup("k", version: 1) == nil)
        #expect(await cache.lookup("k", version: 2) == nil) // another request saw the write
        await cache.store("stale", for: "k", version: 1)
        #expect(await cache.lookup("k", version: 2) == nil)
        await cache.store("fresh", for: "k", version: 2)
        #expect(await cache.lookup("k", version: 2) == "fresh")
    }

    @Test func aFullCacheStartsAgainEmpty() async {
        let cache = VersionedCache<Int, Int>(capacity: 3)
        for key in 0..<3 { _ = await cache.value(for: key, version: 1) { key } }
        #expect(await cache.lookup(0, version: 1) == 0)
        _ = await cache.value(for: 3, version: 1) { 3 }
        #expect(await cache.lookup(0, version: 1) == nil)
        #expect(await cache.lookup(3, version: 1) == 3)
    }
}
