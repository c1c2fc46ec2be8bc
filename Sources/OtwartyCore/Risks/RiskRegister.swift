import Foundation

/// A risk in the register (Table 3 of the programme, and risks added since), with its current
/// score from the latest reassessment and what the office keeps about it: owner, linked tasks
/// and how often it is reviewed.
public struct RegisterRisk: Hashable, Sendable {
    /// 1-based: the programme's risks first, in Table 3's order, then added ones.
    public var number: Int
    public var goal: Int
    public var name: String
    public var initialScore: Int
    public var score: Int
    public var level: RiskLevel?
    public var response: RiskResponse
    public var responseDetail: String
    public var owner: String
    public var linkedTasks: [String]
    public var reviewEveryMonths: Int
    /// The last reassessment, if any.
    public var lastReviewed: CalendarDate?
    /// When the next review is due: the last review (or the programme's adoption) + the interval.
    public var reviewDue: CalendarDate
    public var isAdded: Bool

    public func isReviewOverdue(today: CalendarDate) -> Bool { reviewDue < today }
}

/// What the office records about a risk beyond Table 3; for an added risk, the risk itself.
public struct RiskDetails: Hashable, Sendable {
    public var programmeSlug: String
    public var number: Int
    /// Set for added risks only (programme risks keep the resolution's text).
    public var added: Risk?
    public var owner: String
    public var linkedTasks: [String]
    public var reviewEveryMonths: Int

    public init(programmeSlug: String, number: Int, added: Risk? = nil, owner: String = "", linkedTasks: [String] = [],
                reviewEveryMonths: Int = RiskDetails.defaultReviewMonths) {
        self.programmeSlug = programmeSlug
        self.number = number
        self.added = added
        self.owner = owner
        self.linkedTasks = linkedTasks
        self.reviewEveryMonths = reviewEveryMonths
    }

    /// Twice a year, so each annual report sees at least one review of every risk.
    public static let defaultReviewMonths = 6

    public func problems(in programme: Programme) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) { errors.append(FieldError(field: field, messageKey: key, message: message)) }
        if let added {
            if added.name.trimmingCharacters(in: .whitespaces).isEmpty || added.name.count > 500 {
                add("name", "error.risk.name", "name the risk (at most 500 characters)")
            }
            if programme.goal(added.goal) == nil { add("goal", "error.risk.goal", "choose a goal of the programme") }
            if !programme.riskScale.scores.contains(added.score) { add("score", "error.risk.score", "choose a score from the scale") }
            if added.responseDetail.count > 2_000 { add("responseDetail", "error.risk.reason-long", "at most 2,000 characters") }
        }
        if owner.count > 200 { add("owner", "error.risk.owner", "at most 200 characters") }
        for task in linkedTasks where programme.task(code: task) == nil {
            add("linkedTasks", "error.risk.task", "\"\(task)\" is not a task of the programme")
        }
        if !(1...24).contains(reviewEveryMonths) { add("reviewEveryMonths", "error.risk.interval", "1–24 months") }
        return errors
    }
}

public protocol RiskDetailsRepository: Sendable {
    func details(programme: String) async throws -> [RiskDetails]
    /// Inserts or replaces the details of risk `number`.
    func save(_ details: RiskDetails) async throws
}

/// Puts the programme's risks, the added ones, their details and their reassessments together.
public enum RiskRegisterBuilder {
    public static func build(programme: Programme, details: [RiskDetails], assessments: [RiskAssessment],
                             today: CalendarDate) -> [RegisterRisk] {
        let byNumber = Dictionary(details.map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
        var risks: [(Int, Risk, RiskDetails?)] = programme.risks.enumerated().map { ($0.offset + 1, $0.element, byNumber[$0.offset + 1]) }
        for d in details.sorted(by: { $0.number < $1.number }) where d.number > programme.risks.count {
            guard let added = d.added else { continue }
            risks.append((d.number, added, d))
        }
        return risks.map { number, risk, d in
            let mine = assessments.filter { $0.risk == number && $0.date <= today }
            let last = mine.max { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }
            let score = last?.score ?? risk.score
            let months = d?.reviewEveryMonths ?? RiskDetails.defaultReviewMonths
            return RegisterRisk(number: number, goal: risk.goal, name: risk.name, initialScore: risk.score, score: score,
                                level: programme.riskScale.level(forScore: score), response: risk.response,
                                responseDetail: risk.responseDetail, owner: d?.owner ?? "", linkedTasks: d?.linkedTasks ?? [],
                                reviewEveryMonths: months, lastReviewed: last?.date,
                                reviewDue: (last?.date ?? programme.adopted).addingMonths(months), isAdded: d?.added != nil)
        }
    }
}
