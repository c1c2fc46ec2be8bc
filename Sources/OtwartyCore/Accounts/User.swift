import Foundation

public typealias UserID = Int64
public typealias OrganisationID = Int64

public struct User: Hashable, Sendable {
    public var id: UserID
    /// Stored lower-cased: addresses compare case-insensitively here.
    public var email: String
    public var displayName: String
    public var role: Role
    public var organisationID: OrganisationID?
    /// nil until the person has chosen a password through their one-time link.
    public var passwordHash: String?
    public var isDisabled: Bool
    public var createdAt: Date

    public init(id: UserID, email: String, displayName: String, role: Role, organisationID: OrganisationID?,
                passwordHash: String?, isDisabled: Bool, createdAt: Date) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.organisationID = organisationID
        self.passwordHash = passwordHash
        self.isDisabled = isDisabled
        self.createdAt = createdAt
    }

    public var canSignIn: Bool { !isDisabled && passwordHash != nil }
}

/// Fields for a user not yet stored.
public struct NewUser: Sendable {
    public var email: String
    public var displayName: String
    public var role: Role
    public var organisationID: OrganisationID?
    public var passwordHash: String?
    public init(email: String, displayName: String, role: Role, organisationID: OrganisationID?, passwordHash: String?) {
        self.email = email
        self.displayName = displayName
        self.role = role
        self.organisationID = organisationID
        self.passwordHash = passwordHash
    }
}
