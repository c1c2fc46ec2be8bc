import Foundation
import Hummingbird
import OtwartyCore

// The anonymous public forms' limits are Core's `AnonymousThrottle`; their counts live in the
// database (`SQLAnonymousThrottleStore`) so they hold across instances. The client is the
// request's `clientAddress` (`ClientAddress`: the peer, or what a trusted proxy forwarded).
extension AnonymousThrottle {
    /// Counts the attempt; throws 429 with Retry-After when over the limit.
    func check(_ action: Action, client: String, now: Date) async throws {
        let verdict = try await allow(action, client: client, now: now)
        guard verdict.allowed else { throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(verdict.retryAfter)]) }
    }
}
