import Foundation

/// Limits password guessing, after OWASP's authentication guidance: limits per (account, client),
/// a higher limit per account from all clients, a limit per client across accounts, and delays
/// that grow with consecutive failures.
///
/// Every attempt is *reserved* in the database before the password is checked: the reservation is
/// a failure row written in the same transaction that counted the earlier ones, so parallel
/// requests cannot all pass the count (the database is the source of truth across instances).
/// A right password removes the (account, client) rows, its own reservation included; a wrong one
/// leaves the row as the failure it already is.
///
/// An attempt is refused (429 with `Retry-After`) while any of these holds:
/// - the (account, client) pair has `maxFailuresPerAccountAndClient` attempts in the window;
/// - the account has `maxFailuresPerAccount` attempts in the window, from all clients together;
/// - the client has `maxFailuresPerClient` attempts in the window, for all accounts together;
/// - the pair has at least `maxFailuresPerAccountAndClient` consecutive failures (since its last
///   successful sign-in, within `memory`) and the last one is more recent than the growing delay:
///   `firstDelay` after the limit is reached, doubling with each further failure, at most `maximumDelay`.
public struct LoginThrottlePolicy: Sendable, Equatable {
    public var window: TimeInterval
    public var maxFailuresPerAccountAndClient: Int
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerClient: Int
    public var firstDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long failures are remembered for the growing delay (and kept at all).
    public var memory: TimeInterval

    public init(window: TimeInterval = 15 * 60, maxFailuresPerAccountAndClient: Int = 5, maxFailuresPerAccount: Int = 50,
                maxFailuresPerClient: Int = 20, firstDelay: TimeInterval = 60, maximumDelay: TimeInterval = 3600,
                memory: TimeInterval = 24 * 3600) {
        self.window = window
        self.maxFailuresPerAccountAndClient = maxFailuresPerAccountAndClient
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerClient = maxFailuresPerClient
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.memory = max(memory, window)
    }

    /// The wait imposed after `consecutive` failures of one pair; 0 below the pair limit.
    public func delay(afterConsecutiveFailures consecutive: Int) -> TimeInterval {
        guard consecutive >= maxFailuresPerAccountAndClient else { return 0 }
        let doublings = min(consecutive - maxFailuresPerAccountAndClient, 30)
        return min(firstDelay * Double(1 << doublings), maximumDelay)
    }

    /// nil when the attempt may go ahead; otherwise the seconds to wait (at least 1).
    public func retryAfter(_ counts: LoginAttemptCounts, now: Date) -> Int? {
        var wait: TimeInterval = 0
        func untilWindowFrees(_ oldest: Date?) -> TimeInterval {
            guard let oldest else { return window }
            return oldest.addingTimeInterval(window).timeIntervalSince(now)
        }
        if counts.pairInWindow >= maxFailuresPerAccountAndClient { wait = max(wait, untilWindowFrees(counts.pairOldestInWindow)) }
        if counts.accountInWindow >= maxFailuresPerAccount { wait = max(wait, untilWindowFrees(counts.accountOldestInWindow)) }
        if counts.clientInWindow >= maxFailuresPerClient { wait = max(wait, untilWindowFrees(counts.clientOldestInWindow)) }
        if let last = counts.pairLastAttempt {
            let delay = delay(afterConsecutiveFailures: counts.pairConsecutive)
            if delay > 0 { wait = max(wait, last.addingTimeInterval(delay).timeIntervalSince(now)) }
        }
        guard wait > 0 else { return nil }
        return max(1, Int(wait.rounded(.up)))
    }
}

/// What the store holds about recent attempts for one sign-in, read inside the reserving transaction.
/// Reserved attempts whose password check has not finished count as failures.
public struct LoginAttemptCounts: Sendable, Equatable {
    public var pairInWindow: Int
    public var pairOldestInWindow: Date?
    /// Failures of the pair since its last successful sign-in, within the policy's memory.
    public var pairConsecutive: Int
    public var pairLastAttempt: Date?
    public var accountInWindow: Int
    public var accountOldestInWindow: Date?
    public var clientInWindow: Int
    public var clientOldestInWindow: Date?

    public init(pairInWindow: Int = 0, pairOldestInWindow: Date? = nil, pairConsecutive: Int = 0, pairLastAttempt: Date? = nil,
                accountInWindow: Int = 0, accountOldestInWindow: Date? = nil,
                clientInWindow: Int = 0, clientOldestInWindow: Date? = nil) {
        self.pairInWindow = pairInWindow
        self.pairOldestInWindow = pairOldestInWindow
        self.pairConsecutive = pairConsecutive
        self.pairLastAttempt = pairLastAttempt
        self.accountInWindow = accountInWindow
        self.accountOldestInWindow = accountOldestInWindow
        self.clientInWindow = clientInWindow
        self.clientOldestInWindow = clientOldestInWindow
    }
}

public enum LoginReservation: Sendable, Equatable {
    /// The attempt is recorded as a failure until a right password releases it.
    case reserved
    case refused(retryAfter: Int)
}

/// The throttle keys: digests, so the table never holds addresses or e-mails in clear.
public enum ThrottleKey {
    public static func account(_ email: String) -> String { "account:" + SecretToken.digest(email.lowercased()) }
    public static func client(_ address: String) -> String { "client:" + SecretToken.digest(address) }
}
