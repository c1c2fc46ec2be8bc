import Foundation

public typealias IncidentID = Int64

/// What happened, as the reporter chose it (OSCE/ODIHR-style types of incident).
public enum IncidentCategory: String, Hashable, Sendable, Codable, CaseIterable {
    case physicalAttack = "physical-attack"
    case threat
    case propertyDamage = "property-damage"
    case verbalAbuse = "verbal-abuse"
    case hateSpeechOrGraffiti = "hate-speech-graffiti"
    case onlineHate = "online-hate"
    case serviceDiscrimination = "service-discrimination"
    case other
}

/// The bias the reporter believes motivated the incident (OSCE/ODIHR's bias categories, narrowed
/// to those the programme names). A report may name several.
public enum BiasMotivation: String, Hashable, Sendable, Codable, CaseIterable {
    case ethnicity, nationality
    case skinColour = "skin-colour"
    case religion, language, other
}

public enum ReporterRole: String, Hashable, Sendable, Codable, CaseIterable {
    case victim, witness
    /// Someone reporting for a victim: an organisation, a relative, a teacher…
    case onBehalf = "on-behalf"
}

public enum PoliceInformed: String, Hashable, Sendable, Codable, CaseIterable {
    case yes, no
    case unknown = "dont-know"
}

/// Where a case stands. The reporter sees this and the updates marked public.
public enum IncidentStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case received, triaged, referred, closed
}

/// The handler's classification at triage.
public enum IncidentClassification: String, Hashable, Sendable, Codable, CaseIterable {
    /// A hate crime: an offence under the Criminal Code with a bias motive (art. 119, 256, 257 k.k.).
    case crime
    /// A bias-motivated incident that is not an offence.
    case nonCrimeIncident = "non-crime-incident"
    case hateSpeech = "hate-speech"
    /// Looked into, and not bias-motivated; kept out of the statistics.
    case notBiasMotivated = "not-bias-motivated"

    /// A handler confirmed the case as bias-motivated: a hate crime, a non-crime bias incident or
    /// hate speech. Only such cases count in public figures (`IncidentFacts.countsInPublicFigures`).
    public var isBiasMotivated: Bool {
        switch self {
        case .crime, .nonCrimeIncident, .hateSpeech: true
        case .notBiasMotivated: false
        }
    }
}

/// How a case ended, chosen when it is closed. Spam, a test and a duplicate of another case are
/// not incidents: they are kept out of every public figure whatever their classification
/// (`IncidentFacts.countsInPublicFigures`), so closing a flood of fake reports, or the copy of a
/// case reported twice, moves no number.
public enum IncidentOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// The handler's work on the case is done (support given, matter settled).
    case resolved
    /// Passed to the police, a prosecutor, an NGO or a city unit, who carry it on.
    case referredOn = "referred-on"
    /// Nothing more could be done: the reporter could not be reached, too little to go on.
    case noFurtherAction = "no-further-action"
    case spam
    /// A test report (training, trying the form).
    case test
    /// The same incident as another case, named by its code (`IncidentMetadata.duplicateOf`).
    case duplicate

    /// Not an incident at all: never counted in public figures.
    public var excludesFromStatistics: Bool {
        switch self {
        case .spam, .test, .duplicate: true
        case .resolved, .referredOn, .noFurtherAction: false
        }
    }
}

/// Where a case was referred.
public enum ReferralTarget: String, Hashable, Sendable, Codable, CaseIterable {
    case police
    case prosecutor
    case legalAidNGO = "legal-aid-ngo"
    case ombudsman
    case cityUnit = "city-unit"
    case psychologicalSupport = "psychological-support"
    case other
}

/// What is known about a case besides its free text: kept in the clear (lists, statistics and
/// the retention rule need it), shared by the sealed form storage holds (`StoredIncident`) and
/// the decrypted form a handler reads (`IncidentCase`).
public struct IncidentMetadata: Hashable, Sendable {
    public var id: IncidentID
    public var caseCode: String
    public var receivedOn: CalendarDate
    /// The day it happened, when the reporter gave one.
    public var occurredOn: CalendarDate?
    public var district: District?
    public var category: IncidentCategory
    public var motivations: Set<BiasMotivation>
    public var reporterRole: ReporterRole
    public var policeInformed: PoliceInformed
    /// The interface language the report was made in: the language to answer in.
    public var language: String
    public var consentToContact: Bool
    public var status: IncidentStatus
    public var classification: IncidentClassification?
    public var closedOn: CalendarDate?
    /// How the case ended (set when it is closed).
    public var outcomeKind: IncidentOutcome?
    /// For a duplicate: the code of the case it repeats.
    public var duplicateOf: String?
    /// Set once the retention rule removed the free text and contact.
    public var purgedOn: CalendarDate?

    public init(id: IncidentID = 0, caseCode: String, receivedOn: CalendarDate, occurredOn: CalendarDate?, district: District?,
                category: IncidentCategory, motivations: Set<BiasMotivation>, reporterRole: ReporterRole,
                policeInformed: PoliceInformed, language: String, consentToContact: Bool, status: IncidentStatus = .received,
                classification: IncidentClassification? = nil, closedOn: CalendarDate? = nil, purgedOn: CalendarDate? = nil,
                outcomeKind: IncidentOutcome? = nil, duplicateOf: String? = nil) {
        self.outcomeKind = outcomeKind
        self.duplicateOf = duplicateOf
        self.id = id
        self.caseCode = caseCode
        self.receivedOn = receivedOn
        self.occurredOn = occurredOn
        self.district = district
        self.category = category
        self.motivations = motivations
        self.reporterRole = reporterRole
        self.policeInformed = policeInformed
        self.language = language
        self.consentToContact = consentToContact
        self.status = status
        self.classification = classification
        self.closedOn = closedOn
        self.purgedOn = purgedOn
    }
}

/// A case as the handler works on it. Free text and contact are decrypted only here, in memory,
/// for someone allowed to see them; storage holds them encrypted (`FieldCipher`). The metadata
/// reads through: `incident.status`, `incident.caseCode`.
@dynamicMemberLookup
public struct IncidentCase: Hashable, Sendable {
    public var metadata: IncidentMetadata
    /// Decrypted free text and contact; nil after purging.
    public var narrative: String?
    public var place: String?
    public var contact: String?
    public var outcome: String?
    public var events: [IncidentEvent]
    /// Whether this handler's key opened the case; when locked, the texts above are nil and the
    /// page says why (`CaseAccess.Locked`).
    public var access: CaseAccess = .readable

    public init(metadata: IncidentMetadata, narrative: String?, place: String?, contact: String?, outcome: String? = nil,
                events: [IncidentEvent] = []) {
        self.metadata = metadata
        self.narrative = narrative
        self.place = place
        self.contact = contact
        self.outcome = outcome
        self.events = events
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<IncidentMetadata, T>) -> T {
        get { metadata[keyPath: keyPath] }
        set { metadata[keyPath: keyPath] = newValue }
    }
}

/// Something that happened in a case, oldest first.
public struct IncidentEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The handler's note or action.
        case action
        case referral
        /// Information the reporter added with the case code and passphrase.
        case reporterNote = "reporter-note"
        case statusChange = "status-change"
    }

    public var kind: Kind
    public var on: CalendarDate
    /// Decrypted text; nil after purging.
    public var text: String?
    public var referral: ReferralTarget?
    /// Shown to the reporter on the status page.
    public var isPublic: Bool
    public var by: UserID?
    /// For the reporter: the update has a text, but its copy sealed to the reporter's key is not
    /// made yet (a case from before reporter keys), so `text` is nil until a handler next opens
    /// the case. The status page says so rather than showing an empty update.
    public var textPending = false

    public init(kind: Kind, on: CalendarDate, text: String?, referral: ReferralTarget? = nil, isPublic: Bool = false,
                by: UserID? = nil) {
        self.kind = kind
        self.on = on
        self.text = text
        self.referral = referral
        self.isPublic = isPublic
        self.by = by
    }
}
