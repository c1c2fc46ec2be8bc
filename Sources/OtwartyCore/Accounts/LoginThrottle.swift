import Foundation

/// Limits password guessing. Failures are counted per account and per client address inside a
/// sliding window; past either limit, sign-in answers 429 until old failures leave the window.
public struct LoginThrottlePolicy: Sendable, Equatable {
    public var window: TimeInterval
    public var maxFailuresPerAccount: Int
    public var maxFailuresPerClient: Int

    public init(window: TimeInterval = 15 * 60, maxFailuresPerAccount: Int = 5, maxFailuresPerClient: Int = 20) {
        self.window = window
        self.maxFailuresPerAccount = maxFailuresPerAccount
        self.maxFailuresPerClient = maxFailuresPerClient
    }

    public func isBlocked(accountFailures: Int, clientFailures: Int) -> Bool {
        accountFailures >= maxFailuresPerAccount || clientFailures >= maxFailuresPerClient
    }
}

/// The throttle keys: digests, so the table never holds addresses or e-mails in clear.
public enum ThrottleKey {
    public static func account(_ email: String) -> String { "account:" + SecretToken.digest(email.lowercased()) }
    public static func client(_ address: String) -> String { "client:" + SecretToken.digest(address) }
}
