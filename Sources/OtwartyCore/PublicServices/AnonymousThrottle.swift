import Crypto
import Foundation

/// Rate limits for the anonymous public forms — the incident form and API, and the forms that feed
/// official figures (service-point ratings, Ambassador nominations, patronage requests).
///
/// Counts live in an `AnonymousThrottleStore`: the database in a deployment, so every instance
/// behind a proxy counts against the same limits (issue 15). Windows are fixed (`window` seconds,
/// counted from 1970) and the same on every instance; a client's count and the count of all clients
/// together both reset when a window ends. A refused attempt counts nowhere, so one client sending
/// in a loop cannot use up the overall limit others share.
///
/// A client is known only by an HMAC of action, window and address under a key derived from the
/// server secret (the incident key, a file beside the database and never inside it or its
/// backups): the table holds no address, a database copy alone cannot test guessed addresses
/// against it, and a client's keys in two windows cannot be linked. Rows end with their window.
/// No audit entry is written: a count is no decision about anyone, and an entry per attempt
/// would itself be the record of reporters this avoids.
public struct AnonymousThrottle: Sendable {
    public struct Limit: Sendable, Equatable {
        public var perClient: Int
        public var overall: Int
        public init(perClient: Int, overall: Int) {
            self.perClient = perClient
            self.overall = overall
        }
    }

    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A new report.
        case report
        /// A status lookup or added information (each tries a passphrase).
        case lookup
        /// A service-point rating (task 1.5).
        case rating
        /// An Ambassador nomination (task 4.2).
        case nomination
        /// A request for the Mayor's patronage (task 4.3, once granted).
        case patronage
    }

    /// The limits in one window before `OTWARTY_ANONYMOUS_LIMIT_FACTOR` multiplies them.
    public static let standardLimits: [Action: Limit] = [
        .report: Limit(perClient: 5, overall: 200), .lookup: Limit(perClient: 20, overall: 1_000),
        .rating: Limit(perClient: 10, overall: 600), .nomination: Limit(perClient: 5, overall: 200),
        .patronage: Limit(perClient: 5, overall: 100),
    ]
    /// The range `OTWARTY_ANONYMOUS_LIMIT_FACTOR` accepts.
    public static let factorRange = 1...1_000

    public let window: TimeInterval
    /// The limits in force, the factor applied.
    public let limits: [Action: Limit]
    let store: any AnonymousThrottleStore
    let keyBytes: Data
    private let purges = PurgeMark()

    /// - Parameters:
    ///   - store: where counts live (`InMemoryAnonymousThrottleStore` for one process).
    ///   - secret: keys the client digests; instances sharing a store must share it (nil: a random
    ///     key of this process, enough for an in-memory store).
    ///   - factor: multiplies every limit (a city with heavy traffic; crash and load rigs).
    public init(store: any AnonymousThrottleStore = InMemoryAnonymousThrottleStore(), secret: Data? = nil,
                factor: Int = 1, window: TimeInterval = 600, limits: [Action: Limit] = AnonymousThrottle.standardLimits) {
        self.store = store
        self.window = window
        let factor = min(max(factor, Self.factorRange.lowerBound), Self.factorRange.upperBound)
        self.limits = limits.mapValues { Limit(perClient: $0.perClient * factor, overall: $0.overall * factor) }
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256),
                                             info: Data("otwarty anonymous throttle v1".utf8), outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Data($0) }
    }

    /// The key derived from the server's incident key, as every instance loads the same one.
    public init(store: any AnonymousThrottleStore, deriving cipher: FieldCipher, factor: Int = 1) {
        self.init(store: store, secret: cipher.keyBytes, factor: factor)
    }

    /// Counts the attempt and says whether it may go ahead; the seconds to wait when not.
    public func allow(_ action: Action, client: String, now: Date) async throws -> (allowed: Bool, retryAfter: Int) {
        let index = (now.timeIntervalSince1970 / window).rounded(.down)
        let ends = Date(timeIntervalSince1970: (index + 1) * window)
        // Rows of ended windows go at the first attempt of each new window (and in housekeeping),
        // so they are removed even where nobody runs housekeeping.
        if purges.firstSighting(of: index) { try? await store.purge(before: now) }
        let limit = limits[action] ?? Limit(perClient: 1, overall: 1)
        let counted = try await store.take(clientKey: clientKey(action, client: client, window: index), clientLimit: limit.perClient,
                                           overallKey: "all:\(action.rawValue):\(Int64(index))", overallLimit: limit.overall,
                                           expiresAt: ends)
        return counted ? (true, 0) : (false, max(1, Int(ends.timeIntervalSince(now).rounded(.up))))
    }

    /// HMAC-SHA256 of action, window and address: the only form a client takes in the store.
    func clientKey(_ action: Action, client: String, window index: Double) -> String {
        let message = Data("\(action.rawValue)\n\(Int64(index))\n\(client)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes))
        return "client:" + SHA256Hex.lowercaseHex(Array(mac))
    }
}

/// Where anonymous counts live. Implementations count atomically: of parallel attempts (from
/// every instance sharing the store) no more than the limit are counted.
public protocol AnonymousThrottleStore: Sendable {
    /// Adds one to both counts when both are below their limits and says whether it did; counts
    /// not yet stored start at zero. Both keys end at `expiresAt`.
    func take(clientKey: String, clientLimit: Int, overallKey: String, overallLimit: Int, expiresAt: Date) async throws -> Bool
    /// Removes the counts of windows that ended at or before `before`.
    func purge(before: Date) async throws
}

/// Counts in this process only: the web tests' store, and the default where no database is given.
public final class InMemoryAnonymousThrottleStore: AnonymousThrottleStore, @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: (hits: Int, expiresAt: Date)] = [:]

    public init() {}

    public func take(clientKey: String, clientLimit: Int, overallKey: String, overallLimit: Int, expiresAt: Date) async throws -> Bool {
        lock.withLock {
            guard counts[clientKey]?.hits ?? 0 < clientLimit, counts[overallKey]?.hits ?? 0 < overallLimit else { return false }
            counts[clientKey] = ((counts[clientKey]?.hits ?? 0) + 1, expiresAt)
            counts[overallKey] = ((counts[overallKey]?.hits ?? 0) + 1, expiresAt)
            return true
        }
    }

    public func purge(before: Date) async throws {
        lock.withLock { counts = counts.filter { $0.value.expiresAt > before } }
    }

    /// How many keys are held (tests: expired windows are removed).
    public var keyCount: Int { lock.withLock { counts.count } }
}

/// Remembers the last window this process purged for, so the purge runs once per window here.
private final class PurgeMark: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Double = -1
    func firstSighting(of window: Double) -> Bool {
        lock.withLock {
            guard window > last else { return false }
            last = window
            return true
        }
    }
}
