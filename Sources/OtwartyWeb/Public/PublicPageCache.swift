import NIOCore
import OtwartyCore

/// Rendered public pages by key, kept until the data version changes (`VersionedCache`): an
/// approval (or any record or reference write) bumps the version in the database, so the next
/// request renders afresh; every request pays one version read, which keeps instances sharing a
/// database consistent. Kept as ByteBuffers: a hit is handed to the response without copying the page.
public typealias PublicPageCache = VersionedCache<String, ByteBuffer>

extension VersionedCache where Key == String, Value == ByteBuffer {
    /// The progress pages of one instance. Keys are a language the LanguageMiddleware accepted,
    /// a year of the programme's period (or none) and the office's date — 4 × 6 a day with Kraków's
    /// programme — so 64 holds two days' worth; days pass without a write and the old days' pages
    /// stay until the cache is full and starts again. A page is ~85 kB at 10,000 records: ≤ 5.5 MB
    /// (2,000 entries, as before, allowed 170 MB after months without a write).
    public init() { self.init(capacity: 64, name: "public_pages") }

    /// `render` runs only on a miss; its bytes are kept for the version read before it ran.
    func page(_ key: String, version: Int64, render: () async throws -> [UInt8]) async rethrows -> ByteBuffer {
        try await value(for: key, version: version) { ByteBuffer(bytes: try await render()) }
    }
}
