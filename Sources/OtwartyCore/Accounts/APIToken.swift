import Foundation

/// A personal API token, sent as `Authorization: Bearer otw_…`. Only its SHA-256 is stored;
/// the token itself is shown once, when it is made.
public struct APIToken: Hashable, Sendable {
    public var tokenHash: String
    public var userID: UserID
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
    /// The token stops working at this moment.
    public var expiresAt: Date

    /// `expiresAt` defaults to `defaultLifetimeDays` after `createdAt`.
    public init(tokenHash: String, userID: UserID, name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil,
                expiresAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt ?? createdAt.addingTimeInterval(Double(Self.defaultLifetimeDays) * 86_400)
    }

    /// How long a token lives unless its maker chooses otherwise, and the choices allowed.
    public static let defaultLifetimeDays = 90
    public static let lifetimeDays = 1...365

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// The prefix makes leaked tokens easy to recognise for secret scanners.
    public static let prefix = "otw_"

    public static func generate() -> String { prefix + SecretToken.generate() }

    public static func isWellFormed(_ token: String) -> Bool {
        token.hasPrefix(prefix) && token.utf8.count == prefix.utf8.count + 64
            && token.utf8.dropFirst(prefix.utf8.count).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

public protocol APITokenRepository: Sendable {
    func create(_ token: APIToken) async throws
    func token(hash: String) async throws -> APIToken?
    func markUsed(hash: String, at: Date) async throws
    func tokens(userID: UserID) async throws -> [APIToken]
    func revoke(hash: String, at: Date) async throws
    /// Ends every live token of a user (password reset, disabling); returns how many.
    @discardableResult
    func revokeAll(userID: UserID, at: Date) async throws -> Int
}

extension AccountService {
    /// A new token for `user`, valid for `days` days (1–365); returns the secret, which is not
    /// stored and cannot be shown again.
    public func createAPIToken(for user: User, name: String, days: Int = APIToken.defaultLifetimeDays,
                               apiTokens: any APITokenRepository) async throws -> String {
        guard APIToken.lifetimeDays.contains(days) else {
            throw DomainError.invalid([FieldError(field: "days", messageKey: "error.token.days",
                                                  message: "must be a whole number of days from \(APIToken.lifetimeDays.lowerBound) to \(APIToken.lifetimeDays.upperBound)")])
        }
        guard !user.isDisabled else { throw DomainError.conflict("The account \(user.email) is disabled.") }
        let token = APIToken.generate()
        let at = clock.now()
        let stored = APIToken(tokenHash: SecretToken.digest(token), userID: user.id,
                              name: name.trimmingWhitespace().isEmpty ? "API token" : name.trimmingWhitespace(),
                              createdAt: at, expiresAt: at.addingTimeInterval(Double(days) * 86_400))
        // The token and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await repositories.audit.atomically { [self] in
            try await apiTokens.create(stored)
            try await repositories.audit.record(AuditEntry(at: at, actorUserID: user.id, action: "token.created",
                                                           subject: "user:\(user.id)", detail: "\(name) (\(days) days)"))
        }
        return token
    }

    /// Ends all of a user's API tokens, with an audit entry naming why.
    func revokeAPITokens(of userID: UserID, by actor: UserID?, reason: String) async throws {
        try await repositories.audit.atomically { [self] in
            let count = try await repositories.apiTokens.revokeAll(userID: userID, at: clock.now())
            if count > 0 {
                try await audit(actor: actor, "token.revoked", subject: "user:\(userID)", detail: "\(count) token(s): \(reason)")
            }
        }
    }

    /// The enabled user behind a bearer token, or nil for an unknown, revoked, expired or malformed one.
    public func authenticate(bearer token: String, apiTokens: any APITokenRepository) async throws -> User? {
        guard APIToken.isWellFormed(token) else { return nil }
        let hash = SecretToken.digest(token)
        guard let stored = try await apiTokens.token(hash: hash), stored.isUsable(at: clock.now()),
              let user = try await repositories.users.user(id: stored.userID), !user.isDisabled
        else { return nil }
        // Recorded at most once a minute per token, so reading the API does not write on every call.
        if stored.lastUsedAt.map({ clock.now().timeIntervalSince($0) > 60 }) ?? true {
            try await apiTokens.markUsed(hash: hash, at: clock.now())
        }
        return user
    }
}
