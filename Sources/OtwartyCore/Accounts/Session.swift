import Foundation

/// A signed-in browser session kept on the server. The cookie carries a random token; the
/// database keeps only its SHA-256, so a copy of the database cannot be used to sign in.
public struct Session: Hashable, Sendable {
    public var tokenHash: String
    public var userID: UserID
    /// Per-session secret echoed in every form, checked on every unsafe request.
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    /// A role that requires a second factor signed in without one: this session reaches only the
    /// enrolment page and sign-out (`SessionMiddleware`). Confirming a factor replaces it.
    public var enrolmentOnly: Bool
    /// An incident handler's private key, sealed under a key derived from the cookie's token
    /// (`IncidentCrypto.wrap(_:sessionToken:)`): the database holds only the token's digest, so
    /// this opens only with the browser's cookie, on any instance. Ends with the session.
    public var incidentKey: String?

    public init(tokenHash: String, userID: UserID, csrfToken: String, createdAt: Date, lastSeenAt: Date,
                enrolmentOnly: Bool = false, incidentKey: String? = nil) {
        self.incidentKey = incidentKey
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.enrolmentOnly = enrolmentOnly
    }
}

/// How long sessions live. OWASP suggests 15–30 minutes idle for applications holding personal
/// data and a hard limit of a working day.
public struct SessionPolicy: Sendable, Equatable {
    public var idleTimeout: TimeInterval
    public var absoluteTimeout: TimeInterval
    /// lastSeenAt is written at most this often, so reading pages does not write on every request.
    public var touchInterval: TimeInterval

    public init(idleTimeout: TimeInterval = 30 * 60, absoluteTimeout: TimeInterval = 12 * 3600,
                touchInterval: TimeInterval = 60) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.touchInterval = touchInterval
    }

    public func isExpired(_ session: Session, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) > idleTimeout
            || now.timeIntervalSince(session.createdAt) > absoluteTimeout
    }

    public func needsTouch(_ session: Session, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) >= touchInterval
    }
}

/// Random tokens and their stored digests.
public enum SecretToken {
    /// 32 random bytes as 64 lowercase hex characters (safe in cookies and URLs).
    /// Four 64-bit draws: every anonymous page view makes one, so this is on the public pages'
    /// hot path.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return SHA256Hex.lowercaseHex(bytes)
    }

    public static func digest(_ token: String) -> String { SHA256Hex.digest(token) }

    /// Comparison whose duration does not depend on where the strings first differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
