import Foundation

/// The coordinator's own words in a year's report: an introduction and a comment per goal. Kept
/// as a draft that can be edited until the report is frozen; a frozen version keeps the text it
/// was frozen with.
public struct ReportNarrative: Hashable, Sendable {
    public var introduction: String
    /// By goal number; a goal without a comment is absent.
    public var goalComments: [Int: String]
    /// When and by whom the narrative was last saved; nil when it never was.
    public var updatedAt: Date?
    public var updatedBy: UserID?

    public init(introduction: String = "", goalComments: [Int: String] = [:], updatedAt: Date? = nil,
                updatedBy: UserID? = nil) {
        self.introduction = introduction
        self.goalComments = goalComments
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public static let empty = ReportNarrative()
    /// Long enough for several pages; short enough that a mistaken paste cannot bloat the report.
    public static let maxSectionLength = 20_000

    public func comment(goal: Int) -> String { goalComments[goal] ?? "" }

    /// The stored sections: `introduction` and `goal-N`, empty ones left out.
    public var sections: [String: String] {
        var result: [String: String] = [:]
        if !introduction.isEmpty { result["introduction"] = introduction }
        for (goal, text) in goalComments where !text.isEmpty { result["goal-\(goal)"] = text }
        return result
    }

    public init(sections: [String: String], updatedAt: Date?, updatedBy: UserID?) {
        var comments: [Int: String] = [:]
        for (key, text) in sections where key.hasPrefix("goal-") {
            if let goal = Int(key.dropFirst(5)) { comments[goal] = text }
        }
        self.init(introduction: sections["introduction"] ?? "", goalComments: comments,
                  updatedAt: updatedAt, updatedBy: updatedBy)
    }

    public func problems(in programme: Programme) -> [FieldError] {
        var errors: [FieldError] = []
        if introduction.count > Self.maxSectionLength {
            errors.append(FieldError(field: "introduction", messageKey: "error.narrative.too-long",
                                     message: "must be at most \(Self.maxSectionLength) characters"))
        }
        let goals = Set(programme.goals.map(\.number))
        for (goal, text) in goalComments.sorted(by: { $0.key < $1.key }) {
            if !goals.contains(goal) {
                errors.append(FieldError(field: "goal-\(goal)", messageKey: "error.narrative.goal",
                                         message: "the programme has no goal \(goal)"))
            } else if text.count > Self.maxSectionLength {
                errors.append(FieldError(field: "goal-\(goal)", messageKey: "error.narrative.too-long",
                                         message: "must be at most \(Self.maxSectionLength) characters"))
            }
        }
        return errors
    }
}
