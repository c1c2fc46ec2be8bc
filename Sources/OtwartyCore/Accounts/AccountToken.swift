import Foundation

/// A one-time link that lets a person choose their password: the first administrator's setup
/// link, an invitation, or a reset issued by an administrator. Only the token's digest is stored.
public struct AccountToken: Hashable, Sendable {
    public enum Purpose: String, Sendable, Codable, CaseIterable {
        /// Creates the first administrator; only valid while no administrator exists.
        case setup
        /// Lets an existing (invited) user set a password.
        case invitation
    }

    public var tokenHash: String
    public var purpose: Purpose
    /// The invited user; nil for setup.
    public var userID: UserID?
    public var expiresAt: Date
    public var usedAt: Date?

    public init(tokenHash: String, purpose: Purpose, userID: UserID?, expiresAt: Date, usedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.purpose = purpose
        self.userID = userID
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    public func isUsable(at now: Date) -> Bool { usedAt == nil && now < expiresAt }
}
