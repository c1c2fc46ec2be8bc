import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The report templates from mock models, with the script payload in every text.
extension TemplateTests {
    var calendarBox: ReportCalendarBox {
        ReportCalendarBox(year: 2025, cutOff: "31 December 2025", dueOn: "30 April 2026", remaining: "in 5 days",
                          isOverdue: true, frozen: nil, reportsHref: "/en/reports#year-2025", reportsLabel: Self.payload,
                          lateTasks: [.init(code: "2.2", title: Self.payload, deadline: "31 December 2024",
                                            href: "/en/programmes/s/tasks/2.2")],
                          hasLateTasks: true)
    }

    @Test func reportsPage() throws {
        let file = ReportsShow.FileLink(label: "ODT", href: "/en/reports/2025/versions/1/odt", sha256: String(repeating: "a", count: 64))
        try check(ReportsShow.template, ReportsShow.Model(
            page: chrome(), programme: header, calendar: calendarBox,
            years: [.init(year: 2025, anchor: "year-2025", dueOn: "30 April 2026", previewHref: "/en/reports/2025",
                          drafts: [.init(label: "PDF", href: "/en/reports/2025/draft/pdf", sha256: nil)],
                          narrativeHref: "/en/reports/2025/narrative", narrativeSaved: Self.payload,
                          freezeAction: "/en/reports/2025/freeze", nextVersion: 2,
                          versions: [.init(number: 1, frozenAt: "today", frozenBy: Self.payload, files: [file])], hasVersions: true)],
            pdfRenderer: nil, showsPDFDetail: true, canEdit: true, budgetHref: "/en/budget"),
            contains: ["/en/reports/2025/freeze", "/en/reports/2025/versions/1/odt", String(repeating: "a", count: 64),
                       "/en/programmes/s/tasks/2.2", "30 April 2026", "libreoffice-writer-nogui", "Freeze as version 2",
                       "PDF is not available on this server"])
    }

    @Test func narrativePage() throws {
        try check(NarrativeShow.template, NarrativeShow.Model(
            page: chrome(), programme: header, year: 2025, action: "/en/reports/2025/narrative", previewHref: "/en/reports/2025",
            reportsHref: "/en/reports", introduction: Self.payload, introductionError: Self.payload,
            goals: [.init(number: 1, title: Self.payload, field: "goal-1", text: Self.payload, error: nil)],
            errors: [FormErrorItem(field: "introduction", message: Self.payload)], savedAt: "today"),
            contains: ["name=\"goal-1\"", "<textarea id=\"introduction\"", "href=\"#introduction\""])
    }

    @Test func budgetPage() throws {
        let option = AdminUsersShow.Option(value: "1.2", label: Self.payload, selected: true)
        try check(BudgetShow.template, BudgetShow.Model(
            page: chrome(), programme: header, year: 2025, years: [.init(year: 2025, href: "/en/budget?year=2025", isCurrent: true)],
            entries: [.init(task: "1.2", taskTitle: Self.payload, source: 3, sourceName: Self.payload, planned: "5,000.00",
                            spent: "—", note: Self.payload)],
            hasEntries: true, totalPlanned: "5,000.00", totalSpent: "0.00", canEdit: true, action: "/en/budget",
            deleteAction: "/en/budget/delete", importAction: "/en/budget/import", exportHref: "/en/budget/budget.csv",
            tasks: [option], sources: [option], errors: [FormErrorItem(field: "planned", message: Self.payload)],
            plannedError: Self.payload, form: .init(planned: Self.payload, spent: "", note: ""), problems: [Self.payload],
            columns: BudgetCSV.columns.joined(separator: ",")),
            contains: ["/en/budget/delete", "enctype=\"multipart/form-data\"", "year,task,source,planned,spent,note", "5,000.00"])
    }

    /// The standalone report: a document of its own (no site chrome), its style embedded.
    @Test func annualReportDocument() throws {
        let p = Self.payload
        let model = AnnualReportShow.Model(
            lang: "en", t: renderer.localiser.strings("en"), css: ReportStylesheet.text, documentTitle: p, programme: header,
            year: 2025, generatedOn: "15 March 2026", dueOn: "30 April 2026", isDraft: true, edition: "Draft",
            summary: .init(index: nil, partialIndex: "20%", computableWeight: "75%", records: "12", tasksWithRecords: "3 / 27",
                           achievements: [p], hasAchievements: true),
            introduction: [p], hasIntroduction: true,
            results: [DashboardShow.ResultLine(goal: 1, indicator: p, weight: "25%", baseline: "4.2%", target: "at least 4%",
                                               actual: "—", achievement: "—", isComputable: false, reason: p, drillHref: "")],
            achievementChart: chart, historyYears: [2024, 2025],
            goals: [.init(number: 1, title: p, comment: [p], hasComment: true,
                          tasks: [.init(code: "1.1", title: p, deadline: "continuous", status: "continuous activity",
                                        statusCode: "continuous", products: [.init(name: p, status: p, statusCode: "delivered", date: p, evidenceHref: p, evidenceLabel: p)], hasProducts: true, implementers: p, partners: p,
                                        hasPartners: true, records: "3", planned: "1,000.00", spent: nil,
                                        measures: [.init(code: "1.1.a", name: p, values: ["1", "2"], note: p)])])],
            risks: [.init(number: 1, goal: 1, name: p, scoreAtStart: 3, score: 5, level: "serious", levelCode: "serious",
                          response: "counteract", responseDetail: p, changes: [.init(date: "1 June 2025", score: 5, reason: p)],
                          hasChanges: true)],
            financing: .init(sources: [.init(number: 1, name: p, planned: "1,000.00", spent: "—", execution: "—")],
                             planned: "1,000.00", spent: "—", execution: "—", hasEntries: true),
            annex: [.init(code: "1.1", title: p, count: "1", records: [.init(date: "2025-03-01", title: p, organisation: p,
                                                                            district: "I", participants: "20", amount: "—")])],
            annexCount: 1)
        let page = try renderer.render(AnnualReportShow.template, model).body
        #expect(page.components(separatedBy: AnnexHTML.marker).count == 2, "one place for the annex")
        // The annex tables are written beside the template (AnnualReportWriter.html does the same).
        var annex = ""
        AnnexHTML.write(model.annex, labels: .init(task: "Task", date: "Date", record: "Activity", organisation: p,
                                                   district: "District", participants: "Participants", amount: "Amount"),
                        programmeLanguage: "pl", into: &annex)
        let html = page.replacingOccurrences(of: AnnexHTML.marker, with: annex)
        #expect(annex.components(separatedBy: Self.escaped).count == 5, "caption, a header and two cells, all escaped")
        #expect(!annex.contains("<script>"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains(Self.escaped))
        #expect(!html.contains("{{"))
        #expect(!html.contains("/static/otwarty.css"), "the report stands alone")
        // The stylesheet comes out exactly as written, so the CSP hash of the file matches.
        #expect(html.contains("<style>\(ReportStylesheet.text)</style>"))
        for text in ["1 June 2025", "2025-03-01", "continuous activity", "<th scope=\"col\" class=\"num\">2024</th>",
                     "class=\"status status-continuous\"", "Draft"] {
            #expect(html.contains(text), "lacks \(text)")
        }
    }

    /// The annex writer escapes exactly as Mustache does, so the annex reads like the rest.
    @Test func theAnnexEscapesLikeMustache() throws {
        #expect(AnnexHTML.escape(Self.payload) == Self.escaped)
        #expect(AnnexHTML.escape("zażółć 'x' & <y>") == "zażółć &#39;x&#39; &amp; &lt;y&gt;")
        #expect(AnnexHTML.escape("plain") == "plain")
    }

    @Test func theReportStylesheetNeedsNoEscaping() {
        // Mustache escapes & < > " ' in {{css}}; inside <style> that would change the CSS.
        #expect(!ReportStylesheet.text.contains { "&<>\"'".contains($0) })
        #expect(ReportStylesheet.contentSecurityPolicy.contains("style-src 'sha256-"))
        #expect(!ReportStylesheet.contentSecurityPolicy.contains("script-src"))
    }
}
