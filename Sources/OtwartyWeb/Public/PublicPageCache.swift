import NIOCore
import OtwartyCore

/// Rendered public pages by key, kept until the data version changes (`VersionedCache`): an
/// approval (or any record or reference write) bumps the version in the database, so the next
/// request renders afresh; every request pays one version read, which keeps instances sharing a
/// database consistent. Kept as ByteBuffers: a hit is handed to the response without copying the page.
public typealias PublicPageCache = VersionedCache<String, ByteBuffer>

extension VersionedCache where Key == String, Value == ByteBuffer {
    /// The pages of one instance: 2,000 is every language × year × page variant many times over.
    public init() { self.init(capacity: 2_000, name: "public_pages") }

    /// `render` runs only on a miss; its bytes are kept for the version read before it ran.
    func page(_ key: String, version: Int64, render: () async throws -> [UInt8]) async rethrows -> ByteBuffer {
        try await value(for: key, version: version) { ByteBuffer(bytes: try await render()) }
    }
}
