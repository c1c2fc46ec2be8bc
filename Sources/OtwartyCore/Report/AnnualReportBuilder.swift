/// Builds the annual report on `programme` for `year` from the indicator engine's numbers and
/// the approved records. Pure like the engine: the same inputs give the same report.
public struct AnnualReportBuilder: Sendable {
    public let engine: IndicatorEngine

    public init(engine: IndicatorEngine) {
        self.engine = engine
    }

    /// - Parameters:
    ///   - records: the approved records of the programme up to the end of `year` (more may be
    ///     passed: records of other statuses, other programmes or later years are ignored). They
    ///     give the annex (those that started in `year`), the summary's counts and the deadline
    ///     statuses; the measures and results come from the engine's aggregator.
    ///   - generatedOn: printed on the title page; passed in so that a report can be reproduced.
    ///   - budget: budget entries (those of other years and programmes are ignored).
    ///   - assessments: risk reassessments of the programme, of any dates.
    /// - Throws: `DomainError.invalid` on field `year` when `year` is outside the programme's period.
    public func build(programme: Programme, year: Int, records: [ActivityRecord],
                      generatedOn: CalendarDate, budget: [BudgetEntry] = [], narrative: ReportNarrative = .empty,
                      assessments: [RiskAssessment] = [], riskDetails: [RiskDetails] = [],
                      products: [ProductRecord] = [], documentTitles: [Int64: String] = [:],
                      edition: AnnualReport.Edition = .draft) async throws -> AnnualReport {
        let approved = records.filter { $0.status == .approved && $0.programmeSlug == programme.slug && $0.year <= year }
        return try await build(programme: programme, year: year, approved: approved.map(ReportedActivity.init),
                               generatedOn: generatedOn, budget: budget, narrative: narrative, assessments: assessments,
                               riskDetails: riskDetails, products: products, documentTitles: documentTitles,
                               edition: edition)
    }

    /// As `build(programme:year:records:…)`, from the programme's approved records up to the end
    /// of `year` as storage gives them for reports (`ActivityRepository.reportedActivities`).
    /// `products`: the programme's product records (`ProductRepository`), which decide the deadline
    /// statuses (`TaskDelivery`); `documentTitles`: published documents' titles by id, for evidence.
    public func build(programme: Programme, year: Int, approved: [ReportedActivity],
                      generatedOn: CalendarDate, budget: [BudgetEntry] = [], narrative: ReportNarrative = .empty,
                      assessments: [RiskAssessment] = [], riskDetails: [RiskDetails] = [],
                      products: [ProductRecord] = [], documentTitles: [Int64: String] = [:],
                      edition: AnnualReport.Edition = .draft) async throws -> AnnualReport {
        guard programme.period.years.contains(year) else {
            throw DomainError.invalid([FieldError(
                field: "year", messageKey: "error.report.year-outside-period",
                message: "\(year) is outside the programme's period \(programme.period.from)–\(programme.period.to)")])
        }
        let counted = approved.filter { $0.year <= year }
        let ofYear = counted.filter { $0.year == year }
        let indicators = try await engine.report(for: programme, year: year)
        let histories = try await measureHistories(programme: programme, year: year)
        let currentByCode = Dictionary(indicators.measures.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let mineProducts = products.filter { $0.programmeSlug == programme.slug }
        guard let endOfYear = CalendarDate(year: year, month: 12, day: 31) else {
            throw DomainError.invalid([FieldError(field: "year", messageKey: "error.report.year-outside-period",
                                                  message: "\(year) is not a calendar year")])
        }
        let yearCountByTask = Dictionary(grouping: ofYear, by: \.taskCode).mapValues(\.count)
        let budgetOfYear = budget.filter { $0.programmeSlug == programme.slug && $0.year == year }
        let budgetByTask = Dictionary(grouping: budgetOfYear, by: \.taskCode)

        let goals = programme.goals.map { goal in
            AnnualReport.GoalSection(
                number: goal.number, title: goal.title, outcomes: goal.outcomes,
                tasks: goal.tasks.map { task in
                    let measures = task.measures.map { measure in
                        let current = currentByCode[measure.code]
                            ?? MeasureValue(code: measure.code, taskCode: task.code, name: measure.name, value: nil,
                                            notComputable: .noRule)
                        return AnnualReport.MeasureHistory(current: current, history: histories[measure.code] ?? [])
                    }
                    return AnnualReport.TaskSection(
                        code: task.code, title: task.title, measures: measures, deadline: task.deadline,
                        deadlineStatus: TaskDelivery.status(of: task, endOf: endOfYear, products: mineProducts),
                        products: task.products, implementers: task.implementers, partners: task.partners,
                        recordsInYear: yearCountByTask[task.code] ?? 0,
                        plannedGrosze: budgetByTask[task.code].flatMap { Money.sum(grosze: $0.map(\.plannedGrosze)) },
                        spentGrosze: budgetByTask[task.code].flatMap(Self.spent),
                        productLines: Self.productLines(of: task, endOf: endOfYear, products: mineProducts,
                                                        documentTitles: documentTitles))
                })
        }

        let risks = Self.riskRows(programme: programme, year: year, assessments: assessments, details: riskDetails)
        let financing = AnnualReport.Financing(sources: programme.financingSources.enumerated().map { offset, name in
            let entries = budgetOfYear.filter { $0.source == offset + 1 }
            return AnnualReport.SourceRow(number: offset + 1, name: name,
                                          plannedGrosze: Money.sum(grosze: entries.map(\.plannedGrosze)),
                                          spentGrosze: Self.spent(entries), entries: entries.count)
        })

        let summary = AnnualReport.Summary(
            index: indicators.index, partialIndex: indicators.partialIndex,
            computableWeight: indicators.computableWeight,
            totalWeight: programme.results.reduce(0) { $0 + $1.weight },
            approvedRecords: ofYear.count,
            tasksWithRecords: programme.tasks.filter { (yearCountByTask[$0.code] ?? 0) > 0 }.count,
            taskCount: programme.tasks.count)

        let titlePage = AnnualReport.TitlePage(
            programmeSlug: programme.slug, programmeTitle: programme.title, resolution: programme.resolution,
            adopted: programme.adopted, period: programme.period, year: year, generatedOn: generatedOn,
            dueOn: programme.reportDeadline(forYear: year), edition: edition)

        var report = AnnualReport(titlePage: titlePage, summary: summary, results: indicators.results, goals: goals,
                                  risks: risks, financing: financing, narrative: narrative,
                                  annex: Self.annex(of: ofYear, programme: programme))
        report.methods = AnnualReport.MethodEntry.all(of: programme)
        return report
    }

    /// The spending of entries whose spending is known; nil when none is (or the sum does not fit 64 bits).
    static func spent(_ entries: [BudgetEntry]) -> Int64? {
        let known = entries.compactMap(\.spentGrosze)
        return known.isEmpty ? nil : Money.sum(grosze: known)
    }

    /// Each risk's score at the start and end of `year`, and the reassessments dated within it.
    static func riskRows(programme: Programme, year: Int, assessments: [RiskAssessment],
                         details: [RiskDetails] = []) -> [AnnualReport.RiskRow] {
        let mine = assessments.filter { $0.programmeSlug == programme.slug }
        guard let firstDay = CalendarDate(year: year, month: 1, day: 1),
              let lastDay = CalendarDate(year: year, month: 12, day: 31),
              let dayBefore = CalendarDate(year: year - 1, month: 12, day: 31) else { return [] }
        // Table 3's risks, then those the office added (numbered after them).
        var all = programme.risks.enumerated().map { ($0.offset + 1, $0.element) }
        for d in details.sorted(by: { $0.number < $1.number }) where d.number > programme.risks.count {
            guard let added = d.added else { continue }
            all.append((d.number, added))
        }
        func score(_ number: Int, _ risk: Risk, on day: CalendarDate) -> Int {
            mine.filter { $0.risk == number && $0.date <= day }.max { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }?.score ?? risk.score
        }
        return all.map { number, risk in
            let end = score(number, risk, on: lastDay)
            let start = score(number, risk, on: dayBefore)
            let band = programme.riskScale.bands.first { ($0.from...$0.to).contains(end) }
            let changes = mine.filter { $0.risk == number && $0.date >= firstDay && $0.date <= lastDay }
                .sorted { ($0.date, $0.recordedAt) < ($1.date, $1.recordedAt) }
            return AnnualReport.RiskRow(number: number, goal: risk.goal, name: risk.name, score: end, scoreAtStart: start,
                                        changes: changes, level: band?.level, levelName: band?.name,
                                        response: risk.response, responseDetail: risk.responseDetail)
        }
    }

    /// Where `task` stands at the end of `year`, from its products (`TaskDelivery.status`).
    public static func deadlineStatus(of task: ProgrammeTask, year: Int,
                                      products: [ProductRecord]) -> AnnualReport.DeadlineStatus {
        guard let endOfYear = CalendarDate(year: year, month: 12, day: 31) else { return .due }
        return TaskDelivery.status(of: task, endOf: endOfYear, products: products)
    }

    /// The task's products as the report on the year ending `day` shows them: a delivery after
    /// the year is not one yet (in progress), and only evidence the public may see is kept, because
    /// the report is published.
    public static func productLines(of task: ProgrammeTask, endOf day: CalendarDate, products: [ProductRecord],
                             documentTitles: [Int64: String]) -> [AnnualReport.ProductLine] {
        TaskDelivery.records(of: task, in: products).map { record in
            var shown = record
            if record.status == .delivered && !record.isDelivered(by: day) {
                shown.status = .inProgress
                shown.deliveredOn = nil
            }
            shown.evidence = shown.status == .delivered ? record.publicEvidence : nil
            var title: String?
            if case let .document(id)? = shown.evidence { title = documentTitles[id] }
            return AnnualReport.ProductLine(name: task.products[record.index], record: shown, documentTitle: title)
        }
    }

    /// The records grouped by task, tasks by code as numbers (1.2 before 1.10; codes that are not
    /// `goal.task` numbers last), each group's records by start date, then id.
    static func annex(of records: [ReportedActivity], programme: Programme) -> [AnnualReport.AnnexGroup] {
        Dictionary(grouping: records, by: \.taskCode)
            .sorted { taskOrder($0.key) < taskOrder($1.key) }
            .map { code, records in
                AnnualReport.AnnexGroup(
                    taskCode: code, taskTitle: programme.task(code: code)?.title,
                    records: records.sorted { ($0.startDate, $0.id) < ($1.startDate, $1.id) })
            }
    }

    private static func taskOrder(_ code: String) -> TaskOrder {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, let goal = Int(parts[0]), let task = Int(parts[1]) {
            return TaskOrder(known: 0, goal: goal, task: task, code: code)
        }
        return TaskOrder(known: 1, goal: 0, task: 0, code: code)
    }

    private struct TaskOrder: Comparable {
        var known: Int, goal: Int, task: Int, code: String
        static func < (a: TaskOrder, b: TaskOrder) -> Bool {
            (a.known, a.goal, a.task, a.code) < (b.known, b.goal, b.task, b.code)
        }
    }

    /// Each measure's values from the period's first year to `year`, by measure code. Measures
    /// that share a rule share one series query.
    private func measureHistories(programme: Programme, year: Int) async throws -> [String: [AnnualReport.YearValue]] {
        var byRule: [MeasureRule: [AnnualReport.YearValue]] = [:]
        var result: [String: [AnnualReport.YearValue]] = [:]
        for measure in programme.tasks.flatMap(\.measures) {
            if let rule = measure.rule, let cached = byRule[rule] {
                result[measure.code] = cached
                continue
            }
            let series = try await engine.series(of: .measure(measure), in: programme)
            let values = series.points.compactMap { point -> AnnualReport.YearValue? in
                guard case let .year(pointYear) = point.group, pointYear <= year else { return nil }
                return AnnualReport.YearValue(year: pointYear, value: point.value, notComputable: point.notComputable)
            }
            if let rule = measure.rule { byRule[rule] = values }
            result[measure.code] = values
        }
        return result
    }
}
