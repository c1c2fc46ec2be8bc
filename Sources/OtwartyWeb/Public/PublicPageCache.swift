import Foundation
import NIOCore

/// Rendered public pages, kept until the data version changes. An approval (or any record or
/// reference write) bumps the version in the database, so the next request renders afresh; every
/// request pays one primary-key read, which keeps instances sharing a database consistent.
public actor PublicPageCache {
    private var version: Int64 = -1
    private var pages: [String: ByteBuffer] = [:]
    let capacity: Int

    public init(capacity: Int = 2_000) { self.capacity = capacity }

    /// The cached bytes for `key` at `current`, or nil.
    func lookup(_ key: String, version current: Int64) -> ByteBuffer? {
        if current != version {
            version = current
            pages.removeAll(keepingCapacity: true)
            return nil
        }
        return pages[key]
    }

    func store(_ bytes: ByteBuffer, for key: String, version computed: Int64) {
        // Rendered from data older than what is now current: not kept.
        guard computed == version else { return }
        if pages.count >= capacity { pages.removeAll(keepingCapacity: true) }
        pages[key] = bytes
    }

    /// `render` runs only on a miss; its bytes are kept for the version read before it ran.
    /// Kept as a ByteBuffer: a hit is handed to the response without copying the page.
    func page(_ key: String, version: Int64, render: () async throws -> [UInt8]) async rethrows -> ByteBuffer {
        if let hit = lookup(key, version: version) { return hit }
        let bytes = ByteBuffer(bytes: try await render())
        store(bytes, for: key, version: version)
        return bytes
    }
}
