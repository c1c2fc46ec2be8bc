import OtwartyCore

/// Formats an `AnnualReport` for one language: the model the HTML template prints and the ODT
/// writer lays out, so both formats say exactly the same.
struct AnnualReportPresenter {
    let report: AnnualReport
    let language: String
    let localiser: Localiser
    /// Organisation names by id, for the annex.
    let organisations: [OrganisationID: String]
    /// The language the programme's own texts are written in.
    let programmeLanguage: String
    /// Prefix of a published document's link (a product's evidence); "" for site-relative links.
    var publicBaseURL: String = ""

    var format: Formatting { Formatting(language: language) }
    var numbers: FastNumbers { FastNumbers(language: language) }
    func t(_ key: String) -> String { localiser.text(key, language) }
    /// Money as every page shows it: two decimals and „zł”.
    func amount(_ grosze: Int64) -> String { format.amount(Money(grosze: grosze)) }

    func model(css: String) -> AnnualReportShow.Model {
        let title = report.titlePage
        let header = ProgrammeHeader(
            slug: title.programmeSlug, title: title.programmeTitle, language: programmeLanguage, resolution: title.resolution,
            adopted: format.date(title.adopted), period: "\(title.period.from)–\(title.period.to)", mainGoal: "",
            href: "", resultsHref: "", risksHref: "")
        let dashboard = DashboardFormatting(language: language, localiser: localiser, year: report.year)
        let edition: String
        switch title.edition {
        case .draft: edition = t("report.edition.draft")
        case let .version(number): edition = "\(t("report.edition.version")) \(number)"
        }
        let model = AnnualReportShow.Model(
            lang: language, t: localiser.strings(language), css: css,
            documentTitle: "\(t("report.document-title")) \(report.year)", programme: header, year: report.year,
            generatedOn: format.date(title.generatedOn), dueOn: title.dueOn.map(format.date),
            isDraft: title.edition == .draft, edition: edition, summary: summary(),
            introduction: Self.paragraphs(report.narrative.introduction),
            hasIntroduction: !Self.paragraphs(report.narrative.introduction).isEmpty,
            results: report.results.map(dashboard.resultLine),
            achievementChart: BarChart.make(
                id: "report-achievement", title: t("dashboard.achievement-chart"),
                points: report.results.map { r in
                    .init(label: "\(t("results.goal")) \(r.goal)", value: r.achievement.map { min($0, 2) * 100 },
                          valueText: r.achievement.map { format.number($0 * 100, maxFractionDigits: 0) + "%" } ?? "—")
                },
                reference: (100, t("dashboard.target-reached")),
                labelHeading: t("results.goal"), valueHeading: t("dashboard.achievement"), width: 560, height: 240),
            historyYears: Array(title.period.from...report.year),
            goals: report.goals.map(goal), risks: report.risks.map(risk), financing: financing(),
            annex: report.annex.map(annexGroup), annexCount: report.summary.approvedRecords)
        return withMethods(model)
    }

    func summary() -> AnnualReportShow.Summary {
        let s = report.summary
        var achievements: [String] = []
        for r in report.results where (r.achievement ?? 0) >= 1 {
            achievements.append("\(t("report.summary.target-reached")): \(t("results.goal")) \(r.goal) — \(r.indicator)")
        }
        for task in report.goals.flatMap(\.tasks) where task.deadlineStatus == .met && task.deadline?.year == report.year {
            achievements.append("\(t("report.summary.delivered")): \(task.code) \(task.title)")
        }
        return AnnualReportShow.Summary(
            index: s.index.map { format.number($0 * 100, maxFractionDigits: 1) + "%" },
            partialIndex: format.number(s.partialIndex * 100, maxFractionDigits: 1) + "%",
            computableWeight: format.number(s.computableWeight * 100, maxFractionDigits: 0) + "%",
            records: numbers.integer(s.approvedRecords),
            tasksWithRecords: "\(s.tasksWithRecords) / \(s.taskCount)",
            achievements: achievements, hasAchievements: !achievements.isEmpty)
    }

    func goal(_ g: AnnualReport.GoalSection) -> AnnualReportShow.Goal {
        AnnualReportShow.Goal(
            number: g.number, title: g.title, comment: Self.paragraphs(report.narrative.comment(goal: g.number)),
            hasComment: !Self.paragraphs(report.narrative.comment(goal: g.number)).isEmpty,
            tasks: g.tasks.map { task in
                AnnualReportShow.Task(
                    code: task.code, title: task.title,
                    deadline: task.deadline.map(format.date) ?? t("task.continuous"),
                    status: t("report.status.\(task.deadlineStatus.rawValue)"), statusCode: task.deadlineStatus.rawValue,
                    products: task.productLines.isEmpty ? task.products.map { .init(name: $0) } : task.productLines.map(product),
                    hasProducts: !task.products.isEmpty, implementers: task.implementers.joined(separator: "; "),
                    partners: task.partners.joined(separator: "; "), hasPartners: !task.partners.isEmpty,
                    records: numbers.integer(task.recordsInYear),
                    planned: task.plannedGrosze.map(amount), spent: task.spentGrosze.map(amount),
                    measures: task.measures.map { m in
                        AnnualReportShow.Measure(
                            code: m.code, name: m.name,
                            values: m.history.map { $0.value.map { format.number($0) } ?? "—" },
                            note: localiser.reason(m.current.notComputable, fallback: m.current.reason, language))
                    })
            })
    }

    /// A product as the report prints it: the resolution's text, its status and delivery date,
    /// and the public evidence (the builder has already left out staff-only links).
    func product(_ line: AnnualReport.ProductLine) -> AnnualReportShow.Product {
        Self.product(line, language: language, localiser: localiser, publicBaseURL: publicBaseURL)
    }

    /// Also used by the dashboard's and the progress page's products block, so they say the same.
    static func product(_ line: AnnualReport.ProductLine, language: String, localiser: Localiser,
                        publicBaseURL: String = "") -> AnnualReportShow.Product {
        func t(_ key: String) -> String { localiser.text(key, language) }
        var evidence: (String, String)?
        switch line.record.evidence {
        case let .document(id)?:
            evidence = (publicBaseURL + SharedURL.document(id).path(), line.documentTitle ?? "\(t("product.evidence.document")) \(id)")
        case let .link(url, _)?:
            evidence = (url, ProductEvidenceLinker.shortLabel(url))
        case nil:
            evidence = nil
        }
        return AnnualReportShow.Product(
            name: line.name, status: t("product.status.\(line.record.status.rawValue)"), statusCode: line.record.status.rawValue,
            date: line.record.deliveredOn.map(Formatting(language: language).date), evidenceHref: evidence?.0,
            evidenceLabel: evidence?.1)
    }

    func risk(_ r: AnnualReport.RiskRow) -> AnnualReportShow.Risk {
        AnnualReportShow.Risk(
            number: r.number, goal: r.goal, name: r.name, scoreAtStart: r.scoreAtStart, score: r.score,
            level: r.level.map { t("risk.level.\($0.rawValue)") } ?? "—", levelCode: r.level?.rawValue ?? "none",
            response: t("risk.response.\(r.response.rawValue)"), responseDetail: r.responseDetail,
            changes: r.changes.map { .init(date: format.date($0.date), score: $0.score, reason: $0.reason) },
            hasChanges: !r.changes.isEmpty)
    }

    func financing() -> AnnualReportShow.Financing {
        let f = report.financing
        func execution(_ planned: Int64?, _ spent: Int64?) -> String {
            guard let spent, let planned, planned > 0 else { return "—" }
            return format.number(Double(spent) / Double(planned) * 100, maxFractionDigits: 1) + "%"
        }
        return AnnualReportShow.Financing(
            sources: f.sources.map { s in
                .init(number: s.number, name: s.name, planned: s.plannedGrosze.map(amount) ?? "—",
                      spent: s.spentGrosze.map(amount) ?? "—", execution: execution(s.plannedGrosze, s.spentGrosze))
            },
            planned: f.plannedGrosze.map(amount) ?? "—", spent: f.spentGrosze.map(amount) ?? "—",
            execution: execution(f.plannedGrosze, f.spentGrosze), hasEntries: f.hasEntries)
    }

    func annexGroup(_ group: AnnualReport.AnnexGroup) -> AnnualReportShow.AnnexGroup {
        let cityWide = t("dashboard.city-wide")
        return AnnualReportShow.AnnexGroup(
            code: group.taskCode, title: group.taskTitle ?? t("report.annex.unknown-task"),
            count: numbers.integer(group.records.count),
            records: group.records.map { r in
                var date = r.startDate.description
                if let end = r.endDate, end != r.startDate { date += " – " + end.description }
                return AnnualReportShow.AnnexRow(
                    date: date, title: r.title, organisation: organisations[r.organisationID] ?? "#\(r.organisationID)",
                    district: r.district?.numeral ?? cityWide,
                    participants: r.participants.map(numbers.integer) ?? "—",
                    amount: r.amountGrosze.map(amount) ?? "—")
            })
    }

    /// Text split into paragraphs at blank lines; single line breaks stay inside a paragraph.
    static func paragraphs(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }
}

import Foundation
