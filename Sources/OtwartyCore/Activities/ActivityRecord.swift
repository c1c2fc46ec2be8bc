import Foundation

public typealias ActivityID = Int64

/// One reported thing that happened for a task: an event, a training, a consultation day…
/// Counts describe groups, never persons: no personal data about participants is kept.
///
/// The reported fields are the record's `ActivityInput` (one definition of them, shared with the
/// form, the API and imports); `record.title`, `record.taskCode` and the rest read and write it.
@dynamicMemberLookup
public struct ActivityRecord: Hashable, Sendable {
    public var id: ActivityID
    public var programmeSlug: String
    /// What the reporter filled in.
    public var input: ActivityInput
    public var status: ActivityStatus
    /// The coordinator's comment when returning a record.
    public var reviewComment: String?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date
    /// When the record last entered `submitted` (kept after approval or return): the review queue
    /// is ordered by it, oldest first, and shows it as "waiting since". nil for a record never
    /// submitted. Storage sets it whenever a write moves a record into `submitted` (migration 18).
    public var submittedAt: Date?

    public init(id: ActivityID, programmeSlug: String, input: ActivityInput, status: ActivityStatus = .draft,
                reviewComment: String? = nil, createdBy: UserID? = nil,
                createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0),
                submittedAt: Date? = nil) {
        self.id = id
        self.programmeSlug = programmeSlug
        self.input = input
        self.status = status
        self.reviewComment = reviewComment
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
    }

    public init(id: ActivityID, programmeSlug: String, taskCode: String, kind: ActivityKind, title: String,
                startDate: CalendarDate, endDate: CalendarDate? = nil, organisationID: OrganisationID,
                district: District? = nil, participants: Int? = nil, beneficiaries: Int? = nil,
                audiences: Set<Audience> = [], amountGrosze: Int64? = nil, institution: String? = nil,
                languages: [String] = [], notes: String = "", evidenceURL: String? = nil,
                status: ActivityStatus = .draft, reviewComment: String? = nil, createdBy: UserID? = nil,
                createdAt: Date = Date(timeIntervalSince1970: 0), updatedAt: Date = Date(timeIntervalSince1970: 0),
                submittedAt: Date? = nil) {
        self.init(id: id, programmeSlug: programmeSlug,
                  input: ActivityInput(taskCode: taskCode, kind: kind, title: title, startDate: startDate, endDate: endDate,
                                       organisationID: organisationID, district: district, participants: participants,
                                       beneficiaries: beneficiaries, audiences: audiences, amountGrosze: amountGrosze,
                                       institution: institution, languages: languages, notes: notes, evidenceURL: evidenceURL),
                  status: status, reviewComment: reviewComment, createdBy: createdBy, createdAt: createdAt, updatedAt: updatedAt,
                  submittedAt: submittedAt)
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ActivityInput, T>) -> T {
        get { input[keyPath: keyPath] }
        set { input[keyPath: keyPath] = newValue }
    }

    /// Records count toward the year and quarter in which they start.
    public var year: Int { input.startDate.year }
    public var quarter: Int { (input.startDate.month - 1) / 3 + 1 }
}

/// Where a record is in review. Only approved records count toward measures.
public enum ActivityStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned
}

public enum ActivityKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Kinds the public can attend or take part in: what the public events page and open data list.
    public static let publicKinds: Set<ActivityKind> = [.event, .workshop, .training, .consultation, .course, .promotion, .initiative,
                                                        .conference, .seminar, .debate]

    case event, training, workshop, consultation, course, meeting, publication, translation, promotion, patronage
    case researchReport = "research_report"
    case analysis, initiative, other
    /// Task 4.1 names them beside events ("np. w formie konferencji, seminariów, debat"), and 6.3
    /// names seminars (issue 13). Added last: lists keep the older kinds' order.
    case conference, seminar, debate
}

/// Who an activity was for. Stored as a bit set, so the order of cases is fixed forever:
/// add new cases only at the end.
public enum Audience: String, Hashable, Sendable, Codable, CaseIterable {
    case cityOffice = "city_office"
    case municipalGuard = "municipal_guard"
    case police, teachers, parents, pupils, residents, migrants, minorities, other

    public var bit: Int64 { 1 << Int64(Audience.allCases.firstIndex(of: self)!) }

    public static func mask(_ audiences: Set<Audience>) -> Int64 { audiences.reduce(0) { $0 | $1.bit } }

    public static func set(fromMask mask: Int64) -> Set<Audience> { Set(allCases.filter { mask & $0.bit != 0 }) }
}

/// One of Kraków's 18 districts (dzielnice), numbered as the city numbers them.
public struct District: Hashable, Sendable, Comparable, Codable {
    public let number: Int

    public init?(number: Int) {
        guard (1...18).contains(number) else { return nil }
        self.number = number
    }

    public static let names = [
        "Stare Miasto", "Grzegórzki", "Prądnik Czerwony", "Prądnik Biały", "Krowodrza", "Bronowice",
        "Zwierzyniec", "Dębniki", "Łagiewniki-Borek Fałęcki", "Swoszowice", "Podgórze Duchackie",
        "Bieżanów-Prokocim", "Podgórze", "Czyżyny", "Mistrzejowice", "Bieńczyce", "Wzgórza Krzesławickie",
        "Nowa Huta",
    ]
    static let numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
                           "XV", "XVI", "XVII", "XVIII"]

    public static var all: [District] { (1...18).compactMap(District.init(number:)) }

    public var name: String { Self.names[number - 1] }
    public var numeral: String { Self.numerals[number - 1] }
    /// "XVIII Nowa Huta"
    public var label: String { "\(numeral) \(name)" }

    /// Reads a roman numeral ("XVIII"), a number ("18"), a name ("Nowa Huta") or both ("XVIII Nowa Huta").
    /// Returns nil for unknown text; "city-wide" is not a district (the CSV reader turns it into no
    /// district before asking).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(t), let d = District(number: n) { self = d; return }
        let upper = t.uppercased()
        let folded = PlainText.fold(t)
        for d in District.all {
            let name = PlainText.fold(d.name)
            if upper == d.numeral || folded == name || folded == "\(d.numeral.lowercased()) \(name)" { self = d; return }
        }
        return nil
    }

    public static func < (a: District, b: District) -> Bool { a.number < b.number }

    public init(from decoder: any Decoder) throws {
        let n = try decoder.singleValueContainer().decode(Int.self)
        guard let d = District(number: n) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "district \(n) is not 1–18"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(number)
    }
}
