import Foundation
import Hummingbird

/// Rate limits for the anonymous public forms — the incident form and API, and the forms that
/// feed official figures (service-point ratings, Ambassador nominations, patronage requests) —
/// kept in memory only. A client is known by
/// Swift's `Hasher` of its address — seeded randomly per process, so the numbers mean nothing
/// outside this process and nothing about a reporter is written anywhere. Counts live for one
/// window; a global cap also holds when addresses are hidden behind a proxy.
public final class AnonymousThrottle: @unchecked Sendable {
    public struct Limit: Sendable {
        public var perClient: Int
        public var overall: Int
        public init(perClient: Int, overall: Int) {
            self.perClient = perClient
            self.overall = overall
        }
    }

    public enum Action: Sendable, Hashable {
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

    let window: TimeInterval
    let limits: [Action: Limit]
    private let lock = NSLock()
    private var windowStart: Date = .distantPast
    private var counts: [Int: Int] = [:]
    private var overall: [Action: Int] = [:]

    public init(window: TimeInterval = 600,
                report: Limit = Limit(perClient: 5, overall: 200), lookup: Limit = Limit(perClient: 20, overall: 1_000),
                rating: Limit = Limit(perClient: 10, overall: 600), nomination: Limit = Limit(perClient: 5, overall: 200),
                patronage: Limit = Limit(perClient: 5, overall: 100)) {
        self.window = window
        limits = [.report: report, .lookup: lookup, .rating: rating, .nomination: nomination, .patronage: patronage]
    }

    /// Counts the attempt and says whether it may go ahead; the seconds to wait when not.
    public func allow(_ action: Action, client: String, now: Date = Date()) -> (allowed: Bool, retryAfter: Int) {
        lock.withLock {
            if now.timeIntervalSince(windowStart) >= window {
                windowStart = now
                counts.removeAll(keepingCapacity: true)
                overall.removeAll()
            }
            var hasher = Hasher()
            hasher.combine(action)
            hasher.combine(client)
            let key = hasher.finalize()
            let limit = limits[action] ?? Limit(perClient: 1, overall: 1)
            let retry = max(1, Int((window - now.timeIntervalSince(windowStart)).rounded(.up)))
            guard counts[key, default: 0] < limit.perClient, overall[action, default: 0] < limit.overall else {
                return (false, retry)
            }
            counts[key, default: 0] += 1
            overall[action, default: 0] += 1
            return (true, 0)
        }
    }
}

extension AnonymousThrottle {
    /// Counts the attempt; throws 429 with Retry-After when over the limit.
    func check(_ action: Action, client: String, now: Date) throws {
        let verdict = allow(action, client: client, now: now)
        guard verdict.allowed else { throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(verdict.retryAfter)]) }
    }
}
