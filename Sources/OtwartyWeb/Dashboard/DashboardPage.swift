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
        public var partialIndex: String
        public var computableWeight: String
        public var reportDeadline: String
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
    }
}
