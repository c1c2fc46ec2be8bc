import Foundation

/// A reassessment of one of the programme's risks: its new score on a day and why. The history of
/// assessments is kept; a risk's score on a day is that of its latest assessment on or before the
/// day, or the programme's own score before any.
public struct RiskAssessment: Hashable, Sendable {
    public var programmeSlug: String
    /// The risk's 1-based position in `Programme.risks` (Table 3's order).
    public var risk: Int
    public var date: CalendarDate
    public var score: Int
    public var reason: String
    public var recordedAt: Date
    public var recordedBy: UserID?

    public init(programmeSlug: String, risk: Int, date: CalendarDate, score: Int, reason: String,
                recordedAt: Date = Date(timeIntervalSince1970: 0), recordedBy: UserID? = nil) {
        self.programmeSlug = programmeSlug
        self.risk = risk
        self.date = date
        self.score = score
        self.reason = reason
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }

    public static let maxReasonLength = 2_000

    /// - Parameter riskCount: how many risks the register holds (the programme's and added ones).
    public func problems(in programme: Programme, riskCount: Int? = nil) -> [FieldError] {
        var errors: [FieldError] = []
        if !(1...max(riskCount ?? programme.risks.count, 1)).contains(risk) {
            errors.append(FieldError(field: "risk", messageKey: "error.risk.unknown", message: "the programme has no risk \(risk)"))
        }
        if !programme.riskScale.scores.contains(score) {
            errors.append(FieldError(field: "score", messageKey: "error.risk.score",
                                     message: "must be \(programme.riskScale.scores.lowerBound)–\(programme.riskScale.scores.upperBound)"))
        }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(FieldError(field: "reason", messageKey: "error.risk.reason", message: "say why the score changed"))
        } else if reason.count > Self.maxReasonLength {
            errors.append(FieldError(field: "reason", messageKey: "error.risk.reason-long",
                                     message: "must be at most \(Self.maxReasonLength) characters"))
        }
        return errors
    }

    /// The score of risk `risk` (1-based) at the end of `day`, from `assessments` of any risks.
    public static func score(of risk: Int, in programme: Programme, on day: CalendarDate,
                             assessments: [RiskAssessment]) -> Int? {
        guard programme.risks.indices.contains(risk - 1) else { return nil }
        let latest = assessments.filter { $0.risk == risk && $0.date <= day }
            .max { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }
        return latest?.score ?? programme.risks[risk - 1].score
    }
}
