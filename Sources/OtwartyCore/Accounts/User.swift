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

/// A city unit, institution or partner organisation. Issue-3 work extends this with the full
/// directory; accounts only need to be bound to one.
public struct Organisation: Hashable, Sendable, Codable {
    public var id: OrganisationID
    public var name: String
    public var kind: OrganisationKind
    public init(id: OrganisationID, name: String, kind: OrganisationKind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}

public enum OrganisationKind: String, Hashable, Sendable, Codable, CaseIterable {
    case cityOfficeUnit = "city-office-unit"
    case municipalUnit = "municipal-unit"
    case culturalInstitution = "cultural-institution"
    case ngo
    case minorityOrganisation = "minority-organisation"
    /// External partners named in § 6 ust. 5.
    case police
    case stateAdministration = "state-administration"
    case school
    case university
    case consulate
    case media
    case districtCouncil = "district-council"
    case otherPartner = "other-partner"
}
