import NIOCore
import OtwartyCore

/// What `/api/v1/indicators` answers for, once parsed: the `programme` asked for (nil: the first
/// programme) and a year already inside `NumberRange.year`.
public struct IndicatorAPIKey: Hashable, Sendable {
    public var programme: String?
    public var year: Int
}

/// The indicator API's JSON per programme and year, kept until the data version moves (every write
/// the indicator engine reads bumps it: records, reference statistics, registers, coordinators,
/// ratings, data imports, the programme itself), on every instance at once on PostgreSQL
/// (LISTEN/NOTIFY, `SQLDataVersionSource`). Without it every call decoded the whole programme
/// and ran the engine (~4 ms of CPU), and the API missed p99 ≤ 100 ms at 200 req/s.
///
/// Bounded: only answers for a stored programme and a year of its period are kept (the handler
/// checks), and at most 256 of them (a programme's year is 5–10 kB of JSON, so ~2.5 MB at most);
/// when full the cache starts again empty.
public typealias IndicatorAPICache = VersionedCache<IndicatorAPIKey, ByteBuffer>

extension VersionedCache where Key == IndicatorAPIKey, Value == ByteBuffer {
    public init() { self.init(capacity: 256, name: "api_indicators") }
}
