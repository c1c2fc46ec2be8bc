/// What someone reports through the public form or `POST /api/v1/incidents`. Nothing about the
/// reporter is collected but what they choose to give: no name field, a rough place only, an
/// optional contact with a separate consent.
public struct IncidentReport: Hashable, Sendable {
    public var narrative: String
    public var occurredOn: CalendarDate?
    public var district: District?
    /// A rough place ("tram stop at Rondo Mogilskie"), never a home address.
    public var place: String
    public var category: IncidentCategory
    public var motivations: Set<BiasMotivation>
    public var reporterRole: ReporterRole
    public var policeInformed: PoliceInformed
    public var contact: String
    public var consentToContact: Bool
    public var language: String

    public init(narrative: String, occurredOn: CalendarDate?, district: District?, place: String, category: IncidentCategory,
                motivations: Set<BiasMotivation>, reporterRole: ReporterRole, policeInformed: PoliceInformed,
                contact: String, consentToContact: Bool, language: String) {
        self.narrative = narrative
        self.occurredOn = occurredOn
        self.district = district
        self.place = place
        self.category = category
        self.motivations = motivations
        self.reporterRole = reporterRole
        self.policeInformed = policeInformed
        self.contact = contact
        self.consentToContact = consentToContact
        self.language = language
    }

    public static let maxNarrative = 10_000
    public static let maxPlace = 200
    public static let maxContact = 200

    /// Problems by field; `today` bounds the date (an incident cannot be in the future).
    public func problems(today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        let text = narrative.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { add("narrative", "error.incident.narrative", "describe what happened") }
        if narrative.count > Self.maxNarrative { add("narrative", "error.incident.too-long", "at most \(Self.maxNarrative) characters") }
        if place.count > Self.maxPlace { add("place", "error.incident.too-long", "at most \(Self.maxPlace) characters") }
        if contact.count > Self.maxContact { add("contact", "error.incident.too-long", "at most \(Self.maxContact) characters") }
        if let occurredOn, occurredOn > today { add("occurredOn", "error.incident.future", "the date is in the future") }
        if let occurredOn, occurredOn.year < today.year - 5 { add("occurredOn", "error.incident.too-old", "more than 5 years ago") }
        if motivations.isEmpty { add("motivation", "error.incident.motivation", "choose at least one (or other)") }
        if consentToContact && contact.trimmingCharacters(in: .whitespaces).isEmpty {
            add("contact", "error.incident.contact", "give a contact, or do not ask to be contacted")
        }
        return errors
    }
}

import Foundation
