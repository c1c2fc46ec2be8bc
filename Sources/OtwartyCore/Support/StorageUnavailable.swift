/// The database did not answer: no connection could be made, or the one in use was lost (the
/// server restarting, a failover). Nothing the request did is acknowledged; it may be sent again.
/// The web layer answers 503 with `Retry-After`, never 500: the request was fine, the moment was not.
public struct StorageUnavailable: Error, CustomStringConvertible, Sendable {
    /// When a retry is worth it: a PostgreSQL restart with crash recovery takes seconds.
    public static let retryAfterSeconds = 5
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "The database is not answering at the moment; try again in a few seconds." }
}
