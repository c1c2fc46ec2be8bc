/// The annual report on a programme's implementation to the City Council (§ 6 ust. 8 of
/// Kraków's programme: by 30 April of the following year), as plain data: everything the HTML,
/// ODT and PDF writers print, and nothing about how it is printed. Built by
/// `AnnualReportBuilder` from the programme, the indicator engine and the approved records.
///
/// Numbers are never invented: a value that cannot be computed stays nil with its
/// `NotComputableReason`, exactly as the indicator engine gives it.
public struct AnnualReport: Hashable, Sendable {
    public var titlePage: TitlePage
    public var summary: Summary
    /// The results declaration (Deklaracja wyników) for the year: the engine's
    /// `IndicatorReport.results`, unchanged and in the programme's order.
    public var results: [ResultValue]
    /// Each goal with its tasks, in the programme's order.
    public var goals: [GoalSection]
    /// The programme's risks with their assessment, in the programme's order.
    public var risks: [RiskRow]
    /// Planned and spent money per funding source.
    public var financing: Financing
    /// The coordinator's introduction and goal comments.
    public var narrative: ReportNarrative
    /// The approved records that started in the year, grouped by task.
    public var annex: [AnnexGroup]
    /// How each number is counted: the results, then the measures, in the programme's order; only
    /// those the programme file gives a `method:` for (texts in the programme's language).
    public var methods: [MethodEntry] = []

    public init(titlePage: TitlePage, summary: Summary, results: [ResultValue], goals: [GoalSection],
                risks: [RiskRow], financing: Financing = Financing(sources: []), narrative: ReportNarrative = .empty,
                annex: [AnnexGroup]) {
        self.titlePage = titlePage
        self.summary = summary
        self.results = results
        self.goals = goals
        self.risks = risks
        self.financing = financing
        self.narrative = narrative
        self.annex = annex
    }

    public var year: Int { titlePage.year }

    // MARK: Title page

    public struct TitlePage: Hashable, Sendable {
        public var programmeSlug: String
        public var programmeTitle: String
        /// The council act adopting the programme, e.g. `XIV/357/24`.
        public var resolution: String
        public var adopted: CalendarDate
        public var period: Period
        /// The reported year.
        public var year: Int
        /// The day the report was generated (given by the caller, so a report is reproducible).
        public var generatedOn: CalendarDate
        /// The day the report is due to the council (e.g. 30 April of the following year).
        public var dueOn: CalendarDate?
        /// A working draft, or the number of the frozen version the file belongs to.
        public var edition: Edition

        public init(programmeSlug: String, programmeTitle: String, resolution: String, adopted: CalendarDate,
                    period: Period, year: Int, generatedOn: CalendarDate, dueOn: CalendarDate?, edition: Edition = .draft) {
            self.edition = edition
            self.programmeSlug = programmeSlug
            self.programmeTitle = programmeTitle
            self.resolution = resolution
            self.adopted = adopted
            self.period = period
            self.year = year
            self.generatedOn = generatedOn
            self.dueOn = dueOn
        }
    }

    public enum Edition: Hashable, Sendable {
        case draft
        case version(Int)
    }

    // MARK: Summary

    public struct Summary: Hashable, Sendable {
        /// Σ weight × min(achievement, 1) when every result is computable; else nil, and
        /// `partialIndex` over `computableWeight` is what can be shown.
        public var index: Double?
        public var partialIndex: Double
        public var computableWeight: Double
        /// Σ weight of all results (1 for Kraków), to print "partial index over 0.75 of 1".
        public var totalWeight: Double
        /// Approved records that started in the year.
        public var approvedRecords: Int
        /// Tasks with at least one approved record that started in the year.
        public var tasksWithRecords: Int
        /// All tasks of the programme.
        public var taskCount: Int

        public init(index: Double?, partialIndex: Double, computableWeight: Double, totalWeight: Double,
                    approvedRecords: Int, tasksWithRecords: Int, taskCount: Int) {
            self.index = index
            self.partialIndex = partialIndex
            self.computableWeight = computableWeight
            self.totalWeight = totalWeight
            self.approvedRecords = approvedRecords
            self.tasksWithRecords = tasksWithRecords
            self.taskCount = taskCount
        }

        public var isIndexPartial: Bool { index == nil }
    }

    // MARK: Goals and tasks

    public struct GoalSection: Hashable, Sendable {
        public var number: Int
        public var title: String
        public var outcomes: [String]
        public var tasks: [TaskSection]

        public init(number: Int, title: String, outcomes: [String], tasks: [TaskSection]) {
            self.number = number
            self.title = title
            self.outcomes = outcomes
            self.tasks = tasks
        }
    }

    public struct TaskSection: Hashable, Sendable {
        /// `2.2`
        public var code: String
        public var title: String
        public var measures: [MeasureHistory]
        /// nil for continuous activity.
        public var deadline: CalendarDate?
        public var deadlineStatus: DeadlineStatus
        public var products: [String]
        /// `products` with their status, delivery date and public evidence, in the same order.
        public var productLines: [ProductLine]
        public var implementers: [String]
        public var partners: [String]
        /// Approved records of the task that started in the year.
        public var recordsInYear: Int
        /// The task's budget entries for the year summed; nil without entries.
        public var plannedGrosze: Int64?
        public var spentGrosze: Int64?

        public init(code: String, title: String, measures: [MeasureHistory], deadline: CalendarDate?,
                    deadlineStatus: DeadlineStatus, products: [String], implementers: [String], partners: [String],
                    recordsInYear: Int, plannedGrosze: Int64? = nil, spentGrosze: Int64? = nil,
                    productLines: [ProductLine] = []) {
            self.productLines = productLines
            self.plannedGrosze = plannedGrosze
            self.spentGrosze = spentGrosze
            self.code = code
            self.title = title
            self.measures = measures
            self.deadline = deadline
            self.deadlineStatus = deadlineStatus
            self.products = products
            self.implementers = implementers
            self.partners = partners
            self.recordsInYear = recordsInYear
        }
    }

    /// Where a task stands against its deadline at the end of the reported year.
    public enum DeadlineStatus: String, Hashable, Sendable, Codable, CaseIterable {
        /// No deadline: continuous activity („działanie o charakterze ciągłym”).
        case continuous
        /// The deadline falls after the reported year's end and none of the task's products has
        /// started: on track, still to come.
        case due
        /// The deadline fell within or before the reported year, and not every product of the task
        /// was delivered by the year's end.
        case overdue
        /// Every product of the task was delivered on or before the deadline (`TaskDelivery`).
        case met
        /// The deadline fell within or before the reported year; every product was delivered by the
        /// year's end, some after the deadline.
        case late
        /// The deadline falls after the reported year's end; some product is in progress or delivered.
        case inProgress = "in-progress"
    }

    /// One product of a task as the report shows it: the resolution's text and where it stands.
    /// `record.evidence` is only evidence the public may see (a published document, a public link).
    public struct ProductLine: Hashable, Sendable {
        public var name: String
        public var record: ProductRecord
        /// The published document's title when the evidence is a document.
        public var documentTitle: String?

        public init(name: String, record: ProductRecord, documentTitle: String? = nil) {
            self.name = name
            self.record = record
            self.documentTitle = documentTitle
        }
    }

    /// A measure's value for the reported year beside its values for the earlier years of the
    /// programme period.
    public struct MeasureHistory: Hashable, Sendable {
        /// The engine's value for the reported year (`IndicatorReport.measures`).
        public var current: MeasureValue
        /// One point per year from the period's first year to the reported year, in order; the
        /// last is the reported year's.
        public var history: [YearValue]

        public init(current: MeasureValue, history: [YearValue]) {
            self.current = current
            self.history = history
        }

        public var code: String { current.code }
        public var name: String { current.name }
        /// The years before the reported one.
        public var earlier: [YearValue] { Array(history.dropLast()) }
    }

    public struct YearValue: Hashable, Sendable {
        public var year: Int
        /// nil when not computable; `notComputable` says why.
        public var value: Double?
        public var notComputable: NotComputableReason?

        public init(year: Int, value: Double?, notComputable: NotComputableReason? = nil) {
            self.year = year
            self.value = value
            self.notComputable = notComputable
        }
    }

    // MARK: Risks

    public struct RiskRow: Hashable, Sendable {
        /// 1-based position in the programme's risk table.
        public var number: Int
        public var goal: Int
        public var name: String
        /// The score at the end of the reported year (the programme's score when never reassessed).
        public var score: Int
        /// The score when the year began.
        public var scoreAtStart: Int
        /// Reassessments dated within the year, oldest first.
        public var changes: [RiskAssessment]
        /// nil when the programme's scale has no band for the score.
        public var level: RiskLevel?
        /// The resolution's name for the band, e.g. „ryzyko umiarkowane”.
        public var levelName: String?
        public var response: RiskResponse
        public var responseDetail: String

        public init(number: Int, goal: Int, name: String, score: Int, scoreAtStart: Int, changes: [RiskAssessment] = [],
                    level: RiskLevel?, levelName: String?, response: RiskResponse, responseDetail: String) {
            self.number = number
            self.scoreAtStart = scoreAtStart
            self.changes = changes
            self.goal = goal
            self.name = name
            self.score = score
            self.level = level
            self.levelName = levelName
            self.response = response
            self.responseDetail = responseDetail
        }
    }

    // MARK: Financing

    public struct Financing: Hashable, Sendable {
        public var sources: [SourceRow]
        public init(sources: [SourceRow]) { self.sources = sources }

        /// nil only when the sum does not fit 64 bits (`Money.sum`; each entry is at most `Money.maxAmount`).
        public var plannedGrosze: Int64? {
            let planned = sources.compactMap(\.plannedGrosze)
            return planned.count == sources.count ? Money.sum(grosze: planned) : nil
        }
        /// nil when no entry has its spending yet (or, as above, when the sum does not fit).
        public var spentGrosze: Int64? {
            let known = sources.compactMap(\.spentGrosze)
            return known.isEmpty ? nil : Money.sum(grosze: known)
        }
        public var hasEntries: Bool { sources.contains { $0.entries > 0 } }
    }

    /// One funding source of the programme (§ 5) with its entries for the year summed.
    public struct SourceRow: Hashable, Sendable {
        public var number: Int
        public var name: String
        /// nil only when the entries' sum does not fit 64 bits (`Money.sum`).
        public var plannedGrosze: Int64?
        /// nil when none of the source's entries has its spending yet.
        public var spentGrosze: Int64?
        public var entries: Int

        public init(number: Int, name: String, plannedGrosze: Int64?, spentGrosze: Int64?, entries: Int) {
            self.number = number
            self.name = name
            self.plannedGrosze = plannedGrosze
            self.spentGrosze = spentGrosze
            self.entries = entries
        }

        /// spent ÷ planned, when both are known and planned is not 0.
        public var execution: Double? {
            guard let spentGrosze, let plannedGrosze, plannedGrosze > 0 else { return nil }
            return Double(spentGrosze) / Double(plannedGrosze)
        }
    }

    // MARK: Annex

    /// The approved records of one task that started in the year, by start date (then id).
    public struct AnnexGroup: Hashable, Sendable {
        public var taskCode: String
        /// nil when the records name a task the programme does not have.
        public var taskTitle: String?
        public var records: [ReportedActivity]

        public init(taskCode: String, taskTitle: String?, records: [ReportedActivity]) {
            self.taskCode = taskCode
            self.taskTitle = taskTitle
            self.records = records
        }
    }
}
