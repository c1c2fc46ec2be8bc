/// A city's policy programme as adopted by its council: goals, tasks, measures, the results
/// declaration, risks and financing. Kraków's „Otwarty Kraków” 2024–2028 is the embedded default;
/// any city can load its own file (docs/programme-format.md).
public struct Programme: Hashable, Sendable, Codable {
    /// Stable identifier used in URLs and the API, e.g. `otwarty-krakow-2024-2028`.
    public var slug: String
    public var title: String
    /// The council act adopting the programme, e.g. `XIV/357/24`.
    public var resolution: String
    public var adopted: CalendarDate
    /// The act this programme replaces, if any.
    public var replaces: String?
    public var period: Period
    public var reportDue: ReportDue
    /// BCP 47 code of the language the texts are written in.
    public var language: String
    public var mainGoal: String
    public var goals: [Goal]
    public var results: [ResultIndicator]
    public var riskScale: RiskScale
    public var risks: [Risk]
    public var financingSources: [String]
    public var partnerAreas: [PartnerArea]
    public var cooperationBodies: [String]

    public init(slug: String, title: String, resolution: String, adopted: CalendarDate, replaces: String? = nil,
                period: Period, reportDue: ReportDue, language: String, mainGoal: String, goals: [Goal],
                results: [ResultIndicator], riskScale: RiskScale, risks: [Risk], financingSources: [String],
                partnerAreas: [PartnerArea], cooperationBodies: [String]) {
        self.slug = slug
        self.title = title
        self.resolution = resolution
        self.adopted = adopted
        self.replaces = replaces
        self.period = period
        self.reportDue = reportDue
        self.language = language
        self.mainGoal = mainGoal
        self.goals = goals
        self.results = results
        self.riskScale = riskScale
        self.risks = risks
        self.financingSources = financingSources
        self.partnerAreas = partnerAreas
        self.cooperationBodies = cooperationBodies
    }

    public var tasks: [ProgrammeTask] { goals.flatMap(\.tasks) }

    public func goal(_ number: Int) -> Goal? { goals.first { $0.number == number } }

    /// The task `4.2`: indexed directly from the code, because imports ask once per row.
    public func task(code: String) -> ProgrammeTask? {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let g = Int(parts[0]), let t = Int(parts[1]), g >= 1, t >= 1,
              g <= goals.count, goals[g - 1].number == g, t <= goals[g - 1].tasks.count
        else { return nil }
        let task = goals[g - 1].tasks[t - 1]
        return task.code == code ? task : nil
    }

    /// The day by which the report on `year` is due (e.g. 30 April of the following year).
    public func reportDeadline(forYear year: Int) -> CalendarDate? {
        CalendarDate(year: year + 1, month: reportDue.month, day: reportDue.day)
    }
}

public struct Period: Hashable, Sendable, Codable {
    public var from: Int
    public var to: Int
    public init(from: Int, to: Int) { self.from = from; self.to = to }
    public var years: ClosedRange<Int> { from...to }
}

/// The yearly report deadline, in the year after the reported one.
public struct ReportDue: Hashable, Sendable, Codable {
    public var month: Int
    public var day: Int
    public init(month: Int, day: Int) { self.month = month; self.day = day }
}

/// A specific goal (cel szczegółowy) and the outcomes (poprzez) it is reached through.
public struct Goal: Hashable, Sendable, Codable {
    public var number: Int
    public var title: String
    public var outcomes: [String]
    public var tasks: [ProgrammeTask]
    public init(number: Int, title: String, outcomes: [String], tasks: [ProgrammeTask]) {
        self.number = number
        self.title = title
        self.outcomes = outcomes
        self.tasks = tasks
    }
}

/// A numbered task (zadanie) of a goal; named so as not to shadow Swift's `Task`.
public struct ProgrammeTask: Hashable, Sendable, Codable {
    public var goal: Int
    public var number: Int
    public var title: String
    public var measures: [Measure]
    /// nil for continuous activity („działanie o charakterze ciągłym”).
    public var deadline: CalendarDate?
    public var products: [String]
    public var implementers: [String]
    public var partners: [String]

    public init(goal: Int, number: Int, title: String, measures: [Measure], deadline: CalendarDate?,
                products: [String], implementers: [String], partners: [String] = []) {
        self.goal = goal
        self.number = number
        self.title = title
        self.measures = measures
        self.deadline = deadline
        self.products = products
        self.implementers = implementers
        self.partners = partners
    }

    /// `4.2` for goal 4, task 2.
    public var code: String { "\(goal).\(number)" }
    public var isContinuous: Bool { deadline == nil }
}

/// How a task's progress is counted (miara efektywności).
public struct Measure: Hashable, Sendable, Codable {
    /// `1.1.a`: derived from position unless the programme file gives one.
    public var code: String
    public var name: String
    /// How the value comes from approved records; nil when the programme file gives none.
    public var rule: MeasureRule?
    /// Where the value comes from when it is not a rule over records (a register, ratings, a data
    /// import); nil otherwise. A measure has a rule or a source, never both (the parser checks).
    public var source: MeasureSource?
    /// How the number is counted, in words (definition, unit, sources, limits); nil when the file
    /// gives none. Encoded only when present, so a programme without methods keeps its digest.
    public var method: Methodology?
    public init(code: String, name: String, rule: MeasureRule? = nil, source: MeasureSource? = nil,
                method: Methodology? = nil) {
        self.code = code
        self.name = name
        self.rule = rule
        self.source = source
        self.method = method
    }

    /// The code of the measure at `index` (0-based) of task `goal.task`: a, b, c, … z, aa, ab…
    public static func defaultCode(goal: Int, task: Int, index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var suffix = ""
        var i = index
        repeat {
            suffix = String(letters[i % 26]) + suffix
            i = i / 26 - 1
        } while i >= 0
        return "\(goal).\(task).\(suffix)"
    }
}

public struct PartnerArea: Hashable, Sendable, Codable {
    public var area: String
    public var partners: [String]
    public init(area: String, partners: [String]) { self.area = area; self.partners = partners }
}
