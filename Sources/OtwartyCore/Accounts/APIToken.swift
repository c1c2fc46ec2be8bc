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

    public init(tokenHash: String, userID: UserID, name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

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
}

extension AccountService {
    /// A new token for `user`; returns the secret, which is not stored and cannot be shown again.
    public func createAPIToken(for user: User, name: String, apiTokens: any APITokenRepository) async throws -> String {
        guard !user.isDisabled else { throw DomainError.conflict("The account \(user.email) is disabled.") }
        let token = APIToken.generate()
        try await apiTokens.create(APIToken(tokenHash: SecretToken.digest(token), userID: user.id,
                                            name: name.trimmingWhitespace().isEmpty ? "API token" : name.trimmingWhitespace(),
                                            createdAt: now()))
        try await repositories.audit.record(AuditEntry(at: now(), actorUserID: user.id, action: "token.created",
                                                       subject: "user:\(user.id)", detail: name))
        return token
    }

    /// The enabled user behind a bearer token, or nil for an unknown, revoked or malformed one.
    public func authenticate(bearer token: String, apiTokens: any APITokenRepository) async throws -> User? {
        guard APIToken.isWellFormed(token) else { return nil }
        let hash = SecretToken.digest(token)
        guard let stored = try await apiTokens.token(hash: hash), stored.revokedAt == nil,
              let user = try await repositories.users.user(id: stored.userID), !user.isDisabled
        else { return nil }
        // Recorded at most once a minute per token, so reading the API does not write on every call.
        if stored.lastUsedAt.map({ now().timeIntervalSince($0) > 60 }) ?? true {
            try await apiTokens.markUsed(hash: hash, at: now())
        }
        return user
    }
}
