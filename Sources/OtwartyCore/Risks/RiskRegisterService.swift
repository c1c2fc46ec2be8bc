import Foundation

/// A risk the office identified after the resolution, as the coordinator describes it.
/// A number the form did not hold (or held as something other than a number) is nil and is
/// refused like a number out of range.
public struct NewRisk: Hashable, Sendable {
    public var goal: Int?
    public var name: String
    public var score: Int?
    public var response: RiskResponse
    public var responseDetail: String
    public var owner: String
    public var linkedTasks: [String]
    public var reviewEveryMonths: Int?

    public init(goal: Int?, name: String, score: Int?, response: RiskResponse, responseDetail: String = "",
                owner: String = "", linkedTasks: [String] = [], reviewEveryMonths: Int? = RiskDetails.defaultReviewMonths) {
        self.goal = goal
        self.name = name
        self.score = score
        self.response = response
        self.responseDetail = responseDetail
        self.owner = owner
        self.linkedTasks = linkedTasks
        self.reviewEveryMonths = reviewEveryMonths
    }
}

/// What the office keeps about any risk of the register: who owns it, the tasks it concerns,
/// how often it is reviewed (nil: not given or not a number, refused).
public struct RiskDetailsChange: Hashable, Sendable {
    public var owner: String
    public var linkedTasks: [String]
    public var reviewEveryMonths: Int?

    public init(owner: String, linkedTasks: [String], reviewEveryMonths: Int?) {
        self.owner = owner
        self.linkedTasks = linkedTasks
        self.reviewEveryMonths = reviewEveryMonths
    }
}

/// A new score for a risk on a day, and why. `date` is the text as typed (`YYYY-MM-DD`); nil
/// numbers were not given or not numbers, and are refused.
public struct RiskReassessment: Hashable, Sendable {
    public var risk: Int?
    public var date: String
    public var score: Int?
    public var reason: String

    public init(risk: Int?, date: String, score: Int?, reason: String) {
        self.risk = risk
        self.date = date
        self.score = score
        self.reason = reason
    }
}

/// The risk register's writes: adding a risk, the details the office keeps about a risk, and
/// reassessments. Each reads what the register holds, checks the change against the programme
/// (every problem a `FieldError` naming its field, thrown as `DomainError.invalid`), stores it and
/// writes the audit entry.
public struct RiskRegisterService: Sendable {
    public let details: any RiskDetailsRepository
    public let assessments: any RiskAssessmentRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(details: any RiskDetailsRepository, assessments: any RiskAssessmentRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.details = details
        self.assessments = assessments
        self.audit = audit
        self.clock = clock
    }

    /// Task codes as people list them: separated by commas, semicolons or spaces.
    public static func taskCodes(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init).filter { !$0.isEmpty }
    }

    /// How many risks the register holds: the programme's (Table 3) and those added since.
    public func registerSize(of programme: Programme) async throws -> Int {
        max(programme.risks.count, try await details.details(programme: programme.slug).map(\.number).max() ?? 0)
    }

    /// Adds `risk` to the register, numbered after every risk it holds; audited as `risk.added`.
    @discardableResult
    public func add(_ risk: NewRisk, to programme: Programme, by actor: UserID?) async throws -> RiskDetails {
        let number = try await registerSize(of: programme) + 1
        let added = RiskDetails(
            programmeSlug: programme.slug, number: number,
            added: Risk(goal: risk.goal ?? 0, name: risk.name.trimmingCharacters(in: .whitespaces), score: risk.score ?? 0,
                        response: risk.response, responseDetail: risk.responseDetail),
            owner: risk.owner.trimmingCharacters(in: .whitespaces), linkedTasks: risk.linkedTasks,
            reviewEveryMonths: risk.reviewEveryMonths ?? 0)
        let problems = added.problems(in: programme)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        // The risk and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await details.save(added)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor, action: "risk.added",
                                              subject: "risk:\(programme.slug):\(number)", detail: added.added?.name ?? ""))
        }
        return added
    }

    /// Replaces the owner, linked tasks and review interval of risk `number` (a programme risk or
    /// an added one, else `notFound`); audited as `risk.details`.
    @discardableResult
    public func updateDetails(ofRisk number: Int, in programme: Programme, _ change: RiskDetailsChange,
                              by actor: UserID?) async throws -> RiskDetails {
        let existing = try await details.details(programme: programme.slug).first { $0.number == number }
        guard number <= programme.risks.count || existing?.added != nil else { throw DomainError.notFound("Risk \(number)") }
        var updated = existing ?? RiskDetails(programmeSlug: programme.slug, number: number)
        updated.owner = change.owner.trimmingCharacters(in: .whitespaces)
        updated.linkedTasks = change.linkedTasks
        updated.reviewEveryMonths = change.reviewEveryMonths ?? 0
        let problems = updated.problems(in: programme)
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        let saved = updated
        try await audit.atomically { [self] in
            try await details.save(saved)
            try await audit.record(AuditEntry(
                at: clock.now(), actorUserID: actor, action: "risk.details", subject: "risk:\(programme.slug):\(number)",
                detail: "owner \(saved.owner); tasks \(saved.linkedTasks.joined(separator: ","))"))
        }
        return updated
    }

    /// Records a new score for a risk of the register; audited as `risk.reassessed`.
    @discardableResult
    public func reassess(_ reassessment: RiskReassessment, in programme: Programme, by actor: UserID?) async throws -> RiskAssessment {
        let date = CalendarDate(iso: reassessment.date)
        let recordedAt = clock.now()
        // The placeholder day only stands in while the other fields are checked: without a date the
        // reassessment is refused below.
        let assessment = RiskAssessment(
            programmeSlug: programme.slug, risk: reassessment.risk ?? 0, date: date ?? programme.adopted,
            score: reassessment.score ?? 0, reason: reassessment.reason.trimmingCharacters(in: .whitespacesAndNewlines),
            recordedAt: recordedAt, recordedBy: actor)
        var problems = assessment.problems(in: programme, riskCount: try await registerSize(of: programme))
        if date == nil { problems.append(FieldError(field: "date", messageKey: "error.activity.date", message: "is not a date")) }
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        try await audit.atomically { [self] in
            try await assessments.add(assessment)
            try await audit.record(AuditEntry(
                at: recordedAt, actorUserID: actor, action: "risk.reassessed", subject: "risk:\(programme.slug):\(assessment.risk)",
                detail: "score \(assessment.score) on \(assessment.date)"))
        }
        return assessment
    }
}
