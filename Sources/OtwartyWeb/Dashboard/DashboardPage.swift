import OtwartyCore

/// The programme's results for a year: the results declaration with actual values and the
/// weighted index, trends with the target line, task measures per goal and a district breakdown.
public enum DashboardShow {
    public static let template = "dashboard"
    public struct Model {
        public var page: PageChrome
        public var programme: ProgrammeHeader
        public var year: Int
        public var years: [YearLink]
        public var index: String?
        /// The index's range from the reference statistics' estimates ("48–70,1%"), for the index
        /// shown (or the partial one); nil without estimates.
        public var indexRange: String? = nil
        /// Says that an end of the index's range is missing.
        public var indexRangeNote: String? = nil
        public var partialIndex: String
        public var computableWeight: String
        public var reportDeadline: String
        /// "The report for this year is due … 30 April 2027." as one sentence (a date in Ukrainian
        /// or Russian ends in "р."/"г.", and takes no second full stop).
        public var reportDue: String = ""
        /// The year has not begun: no figures at all, never "0 %".
        public var isFuture: Bool = false
        /// The year is under way: the figures run only up to today.
        public var isInProgress: Bool = false
        /// Says which of the two, with the date the figures run to.
        public var yearNote: String? = nil
        /// How the index is formed, with this year's figures; nil for a year that has not begun.
        public var explanation: IndexExplanation? = nil
        public var results: [ResultLine]
        public var achievementChart: BarChart
        public var trendCharts: [BarChart]
        public var goals: [GoalMeasures]
        public var districtChart: BarChart
        public var quarterChart: BarChart
        public var districtSubject: String
        public var awaitingReview: Int
        public var reviewHref: String?
        public var exportHref: String
        public var calendar: ReportCalendarBox?
        /// Issue 13: each dated task's products and whether they were delivered by the deadline.
        public var deliverables: [ProductTaskLine] = [] { didSet { hasDeliverables = !deliverables.isEmpty } }
        public var hasDeliverables = false
        /// The products page, for those who read it.
        public var productsHref: String? = nil
    }

    public struct YearLink {
        public var year: Int
        public var href: String
        public var isCurrent: Bool
    }

    public struct ResultLine {
        public var goal: Int
        public var indicator: String
        public var weight: String
        public var baseline: String
        public var target: String
        public var actual: String
        public var achievement: String
        public var isComputable: Bool
        public var reason: String?
        public var drillHref: String
        /// The indicator's unofficial title in the reader's language (ProgrammeGlosses), public pages only.
        public var gloss: String? = nil
        /// A year that has not begun: "no data yet" instead of a value.
        public var hasNoDataYet: Bool = false
        /// The value's range from the reference statistic's estimates ("3–6%", "from 3%"); the
        /// annual report prints it beside the value (the dashboard shows `howCounted`).
        public var actualRange: String? = nil
        /// Range, notes and "how it is counted" beside the value (partial `value-explanation`).
        public var howCounted: ValueExplanation = ValueExplanation()
        /// The annual report's short note beside the value (unit and source) and the link to its
        /// entry in "How each number is counted" (issue 13 E); nil on pages.
        public var methodNote: String? = nil
        public var methodHref: String? = nil
    }

    /// The weighted index taken apart: one row per result (weight, achievement, the achievement
    /// counted — at most 100 % — and weight × counted), then the sum.
    public struct IndexExplanation {
        public var rows: [ExplanationRow]
        public var total: String
        public var totalLabel: String
        /// Some results cannot be computed: which part of the weight the partial index covers.
        public var partialNote: String?
    }

    public struct ExplanationRow {
        public var goal: String
        public var weight: String
        public var achievement: String
        public var counted: String
        public var contribution: String
        /// Above 100 %: counted as 100 %.
        public var isCapped: Bool
        public var isComputable: Bool
    }

    public struct GoalMeasures {
        public var number: Int
        public var title: String
        public var href: String
        public var measures: [MeasureLine]
        public var gloss: String? = nil
    }

    public struct MeasureLine {
        public var code: String
        public var name: String
        public var value: String
        public var hasValue: Bool
        public var reason: String?
        public var drillHref: String
        public var gloss: String? = nil
        /// Parts, status, notes and "how it is counted" beside the value (partial `value-explanation`).
        public var howCounted: ValueExplanation = ValueExplanation()
    }
}
