import Foundation

/// „Krakowski Ambasador Wielokulturowości” (task 4.2): an edition per year with a nomination
/// period, nominations from the public, scores from the jury, winners, the gala and the
/// Ambassadors' meeting with the Mayor. Nominations count toward "number of applications to the
/// competition"; the gala and the meeting toward "number of meetings".
public struct AmbassadorEdition: Hashable, Sendable {
    public var year: Int
    public var opensOn: CalendarDate
    public var closesOn: CalendarDate
    public var galaOn: CalendarDate?
    public var meetingOn: CalendarDate?
    public var nominationsActivity: ActivityID?
    /// The number of nominations the coordinator last approved when the count went beyond the
    /// usual (`BurstReview`); 0 when never.
    public var nominationsApproved: Int
    public var galaActivity: ActivityID?
    public var meetingActivity: ActivityID?

    public init(year: Int, opensOn: CalendarDate, closesOn: CalendarDate, galaOn: CalendarDate? = nil, meetingOn: CalendarDate? = nil,
                nominationsActivity: ActivityID? = nil, nominationsApproved: Int = 0, galaActivity: ActivityID? = nil,
                meetingActivity: ActivityID? = nil) {
        self.year = year
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.galaOn = galaOn
        self.meetingOn = meetingOn
        self.nominationsActivity = nominationsActivity
        self.nominationsApproved = nominationsApproved
        self.galaActivity = galaActivity
        self.meetingActivity = meetingActivity
    }

    public func isOpen(on day: CalendarDate) -> Bool { opensOn <= day && day <= closesOn }
}

public enum NominationCategory: String, Hashable, Sendable, CaseIterable {
    case person, organisation, initiative
}

public struct Nomination: Hashable, Sendable {
    public var id: Int64
    public var year: Int
    public var nominee: String
    public var category: NominationCategory
    public var justification: String
    /// The nominator's e-mail or phone, for questions from the jury: shown to staff only.
    public var contact: String
    public var language: String
    public var submittedOn: CalendarDate
    public var submission: String
    public var isWinner: Bool

    public init(id: Int64 = 0, year: Int, nominee: String, category: NominationCategory, justification: String, contact: String,
                language: String, submittedOn: CalendarDate, submission: String, isWinner: Bool = false) {
        self.id = id
        self.year = year
        self.nominee = nominee
        self.category = category
        self.justification = justification
        self.contact = contact
        self.language = language
        self.submittedOn = submittedOn
        self.submission = submission
        self.isWinner = isWinner
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) { errors.append(FieldError(field: field, messageKey: key, message: message)) }
        if nominee.trimmingCharacters(in: .whitespaces).isEmpty || nominee.count > 200 { add("nominee", "error.nomination.nominee", "name the nominee") }
        let text = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count < 20 || justification.count > 5_000 { add("justification", "error.nomination.justification", "20–5,000 characters") }
        if contact.trimmingCharacters(in: .whitespaces).isEmpty || contact.count > 200 { add("contact", "error.nomination.contact", "give a contact") }
        return errors
    }
}

/// A nomination with the jury's scores.
public struct ScoredNomination: Hashable, Sendable {
    public var nomination: Nomination
    /// Score 0–10 by juror.
    public var scores: [UserID: Int]
    public init(nomination: Nomination, scores: [UserID: Int]) {
        self.nomination = nomination
        self.scores = scores
    }
    public var average: Double? { scores.isEmpty ? nil : Double(scores.values.reduce(0, +)) / Double(scores.count) }
}

public protocol AmbassadorRepository: Sendable {
    func editions() async throws -> [AmbassadorEdition]
    func edition(year: Int) async throws -> AmbassadorEdition?
    func saveEdition(_ edition: AmbassadorEdition) async throws
    /// Stores the nomination unless its submission token was seen; true when stored.
    func nominate(_ nomination: Nomination) async throws -> Bool
    func nominations(year: Int) async throws -> [ScoredNomination]
    func score(nominationID: Int64, juror: UserID, score: Int) async throws
    func setWinner(nominationID: Int64, winner: Bool) async throws
}
