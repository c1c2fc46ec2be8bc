import Foundation

/// The resolution's task 5.5 ("rozwijanie asystentury międzykulturowej i romskiej"): the two kinds
/// of assistant the contact base lists.
public enum AssistantKind: String, CaseIterable, Hashable, Sendable, Codable {
    case intercultural
    case roma
}

/// One entry of the contact base of intercultural and Roma assistants (task 5.5's product).
///
/// Personal data: only what a school or the programme office needs to reach the assistant —
/// name, the languages spoken, the schools served, one work e-mail and/or phone, and the time in
/// post. Never on public pages or in open data (measure 5.5.a publishes a count only); shown to the
/// programme coordinator and to the organisation that keeps the entry (`RegisterService`).
public struct InterculturalAssistant: Hashable, Sendable {
    public var id: Int64
    /// The unit or NGO that employs or coordinates the assistant and keeps the entry up to date.
    public var organisationID: OrganisationID
    public var name: String
    public var kind: AssistantKind
    public var languages: [String]
    public var schools: [String]
    public var email: String
    public var phone: String
    public var validFrom: CalendarDate?
    public var validUntil: CalendarDate?

    public init(id: Int64 = 0, organisationID: OrganisationID, name: String, kind: AssistantKind, languages: [String] = [],
                schools: [String] = [], email: String = "", phone: String = "", validFrom: CalendarDate? = nil,
                validUntil: CalendarDate? = nil) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.kind = kind
        self.languages = languages
        self.schools = schools
        self.email = email
        self.phone = phone
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Active on at least one day of `year` (the rule every register shares).
    public func isActive(in year: Int) -> Bool {
        InMemoryMeasureSources.isActive(from: validFrom, until: validUntil, in: year)
    }
}

/// An assistant as typed in a form: languages comma-separated, schools one per line.
public struct AssistantInput: Sendable {
    public var organisationID: OrganisationID?
    public var name: String
    public var kind: String
    public var languages: String
    public var schools: String
    public var email: String
    public var phone: String
    public var validFrom: String
    public var validUntil: String

    public init(organisationID: OrganisationID?, name: String, kind: String, languages: String = "", schools: String = "",
                email: String = "", phone: String = "", validFrom: String = "", validUntil: String = "") {
        self.organisationID = organisationID
        self.name = name
        self.kind = kind
        self.languages = languages
        self.schools = schools
        self.email = email
        self.phone = phone
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}
