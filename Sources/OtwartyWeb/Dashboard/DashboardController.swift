import Foundation
import Hummingbird
import OtwartyCore

/// The results dashboard for a year, for everyone who can sign in (council members included).
struct DashboardController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    func register(on routes: Routes) {
        routes.page(.get, .dashboard, access: .roles(Role.signedIn)) { request, context in try await show(request, context) }
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let programme = try await dependencies.defaultProgramme()
        let slug = programme.slug
        // The office's year (Kraków's New Year, not the server's), held to the programme's period.
        let defaultYear = min(max(dependencies.clock.year, programme.period.from), programme.period.to)
        var year = defaultYear
        if let y = try request.number("year", in: .year) {
            guard programme.period.years.contains(y) else { throw DomainError.notFound("Year \(y)") }
            year = y
        }
        var model = try await DashboardBuilder(programme: programme, year: year, language: language, localiser: localiser,
                                               engine: dependencies.indicators, user: context.user, today: dependencies.clock.today)
            .build(chrome: dependencies.renderer.chrome(context, title: "\(localiser.text("dashboard.title", language)) \(year)", url: .dashboard),
                   awaitingReview: try await awaitingReview(slug: slug, context: context),
                   calendar: try await ReportCalendarBuilder(programme: programme, language: language, localiser: localiser,
                                                             repositories: dependencies.repositories)
                       .build(clock: dependencies.clock))
        model.deliverables = try await ProductBlockBuilder(programme: programme, language: language, localiser: localiser,
                                                           repositories: dependencies.repositories)
            .lines(year: year, today: dependencies.clock.today)
        if ProductService.canRead(context.user) { model.productsHref = SiteURL.products.path(language) }
        // As dictionaries: Mustache's `Mirror` lookups were most of a cached view's time (TemplateValues).
        return try dependencies.renderer.render(DashboardShow.template, TemplateValues.flatten(model) ?? model).response()
    }

    func awaitingReview(slug: String, context: AppRequestContext) async throws -> Int {
        guard let user = context.user, ActivityService.reviewers.contains(user.role) else { return 0 }
        return try await dependencies.repositories.activities.count(ActivityFilter(programmeSlug: slug, statuses: [.submitted]))
    }
}

/// Builds the dashboard model from the indicator engine.
///
/// The page explains its own numbers to a council member: how the weighted index is formed from
/// the results (with this year's figures), why a result cannot be computed (in words, never a
/// statistic's key), that a year which has not begun has no data rather than "0 %", and that the
/// current year's figures run only up to today. docs/design.md, "Numbers that explain themselves".
struct DashboardBuilder {
    let programme: Programme
    let year: Int
    let language: String
    let localiser: Localiser
    let engine: IndicatorEngine
    let user: User?
    /// The office's today: it tells a year that has not begun, and the current one, from the past.
    /// nil treats every year as finished (callers without a clock).
    var today: CalendarDate? = nil

    var format: Formatting { Formatting(language: language) }
    func t(_ key: String) -> String { localiser.text(key, language) }

    /// The year has not begun: nothing can have been recorded for it yet.
    var isFuture: Bool { today.map { year > $0.year } ?? false }
    /// The year is under way: its figures count what was approved up to today.
    var isInProgress: Bool { today.map { year == $0.year } ?? false }

    func build(chrome: PageChrome, awaitingReview: Int, calendar: ReportCalendarBox? = nil) async throws -> DashboardShow.Model {
        // The district breakdown follows the events result (R3) when there is one, else the first measure with a rule.
        let districtSubject: IndicatorSubject
        let districtTitle: String
        if let events = programme.results.first(where: { $0.unit == .count && $0.rule != nil }) {
            districtSubject = .result(events)
            districtTitle = events.indicator
        } else if let measure = programme.tasks.flatMap(\.measures).first(where: { $0.rule != nil }) {
            districtSubject = .measure(measure)
            districtTitle = measure.name
        } else {
            districtSubject = .measure(Measure(code: "-", name: "-"))
            districtTitle = "-"
        }
        // The engine's calls are independent: asked at once, SQLite answers them on several
        // connections (WAL readers run side by side), so the first view after a change (every
        // cached answer invalid) takes the longest call's time, not the sum: at a million records
        // ~150 ms one after another (docs/performance.md, "Dashboard").
        let engine = self.engine, programme = self.programme, year = self.year
        async let reportCall = engine.report(for: programme, year: year)
        async let seriesCall = withThrowingTaskGroup(of: (Int, IndicatorSeries).self) { group in
            for (i, result) in programme.results.enumerated() {
                group.addTask { (i, try await engine.series(of: .result(result), in: programme)) }
            }
            var all: [Int: IndicatorSeries] = [:]
            for try await (i, series) in group { all[i] = series }
            return all
        }
        async let districtsCall = engine.breakdown(of: districtSubject, in: programme, year: year, by: .district)
        async let quartersCall = engine.breakdown(of: districtSubject, in: programme, year: year, by: .quarter)
        let report = try await reportCall
        let allSeries = try await seriesCall
        let districts = try await districtsCall
        let quarters = try await quartersCall
        let pages = ProgrammePageBuilder(programme: programme, language: language, localiser: localiser)
        let noData = t("dashboard.no-data-yet")
        let explainer = ValueExplainer(programme: programme, language: language, localiser: localiser)
        let results = report.results.enumerated().map { row, result in
            var line = resultLine(result)
            if programme.results.indices.contains(row) {
                line.howCounted = explainer.result(programme.results[row], row: row + 1, value: result)
            }
            if isFuture {
                line.howCounted.valueRange = nil
                line.howCounted.rangeNote = nil
                line.howCounted.coverageNotes = []
                line.actual = "—"
                line.achievement = "—"
                line.isComputable = true
                line.reason = nil
                line.hasNoDataYet = true
            }
            return line
        }
        var trends: [BarChart] = []
        for (i, result) in programme.results.enumerated() {
            guard let series = allSeries[i] else { continue }
            trends.append(BarChart.make(
                id: "trend-\(i + 1)", title: "\(t("results.goal")) \(result.goal): \(result.indicator)",
                points: series.points.map { point in
                    let y: Int
                    if case let .year(value) = point.group { y = value } else { y = 0 }
                    if let today, y > today.year {
                        return .init(label: String(y), value: nil, valueText: "—", rowValue: noData)
                    }
                    return .init(label: String(y), value: point.value, valueText: value(point.value, unit: result.unit, reason: point.reason),
                                 rowLabel: today?.year == y ? t("dashboard.year-running").replacingOccurrences(of: "{year}", with: String(y)) : nil)
                },
                reference: (result.target.value, "\(t("results.target")): \(value(result.target.value, unit: result.unit, reason: nil))"),
                labelHeading: t("dashboard.year"), valueHeading: t("dashboard.actual"), width: 360, height: 220))
        }
        let districtChart = BarChart.make(
            id: "districts", title: districtTitle,
            points: districts.points.map { point in
                let label: String
                if case let .district(number) = point.group, let number, let d = District(number: number) { label = d.numeral } else {
                    label = t("dashboard.city-wide")
                }
                return .init(label: label, value: point.value, valueText: value(point.value, unit: .count, reason: point.reason))
            },
            labelHeading: t("dashboard.district"), valueHeading: t("dashboard.actual"), width: 360)
        let quarterChart = BarChart.make(
            id: "quarters", title: districtTitle,
            points: quarters.points.map { point in
                var label = ""
                var quarter = 0
                if case let .quarter(_, q) = point.group { label = "Q\(q)"; quarter = q }
                // A quarter of this year that has not begun has no data, not 0.
                if let today, isInProgress, (quarter - 1) * 3 + 1 > today.month {
                    return .init(label: label, value: nil, valueText: "—", rowValue: noData)
                }
                return .init(label: label, value: point.value, valueText: value(point.value, unit: .count, reason: point.reason))
            },
            labelHeading: t("dashboard.quarter"), valueHeading: t("dashboard.actual"), width: 360, height: 220)
        let achievements = BarChart.make(
            id: "achievement", title: t("dashboard.achievement-chart"),
            points: report.results.map { r in
                .init(label: "\(t("results.goal")) \(r.goal)", value: r.achievement.map { min($0, 2) * 100 },
                      valueText: r.achievement.map { format.number($0 * 100, maxFractionDigits: 0) + "%" } ?? "—")
            },
            reference: (100, t("dashboard.target-reached")),
            labelHeading: t("results.goal"), valueHeading: t("dashboard.achievement"), width: 360, height: 240)
        let measureValues = Dictionary(report.measures.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let goals = programme.goals.map { goal in
            DashboardShow.GoalMeasures(
                number: goal.number, title: goal.title, href: SiteURL.goal(slug: programme.slug, number: goal.number).path(language),
                measures: goal.tasks.flatMap(\.measures).map { measure in
                    let v = isFuture ? nil : measureValues[measure.code]
                    let howCounted = explainer.measure(measure, value: v)
                    // Ratings are shown as their parts and a data source as its status, never as one
                    // number or "not computable".
                    let shownApart = howCounted.isShownApart
                    return DashboardShow.MeasureLine(
                        code: measure.code, name: measure.name,
                        value: v?.value.map { measureText($0, measure: measure) } ?? "—", hasValue: v?.value != nil && !shownApart,
                        reason: isFuture ? noData : shownApart ? nil : localiser.reason(v?.notComputable, fallback: v?.reason, language),
                        drillHref: SiteURL.activities.path(language, query: [.measure(measure.code), .year(year)]),
                        howCounted: howCounted)
                })
        }
        let due = programme.reportDeadline(forYear: year).map(format.date) ?? "—"
        let indexRange = isFuture ? (nil, nil) : explainer.indexRange(report.index == nil ? report.partialIndexRange : report.indexRange)
        var model = DashboardShow.Model(
            page: chrome, programme: pages.header(), year: year,
            years: programme.period.years.map { y in
                .init(year: y, href: SiteURL.dashboard.path(language, query: [.year(y)]), isCurrent: y == year)
            },
            index: isFuture ? nil : report.index.map { format.number($0 * 100, maxFractionDigits: 1) + "%" },
            partialIndex: format.number(report.partialIndex * 100, maxFractionDigits: 1) + "%",
            computableWeight: format.number(report.computableWeight * 100, maxFractionDigits: 0) + "%",
            reportDeadline: due, reportDue: format.sentence("\(t("dashboard.report-due")) \(due)"),
            isFuture: isFuture, isInProgress: isInProgress, yearNote: yearNote(),
            explanation: isFuture ? nil : explanation(report),
            results: results, achievementChart: achievements, trendCharts: trends, goals: goals,
            districtChart: districtChart, quarterChart: quarterChart, districtSubject: districtTitle, awaitingReview: awaitingReview,
            reviewHref: awaitingReview > 0 ? SiteURL.review.path(language) : nil,
            exportHref: SiteURL.exportIndicators.path(language, query: [.year(year)]), calendar: calendar)
        model.indexRange = indexRange.0
        model.indexRangeNote = indexRange.1
        return model
    }

    /// A year that has not begun, or the current one, says so above the numbers.
    func yearNote() -> String? {
        if isFuture { return t("dashboard.year-future").replacingOccurrences(of: "{year}", with: String(year)) }
        if isInProgress, let today {
            return t("dashboard.year-in-progress").replacingOccurrences(of: "{year}", with: String(year))
                .replacingOccurrences(of: "{date}", with: format.date(today))
        }
        return nil
    }

    /// How this year's index comes from the results: weight × achievement (at most 100 %) each,
    /// and their sum; results that cannot be computed are left out, and the text says how.
    func explanation(_ report: IndicatorReport) -> DashboardShow.IndexExplanation {
        func percent(_ fraction: Double, digits: Int = 1) -> String { format.number(fraction * 100, maxFractionDigits: digits) + "%" }
        let rows = report.results.map { r in
            DashboardShow.ExplanationRow(
                goal: "\(t("results.goal")) \(r.goal)", weight: percent(r.weight),
                achievement: r.achievement.map { percent($0) } ?? "—",
                counted: r.achievement.map { percent(min($0, 1)) } ?? "—",
                contribution: r.achievement.map { percent(r.weight * min($0, 1), digits: 2) } ?? t("dashboard.explain.left-out"),
                isCapped: (r.achievement ?? 0) > 1, isComputable: r.achievement != nil)
        }
        let missing = report.results.filter { $0.achievement == nil }.count
        let partial: String? = missing == 0 || report.results.isEmpty ? nil : t("dashboard.explain.partial")
            .replacingOccurrences(of: "{missing}", with: String(missing))
            .replacingOccurrences(of: "{count}", with: String(report.results.count))
            .replacingOccurrences(of: "{year}", with: String(year))
            .replacingOccurrences(of: "{partial}", with: percent(report.partialIndex))
            .replacingOccurrences(of: "{weight}", with: percent(report.computableWeight, digits: 0))
        return DashboardShow.IndexExplanation(
            rows: rows, total: report.index.map { percent($0) } ?? percent(report.partialIndex),
            totalLabel: t(report.index == nil ? "dashboard.explain.partial-total" : "dashboard.explain.total"),
            partialNote: partial)
    }

    /// A measure's value: money (a sum of amounts) in złoty with two decimals, anything else as a number.
    func measureText(_ v: Double, measure: Measure) -> String {
        let grosze = (v * 100).rounded()
        // A sum too large for grosze in 64 bits (never from real amounts) falls back to the plain number.
        if case .sum(.amount)? = measure.rule?.aggregate, abs(grosze) < 9e18 { return format.amount(Money(grosze: Int64(grosze))) }
        return format.number(v)
    }

    func value(_ v: Double?, unit: ResultIndicator.Unit, reason: String?) -> String {
        DashboardFormatting(language: language, localiser: localiser, year: year).value(v, unit: unit, reason: reason)
    }

    func resultLine(_ r: ResultValue) -> DashboardShow.ResultLine {
        DashboardFormatting(language: language, localiser: localiser, year: year).resultLine(r)
    }
}

/// How the dashboard and the annual report print a result: one definition for both.
struct DashboardFormatting {
    let language: String
    let localiser: Localiser
    let year: Int

    var format: Formatting { Formatting(language: language) }
    func t(_ key: String) -> String { localiser.text(key, language) }

    func value(_ v: Double?, unit: ResultIndicator.Unit, reason: String?) -> String {
        guard let v else { return "—" }
        return unit == .percent ? format.number(v) + "%" : format.number(v)
    }

    func resultLine(_ r: ResultValue) -> DashboardShow.ResultLine {
        let comparison = t("results.comparison.\(r.target.comparison.rawValue)")
        var line = DashboardShow.ResultLine(
            goal: r.goal, indicator: r.indicator, weight: format.number(r.weight * 100) + "%",
            baseline: value(r.baseline.value, unit: r.unit, reason: nil) + " (\(r.baseline.year))",
            target: "\(comparison) \(value(r.target.value, unit: r.unit, reason: nil))",
            actual: value(r.actual, unit: r.unit, reason: r.reason),
            achievement: r.achievement.map { format.number($0 * 100, maxFractionDigits: 1) + "%" } ?? "—",
            isComputable: r.isComputable, reason: localiser.reason(r.notComputable, fallback: r.reason, language),
            drillHref: SiteURL.activities.path(language, query: [.result(r.goal), .year(year)]))
        if r.actual != nil, let range = r.actualRange { line.actualRange = rangeText(range, unit: r.unit).text }
        return line
    }

    /// A range as text ("3,1–6%"), and a note when an end is missing: the reference statistic has
    /// no higher estimate (no lower end) or no lower estimate (no upper end).
    func rangeText(_ range: ValueRange, unit: ResultIndicator.Unit, digits: Int = 2) -> (text: String?, note: String?) {
        let suffix = unit == .percent ? "%" : ""
        func number(_ v: Double) -> String { format.number(v, maxFractionDigits: digits) }
        switch (range.low, range.high) {
        case let (low?, high?):
            return ("\(number(low))–\(number(high))\(suffix)", nil)
        case let (low?, nil):
            return (t("value-explain.range-from").replacingOccurrences(of: "{value}", with: number(low) + suffix),
                    t("value-explain.range-no-upper"))
        case let (nil, high?):
            return (t("value-explain.range-up-to").replacingOccurrences(of: "{value}", with: number(high) + suffix),
                    t("value-explain.range-no-lower"))
        case (nil, nil):
            return (nil, t("value-explain.range-none"))
        }
    }
}
