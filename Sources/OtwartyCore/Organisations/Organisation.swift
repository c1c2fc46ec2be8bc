import Foundation

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
