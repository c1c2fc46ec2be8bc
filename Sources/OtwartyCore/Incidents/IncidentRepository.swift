import Foundation

/// What a case's texts are sealed with.
public enum IncidentSealing: String, Hashable, Sendable {
    /// The old server key (`incident.key`), before per-handler keys: re-sealed at the first
    /// handler sign-in after the upgrade (`IncidentKeyService.migrateLegacyCases`).
    case serverKey = "server-key"
    /// The case's own content key, sealed to its readers (`CaseContentKey`, `CaseKeyGrant`).
    case caseKey = "case-key"
}

/// An incident case as stored: its metadata in the clear, free text and contact sealed under the
/// case's content key (storage never sees a key that opens it), the passphrase as a digest.
/// Nothing about the reporter's device or address. The metadata reads through: `stored.status`.
@dynamicMemberLookup
public struct StoredIncident: Hashable, Sendable {
    public var metadata: IncidentMetadata
    public var passphraseDigest: String
    public var sealedNarrative: String?
    public var sealedPlace: String?
    public var sealedContact: String?
    public var sealedOutcome: String?
    public var sealing: IncidentSealing
    /// The public half of the content key: the reporter's additions are sealed to it.
    public var casePublicKey: Data?
    /// The public key derived from the reporter's passphrase: public updates are sealed to it.
    /// Nil for cases reported before it existed, until the reporter next opens the status page.
    public var reporterPublicKey: Data?
    /// The scrypt cost the reporter's key was derived with: kept with it, so the status page
    /// derives the same key after the operator changes `OTWARTY_INCIDENT_SCRYPT_LOG_N`.
    public var reporterKeyParameters: ScryptParameters?

    public init(metadata: IncidentMetadata, passphraseDigest: String, sealedNarrative: String?, sealedPlace: String?,
                sealedContact: String?, sealedOutcome: String? = nil, sealing: IncidentSealing = .caseKey,
                casePublicKey: Data? = nil, reporterPublicKey: Data? = nil, reporterKeyParameters: ScryptParameters? = nil) {
        self.reporterKeyParameters = reporterKeyParameters
        self.sealing = sealing
        self.casePublicKey = casePublicKey
        self.reporterPublicKey = reporterPublicKey
        self.metadata = metadata
        self.passphraseDigest = passphraseDigest
        self.sealedNarrative = sealedNarrative
        self.sealedPlace = sealedPlace
        self.sealedContact = sealedContact
        self.sealedOutcome = sealedOutcome
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<IncidentMetadata, T>) -> T {
        get { metadata[keyPath: keyPath] }
        set { metadata[keyPath: keyPath] = newValue }
    }
}

public struct StoredIncidentEvent: Hashable, Sendable {
    /// 0 until stored.
    public var id: Int64 = 0
    public var incidentID: IncidentID
    public var kind: IncidentEvent.Kind
    public var on: CalendarDate
    public var sealedText: String?
    public var referral: ReferralTarget?
    public var isPublic: Bool
    public var by: UserID?
    /// A public update's text sealed to the reporter's key (`StoredIncident.reporterPublicKey`):
    /// what the status page opens with the passphrase.
    public var sealedForReporter: String?

    public init(id: Int64 = 0, incidentID: IncidentID, kind: IncidentEvent.Kind, on: CalendarDate, sealedText: String?,
                referral: ReferralTarget? = nil, isPublic: Bool = false, by: UserID? = nil, sealedForReporter: String? = nil) {
        self.id = id
        self.sealedForReporter = sealedForReporter
        self.incidentID = incidentID
        self.kind = kind
        self.on = on
        self.sealedText = sealedText
        self.referral = referral
        self.isPublic = isPublic
        self.by = by
    }
}

/// What the handler's queue shows: cases in some states (empty: all), those whose code contains
/// `codeFragment` (already normalised by `IncidentQueueQuery.codeFragment(from:)`), oldest or
/// newest first.
public struct IncidentQueueQuery: Hashable, Sendable {
    public var statuses: Set<IncidentStatus>
    /// Upper-case letters and digits of a case code without `KR` and dashes (`7QX4M9PT`, `QX4M`);
    /// nil for no search.
    public var codeFragment: String?
    public var oldestFirst: Bool
    public var limit: Int
    public var offset: Int

    public init(statuses: Set<IncidentStatus>, codeFragment: String? = nil, oldestFirst: Bool = true, limit: Int = 200,
                offset: Int = 0) {
        self.statuses = statuses
        self.codeFragment = codeFragment
        self.oldestFirst = oldestFirst
        self.limit = limit
        self.offset = offset
    }

    /// What a handler typed into the search box, as the part of a stored code to look for: case and
    /// dashes or spaces do not matter, nor does the `KR-` prefix (`kr-7qx4-m9pt`, `7QX4M9PT`,
    /// `7qx4-m9`). Letters that are not in codes are read as the digits they look like (O→0,
    /// I/L→1), as the reporter's status page does. Nil when nothing searchable is left.
    public static func codeFragment(from text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        // Anything but letters, digits, dashes and spaces is not part of a code: say so rather than guess.
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "-" || $0 == " " }) else { return nil }
        var fragment = CaseCredentials.normalise(trimmed)
        // The prefix is dropped when it was typed as one ("KR-…", "KR …") or the rest is a whole code.
        if fragment.hasPrefix("KR"), trimmed.hasPrefix("KR-") || trimmed.hasPrefix("KR ") || fragment.count > 8 {
            fragment = String(fragment.dropFirst(2))
        }
        guard !fragment.isEmpty, fragment.count <= 8,
              fragment.allSatisfy({ CaseCredentials.alphabet.contains($0) }) else { return nil }
        return fragment
    }
}

/// The facts of a case that statistics use: no text, no contact. Type, district and motivations
/// are the handler's where triage corrected them (triage overwrites the reporter's choice).
public struct IncidentFacts: Hashable, Sendable {
    public var date: CalendarDate
    public var district: District?
    public var category: IncidentCategory
    public var motivations: Set<BiasMotivation>
    public var classification: IncidentClassification?
    /// How the case ended, when closed: spam, a test or a duplicate never counts.
    public var outcome: IncidentOutcome?

    public init(date: CalendarDate, district: District?, category: IncidentCategory, motivations: Set<BiasMotivation>,
                classification: IncidentClassification?, outcome: IncidentOutcome? = nil) {
        self.outcome = outcome
        self.date = date
        self.district = district
        self.category = category
        self.motivations = motivations
        self.classification = classification
    }

    /// Whether the case counts in any public figure (statistics page, CSV, API, open data, the
    /// conflict-risk analysis): only once a handler has triaged it as bias-motivated. Untriaged
    /// reports — which anyone can send — and reports found not bias-motivated never count, so a
    /// flood of fake reports neither inflates a figure nor lets its sender subtract their own
    /// reports from a published figure to learn a hidden one. A case closed as spam, a test or a
    /// duplicate of another case never counts, even if it was classified as bias-motivated first
    /// (a duplicate would count one incident twice).
    public var countsInPublicFigures: Bool {
        (classification?.isBiasMotivated ?? false) && !(outcome?.excludesFromStatistics ?? false)
    }
}

public protocol IncidentRepository: Sendable {
    /// Stores a case and its content key's envelopes in one transaction (the grants' case id is
    /// filled in). Throws `DomainError.conflict` when the case code is taken (the caller draws a
    /// new one).
    func create(_ incident: StoredIncident, grants: [CaseKeyGrant]) async throws -> IncidentID
    /// Replaces a case's sealed texts (its own and its events', by event id), sealing and case
    /// key, and saves `grants`, in one transaction: the re-sealing of a case from before
    /// per-handler keys.
    func reseal(_ incident: StoredIncident, events: [StoredIncidentEvent], grants: [CaseKeyGrant]) async throws
    /// Cases still sealed with the server key and not purged.
    func serverSealedIncidents() async throws -> [StoredIncident]
    func setReporterKey(incidentID: IncidentID, publicKey: Data, parameters: ScryptParameters) async throws
    /// Stores public updates' copies sealed to the reporter, by event id.
    func setReporterCopies(_ copies: [Int64: String]) async throws
    func incident(id: IncidentID) async throws -> StoredIncident?
    func incident(caseCode: String) async throws -> StoredIncident?
    /// Newest first; `statuses` empty means all.
    func list(statuses: Set<IncidentStatus>, limit: Int, offset: Int) async throws -> [StoredIncident]
    /// The handler's queue: metadata only, filtered and ordered as `query` says.
    func queue(_ query: IncidentQueueQuery) async throws -> [StoredIncident]
    /// Saves the handler's fields: status, classification, category, district, motivations,
    /// closing day, outcome (its kind, the case it duplicates, its sealed text).
    func update(_ incident: StoredIncident) async throws
    func addEvent(_ event: StoredIncidentEvent) async throws
    /// Oldest first.
    func events(incidentID: IncidentID) async throws -> [StoredIncidentEvent]
    /// Removes the free text and contact of cases closed on or before `closedOnOrBefore` that
    /// still have them, and of their events, with every envelope of their content keys and the
    /// reporter's copies (crypto-shredding: nothing left opens with any key, the recovery key
    /// included); marks them purged on `today`. Returns how many.
    func purge(closedOnOrBefore: CalendarDate, today: CalendarDate) async throws -> Int
    /// Makes the text removed by `purge` unrecoverable from the database files (SQLite: a
    /// checkpoint that empties the WAL; PostgreSQL: `VACUUM FULL` of the incident tables when
    /// `afterPurging` > 0). Deleted content is zeroed as it is deleted (SQLite `secure_delete`).
    func scrubRemovedText(afterPurging: Int) async throws
    /// The facts of every case whose statistics date falls in `year`.
    func facts(year: Int) async throws -> [IncidentFacts]
}

/// A row of police statistics: a count of recorded offences of one category, in one district
/// (nil for the whole city or unknown), for one year.
public struct PoliceStatistic: Hashable, Sendable {
    public var year: Int
    public var district: District?
    public var offenceCategory: String
    public var count: Int

    public init(year: Int, district: District?, offenceCategory: String, count: Int) {
        self.year = year
        self.district = district
        self.offenceCategory = offenceCategory
        self.count = count
    }
}

public protocol PoliceStatisticsRepository: Sendable {
    /// Replaces the rows of the years the file covers, in one transaction.
    func replace(years: Set<Int>, with rows: [PoliceStatistic]) async throws
    func rows(years: ClosedRange<Int>) async throws -> [PoliceStatistic]
    func years() async throws -> [Int]
}
