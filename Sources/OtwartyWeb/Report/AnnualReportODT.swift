import Foundation
import OtwartyCore
import OtwartyDocuments

/// Lays the report's page model out as an OpenDocument text: real headings (so LibreOffice's
/// navigator, the table of contents and PDF bookmarks see the structure), tables with repeated
/// header rows, and the chart as an SVG image with its data table beside it.
enum AnnualReportODT {
    static func write(_ m: AnnualReportShow.Model, localiser: Localiser, generatedOn: CalendarDate) throws -> [UInt8] {
        func t(_ key: String) -> String { localiser.text(key, m.lang) }
        var blocks: [TextBlock] = []

        if m.isDraft { blocks.append(.note(t("report.edition.draft").uppercased())) }
        blocks.append(.title(m.documentTitle))
        blocks.append(.subtitle(m.programme.title))
        blocks.append(.paragraph("\(t("report.resolution")): \(m.programme.resolution), \(m.programme.adopted)"))
        blocks.append(.paragraph("\(t("report.period")): \(m.programme.period)"))
        blocks.append(.paragraph("\(t("report.year")): \(m.year)"))
        blocks.append(.paragraph("\(t("report.generated-on")): \(m.generatedOn)"))
        if let due = m.dueOn { blocks.append(.paragraph("\(t("report.due-on")): \(due)")) }
        blocks.append(.paragraph("\(t("report.edition.label")): \(m.edition)"))
        blocks.append(.pageBreak)

        blocks.append(.heading(level: 1, text: t("report.summary.title")))
        blocks += m.introduction.map(TextBlock.paragraph)
        let s = m.summary
        let index = s.index ?? "\(s.partialIndex) (\(t("dashboard.index-partial")); \(t("dashboard.weight-computable")): \(s.computableWeight))"
        blocks.append(.bulletList([
            "\(t("dashboard.index")): \(index)",
            "\(t("report.summary.records")): \(s.records)",
            "\(t("report.summary.tasks-with-records")): \(s.tasksWithRecords)",
        ]))
        if s.hasAchievements {
            blocks.append(.heading(level: 2, text: t("report.summary.achievements")))
            blocks.append(.bulletList(s.achievements))
        }

        blocks.append(.heading(level: 1, text: t("report.results")))
        blocks.append(.table(TextTable(
            name: "Results", caption: "\(t("dashboard.results-caption")) \(m.year)",
            columns: [.init(header: t("results.goal"), alignment: .start, relativeWidth: 1),
                      .init(header: t("results.indicator"), alignment: .start, relativeWidth: 5),
                      .init(header: t("results.baseline"), alignment: .end, relativeWidth: 2),
                      .init(header: t("results.target"), alignment: .end, relativeWidth: 2),
                      .init(header: t("dashboard.actual"), alignment: .end, relativeWidth: 2),
                      .init(header: t("dashboard.achievement"), alignment: .end, relativeWidth: 2),
                      .init(header: t("results.weight"), alignment: .end, relativeWidth: 1)],
            rows: m.results.map { r in
                [String(r.goal), r.indicator + (r.methodNote.map { "\n\($0)" } ?? ""), r.baseline, r.target,
                 r.isComputable ? r.actual + (r.actualRange.map { " (\($0))" } ?? "")
                     : "\(r.actual) (\(t("dashboard.not-computable"))\(r.reason.map { ": \($0)" } ?? ""))",
                 r.achievement, r.weight]
            })))
        let chart = m.achievementChart
        blocks.append(.image(TextImage(
            fileName: "\(chart.id).svg", mediaType: "image/svg+xml", data: ChartSVG.file(chart),
            widthCm: 15, heightCm: 15 * Double(chart.height) / Double(chart.width),
            description: chart.title + ": " + chart.rows.map { "\($0.label) \($0.value)" }.joined(separator: "; "))))

        for goal in m.goals {
            blocks.append(.pageBreak)
            blocks.append(.heading(level: 1, text: "\(t("results.goal")) \(goal.number). \(goal.title)"))
            blocks += goal.comment.map(TextBlock.paragraph)
            for task in goal.tasks {
                blocks.append(.heading(level: 2, text: "\(t("report.task")) \(task.code). \(task.title)"))
                var facts = [
                    "\(t("task.deadline")): \(task.deadline) — \(task.status)",
                    "\(t("report.records-in-year")): \(task.records)",
                    "\(t("report.implementers")): \(task.implementers)",
                ]
                if task.hasPartners { facts.append("\(t("report.partners")): \(task.partners)") }
                if let planned = task.planned { facts.append("\(t("report.financing.planned")): \(planned)") }
                if let spent = task.spent { facts.append("\(t("report.financing.spent")): \(spent)") }
                blocks.append(.bulletList(facts))
                if task.hasProducts {
                    blocks.append(.heading(level: 3, text: t("report.products")))
                    blocks.append(.bulletList(task.products.map { $0.line(evidenceWord: t("product.field.evidence")) }))
                }
                blocks.append(.table(TextTable(
                    name: "Measures \(task.code)", caption: "\(t("report.measures")) \(task.code)",
                    columns: [.init(header: t("dashboard.code"), alignment: .start, relativeWidth: 2),
                              .init(header: t("report.measure"), alignment: .start, relativeWidth: 8)]
                        + m.historyYears.map { .init(header: String($0), alignment: .end, relativeWidth: 2) },
                    rows: task.measures.map { measure in
                        [measure.code, measure.name + (measure.note.map { " (\($0))" } ?? "")
                            + (measure.methodNote.map { "\n\($0)" } ?? "")] + measure.values
                    })))
            }
        }

        if m.hasMethods {
            // "How each number is counted": the notes beside the values above point here.
            blocks.append(.pageBreak)
            blocks.append(.heading(level: 1, text: t("report.methods.title")))
            blocks.append(.paragraph(t("report.methods.intro")))
            for method in m.methods {
                blocks.append(.heading(level: 2, text: "\(method.label). \(method.name)"))
                blocks.append(.bulletList([
                    "\(t("methodology.label.definition")): \(method.definition)",
                    "\(t("methodology.label.unit")): \(method.unit)",
                    "\(t("methodology.label.source")): \(method.sources)",
                    "\(t("methodology.label.limits")): \(method.limits)",
                ]))
            }
        }

        blocks.append(.pageBreak)
        blocks.append(.heading(level: 1, text: t("report.risks")))
        blocks.append(.table(TextTable(
            name: "Risks", caption: "\(t("report.risks-caption")) \(m.year)",
            columns: [.init(header: "#", alignment: .end, relativeWidth: 1),
                      .init(header: t("risks.goal"), alignment: .end, relativeWidth: 1),
                      .init(header: t("risks.name"), alignment: .start, relativeWidth: 6),
                      .init(header: t("report.score-at-start"), alignment: .end, relativeWidth: 2),
                      .init(header: t("report.score-at-end"), alignment: .end, relativeWidth: 2),
                      .init(header: t("risks.level"), alignment: .start, relativeWidth: 2),
                      .init(header: t("risks.response"), alignment: .start, relativeWidth: 6)],
            rows: m.risks.map { r in
                let changes = r.changes.map { "\($0.date): \(t("risks.score")) \($0.score) — \($0.reason)" }
                return [String(r.number), String(r.goal), r.name, String(r.scoreAtStart), String(r.score), r.level,
                        ([r.response + " — " + r.responseDetail] + changes).joined(separator: "\n")]
            })))

        blocks.append(.heading(level: 1, text: t("report.financing.title")))
        if !m.financing.hasEntries { blocks.append(.paragraph(t("report.financing.none"))) }
        blocks.append(.table(TextTable(
            name: "Financing", caption: "\(t("report.financing.caption")) \(m.year)",
            columns: [.init(header: "#", alignment: .end, relativeWidth: 1),
                      .init(header: t("report.financing.source"), alignment: .start, relativeWidth: 8),
                      .init(header: t("report.financing.planned"), alignment: .end, relativeWidth: 3),
                      .init(header: t("report.financing.spent"), alignment: .end, relativeWidth: 3),
                      .init(header: t("report.financing.execution"), alignment: .end, relativeWidth: 2)],
            rows: m.financing.sources.map { [String($0.number), $0.name, $0.planned, $0.spent, $0.execution] }
                + [["", t("report.financing.total"), m.financing.planned, m.financing.spent, m.financing.execution]])))

        blocks.append(.pageBreak)
        blocks.append(.heading(level: 1, text: t("report.annex.title")))
        blocks.append(.paragraph("\(t("report.annex.intro")) \(m.annexCount)"))
        for group in m.annex {
            blocks.append(.heading(level: 2, text: "\(t("report.task")) \(group.code). \(group.title) (\(group.count))"))
            blocks.append(.table(TextTable(
                name: "Annex \(group.code)", caption: nil,
                columns: [.init(header: t("report.annex.date"), alignment: .start, relativeWidth: 3),
                          .init(header: t("report.annex.record"), alignment: .start, relativeWidth: 6),
                          .init(header: t("report.annex.organisation"), alignment: .start, relativeWidth: 4),
                          .init(header: t("dashboard.district"), alignment: .start, relativeWidth: 2),
                          .init(header: t("report.annex.participants"), alignment: .end, relativeWidth: 3),
                          .init(header: t("report.annex.amount"), alignment: .end, relativeWidth: 2)],
                rows: group.records.map { [$0.date, $0.title, $0.organisation, $0.district, $0.participants, $0.amount] })))
        }

        let document = TextDocument(title: "\(m.documentTitle) — \(m.programme.title)", language: m.lang, blocks: blocks)
        // The file's dates are the report's own day, not the clock: the same report gives the same bytes.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let modified = calendar.date(from: DateComponents(year: generatedOn.year, month: generatedOn.month,
                                                          day: generatedOn.day, hour: 12)) ?? Date(timeIntervalSince1970: 0)
        return try ODTWriter.write(document, modified: modified)
    }
}
