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
        let model = try await DashboardBuilder(programme: programme, year: year, language: language, localiser: localiser,
                                               engine: dependencies.indicators, user: context.user)
            .build(chrome: dependencies.renderer.chrome(context, title: "\(localiser.text("dashboard.title", language)) \(year)", url: .dashboard),
                   awaitingReview: try await awaitingReview(slug: slug, context: context),
                   calendar: try await ReportCalendarBuilder(programme: programme, language: language, localiser: localiser,
                                                             repositories: dependencies.repositories)
                       .build(clock: dependencies.clock))
        return try dependencies.renderer.render(DashboardShow.template, model).response()
    }

    func awaitingReview(slug: String, context: AppRequestContext) async throws -> Int {
        guard let user = context.user, ActivityService.reviewers.contains(user.role) else { return 0 }
        return try await dependencies.repositories.activities.count(ActivityFilter(programmeSlug: slug, statuses: [.submitted]))
    }
}

/// Builds the dashboard model from the indicator engine.
struct DashboardBuilder {
    let programme: Programme
    let year: Int
    let language: String
    let localiser: Localiser
    let engine: IndicatorEngine
    let user: User?

    var format: Formatting { Formatting(language: language) }
    func t(_ key: String) -> String { localiser.text(key, language) }

    func build(chrome: PageChrome, awaitingReview: Int, calendar: ReportCalendarBox? = nil) async throws -> DashboardShow.Model {
        let report = try await engine.report(for: programme, year: year)
        let pages = ProgrammePageBuilder(programme: programme, language: language, localiser: localiser)
        let results = report.results.map(resultLine)
        var trends: [BarChart] = []
        for (i, result) in programme.results.enumerated() {
            let series = try await engine.series(of: .result(result), in: programme)
            trends.append(BarChart.make(
                id: "trend-\(i + 1)", title: "\(t("results.goal")) \(result.goal): \(result.indicator)",
                points: series.points.map { point in
                    let y: Int
                    if case let .year(value) = point.group { y = value } else { y = 0 }
                    return .init(label: String(y), value: point.value, valueText: value(point.value, unit: result.unit, reason: point.reason))
                },
                reference: (result.target.value, "\(t("results.target")): \(value(result.target.value, unit: result.unit, reason: nil))"),
                labelHeading: t("dashboard.year"), valueHeading: t("dashboard.actual"), width: 360, height: 220))
        }
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
        let districts = try await engine.breakdown(of: districtSubject, in: programme, year: year, by: .district)
        let districtChart = BarChart.make(
            id: "districts", title: districtTitle,
            points: districts.points.map { point in
                let label: String
                if case let .district(number) = point.group, let number, let d = District(number: number) { label = d.numeral } else {
                    label = t("dashboard.city-wide")
                }
                return .init(label: label, value: point.value, valueText: value(point.value, unit: .count, reason: point.reason))
            },
            labelHeading: t("dashboard.district"), valueHeading: t("dashboard.actual"), width: 720)
        let quarters = try await engine.breakdown(of: districtSubject, in: programme, year: year, by: .quarter)
        let quarterChart = BarChart.make(
            id: "quarters", title: districtTitle,
            points: quarters.points.map { point in
                var label = ""
                if case let .quarter(_, q) = point.group { label = "Q\(q)" }
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
            labelHeading: t("results.goal"), valueHeading: t("dashboard.achievement"), width: 560, height: 240)
        let measureValues = Dictionary(report.measures.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let goals = programme.goals.map { goal in
            DashboardShow.GoalMeasures(
                number: goal.number, title: goal.title, href: SiteURL.goal(slug: programme.slug, number: goal.number).path(language),
                measures: goal.tasks.flatMap(\.measures).map { measure in
                    let v = measureValues[measure.code]
                    return DashboardShow.MeasureLine(
                        code: measure.code, name: measure.name,
                        value: v?.value.map { format.number($0) } ?? "—", hasValue: v?.value != nil,
                        reason: localiser.reason(v?.notComputable, fallback: v?.reason, language),
                        drillHref: SiteURL.activities.path(language, query: [.measure(measure.code), .year(year)]))
                })
        }
        return DashboardShow.Model(
            page: chrome, programme: pages.header(), year: year,
            years: programme.period.years.map { y in
                .init(year: y, href: SiteURL.dashboard.path(language, query: [.year(y)]), isCurrent: y == year)
            },
            index: report.index.map { format.number($0 * 100, maxFractionDigits: 1) + "%" },
            partialIndex: format.number(report.partialIndex * 100, maxFractionDigits: 1) + "%",
            computableWeight: format.number(report.computableWeight * 100, maxFractionDigits: 0) + "%",
            reportDeadline: programme.reportDeadline(forYear: year).map(format.date) ?? "—",
            results: results, achievementChart: achievements, trendCharts: trends, goals: goals,
            districtChart: districtChart, quarterChart: quarterChart, districtSubject: districtTitle, awaitingReview: awaitingReview,
            reviewHref: awaitingReview > 0 ? SiteURL.review.path(language) : nil,
            exportHref: SiteURL.exportIndicators.path(language, query: [.year(year)]), calendar: calendar)
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
        return DashboardShow.ResultLine(
            goal: r.goal, indicator: r.indicator, weight: format.number(r.weight * 100) + "%",
            baseline: value(r.baseline.value, unit: r.unit, reason: nil) + " (\(r.baseline.year))",
            target: "\(comparison) \(value(r.target.value, unit: r.unit, reason: nil))",
            actual: value(r.actual, unit: r.unit, reason: r.reason),
            achievement: r.achievement.map { format.number($0 * 100, maxFractionDigits: 1) + "%" } ?? "—",
            isComputable: r.isComputable, reason: localiser.reason(r.notComputable, fallback: r.reason, language),
            drillHref: SiteURL.activities.path(language, query: [.result(r.goal), .year(year)]))
    }
}
