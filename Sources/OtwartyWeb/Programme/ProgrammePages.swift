import OtwartyCore

/// View models of the programme pages, built from the domain by `ProgrammePageBuilder`.
public enum ProgrammeShow {
    public static let template = "programme"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var goals: [GoalSummary]
        public var financingSources: [String]
        public var partnerAreas: [PartnerArea]
        public var cooperationBodies: [String]
        public var otherProgrammes: [Link]
    }
}

public enum GoalShow {
    public static let template = "goal"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var goal: GoalSummary
        public var tasks: [TaskDetail]
        public var results: [ResultRow]
        public var risks: [RiskRow]
    }
}

public enum TaskShow {
    public static let template = "task"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var goal: GoalSummary
        public var task: TaskDetail
    }
}

public enum ResultsShow {
    public static let template = "results"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var results: [ResultRow]
        public var totalWeight: String
    }
}

public struct Link {
    public var title: String
    public var href: String
    /// An unofficial title in the reader's language beside `title` (ProgrammeGlosses), if any.
    public var gloss: String? = nil
}

public struct ProgrammeHeader {
    public var slug: String
    public var title: String
    /// The language of the programme's own texts, for `lang` attributes (WCAG 3.1.2).
    public var language: String
    public var resolution: String
    public var adopted: String
    public var period: String
    public var mainGoal: String
    public var href: String
    public var resultsHref: String
    public var risksHref: String
    /// The reader's-language gloss of the main goal, when the programme ships glosses for it.
    public var mainGoalGloss: String? = nil
    /// "Unofficial translation…; the Polish text … is binding", shown once on a page with glosses.
    public var glossNotice: String? = nil
}

public struct GoalSummary {
    public var number: Int
    public var title: String
    public var outcomes: [String]
    public var href: String
    public var taskCount: String
    public var tasks: [Link]
    public var gloss: String? = nil
}

public struct TaskDetail {
    public var code: String
    public var title: String
    public var href: String
    public var measures: [MeasureItem]
    public var deadline: String
    public var isContinuous: Bool
    public var products: [String]
    public var hasProducts: Bool
    public var implementers: [String]
    public var partners: [String]
    public var hasPartners: Bool
    public var gloss: String? = nil
}

/// A task's measure as the pages show it: the programme's name and its gloss, if any.
public struct MeasureItem {
    public var code: String
    public var name: String
    public var gloss: String?
    /// "How it is counted" (methodology and the rule's scope), folded under the measure's name.
    public var howCounted: ValueExplanation = ValueExplanation()
}

public struct ResultRow {
    public var goal: Int
    public var goalHref: String
    public var indicator: String
    public var weight: String
    public var unit: String
    public var baseline: String
    public var baselineYear: Int
    public var target: String
    public var targetText: String?
    public var gloss: String? = nil
}

public struct RiskRow {
    public var goal: Int
    public var goalHref: String
    public var name: String
    public var score: Int
    public var level: String
    public var levelCode: String
    public var response: String
    public var responseDetail: String
}

public struct ScaleRow {
    public var range: String
    public var level: String
    public var levelCode: String
}
