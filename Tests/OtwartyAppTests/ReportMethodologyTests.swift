import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing
import ZIPFoundation

/// The annual report's "How each number is counted" (issue 13 E): one entry per result and measure
/// with its definition, unit, source and limits in the report's language, and beside each value a
/// short note linking to its entry — in the HTML (and so the PDF printed from it) and the ODT.
@Suite struct ReportMethodologyTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    @Test func theBuilderCarriesEveryMethodResultsFirst() async throws {
        let programme = try EmbeddedProgrammes.krakow()
        let entries = AnnualReport.MethodEntry.all(of: programme)
        #expect(entries.count == 40)
        #expect(entries.prefix(4).map(\.element) == [.result(1), .result(2), .result(3), .result(4)])
        #expect(entries.prefix(4).map(\.code) == ["1", "3", "4", "6"])
        #expect(entries[4].element == .measure("1.1.a") && entries[4].name == programme.tasks[0].measures[0].name)
        #expect(entries.last?.code == "6.4.a")
    }

    @Test func theHTMLReportExplainsEveryNumberInItsLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await ReportPagesTests.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let programme = try EmbeddedProgrammes.krakow()
            let glosses = ProgrammeGlosses.bundled(slug: Self.slug)
            for language in ["pl", "en", "uk", "ru"] {
                let response = try await ReportPagesTests.get(client, "/\(language)/reports/2025", as: viewer)
                #expect(response.status == .ok)
                let html = response.text
                let localiser = try Localiser.bundled()
                #expect(html.contains("<section class=\"methods\" id=\"methods\""), "\(language)")
                #expect(html.contains(escape(localiser.text("report.methods.title", language))), "\(language)")
                #expect(html.contains("<a href=\"#methods\">"), "\(language): listed in the contents")
                // 4 results and 36 measures, each with its entry and a note beside its value linking to it.
                #expect(html.components(separatedBy: "<article class=\"method\"").count == 41, "\(language)")
                for element: ProgrammeGlosses.Element in [.result(1), .result(4), .measure("1.1.a"), .measure("6.2.c")] {
                    let anchor = AnnualReportPresenter.methodAnchor(element)
                    #expect(html.contains("id=\"\(anchor)\""), "\(language) \(anchor)")
                    #expect(html.contains("href=\"#\(anchor)\""), "\(language): no note links to \(anchor)")
                    let method = try #require(programme.methodology(of: element, language: language, glosses: glosses))
                    #expect(method.definitionLanguage == language, "\(language) \(anchor): translated")
                    #expect(html.contains("<dd lang=\"\(language)\">\(escape(method.definition))</dd>"), "\(language) \(anchor)")
                    #expect(html.contains("<dd lang=\"\(language)\">\(escape(method.limits))</dd>"), "\(language) \(anchor)")
                }
                // Unit and source named from the catalogue, in the note and in the entry.
                let attendances = escape(localiser.text("methodology.unit.attendances", language))
                #expect(html.contains("<dd>\(attendances)</dd>"), "\(language)")
                let note = escape(localiser.text("methodology.label.unit", language)) + ": "
                    + escape(localiser.text("methodology.unit.percent", language))
                #expect(html.contains(note), "\(language): the goal 1 result's note")
                #expect(html.contains(escape(localiser.text("methodology.source.reference-statistic", language))), "\(language)")
                #expect(!html.contains("methodology."), "\(language): a raw catalogue key")
            }
        }
    }

    @Test func theODTHasTheSectionAndTheNotes() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await ReportPagesTests.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let response = try await ReportPagesTests.get(client, "/en/reports/2025/draft/odt", as: viewer)
            #expect(response.status == .ok)
            let archive = try Archive(data: Data([UInt8](buffer: response.body)), accessMode: .read)
            let entry = try #require(archive["content.xml"])
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            let content = String(decoding: data, as: UTF8.self)
            #expect(content.contains("How each number is counted"))
            let glosses = ProgrammeGlosses.bundled(slug: Self.slug)
            let programme = try EmbeddedProgrammes.krakow()
            let method = try #require(programme.methodology(of: .measure("3.4.a"), language: "en", glosses: glosses))
            #expect(content.contains(escape("Known limits: " + method.limits)))
            #expect(content.contains("Unit: dialogue bodies · Data source: a register kept in Otwarty (from–until dates)"))
        }
    }

    /// The entries' texts come from files an instance edits: escaped like every other text.
    @Test func theSectionEscapesItsTexts() async throws {
        let renderer = try await PageRenderer.bundled(localiser: try Localiser.bundled())
        let p = TemplateTests.payload
        let header = ProgrammeHeader(slug: "s", title: p, language: "pl", resolution: p, adopted: p, period: "2024–2028",
                                     mainGoal: "", href: "", resultsHref: "", risksHref: "")
        let chart = BarChart.make(id: "c", title: p, points: [], reference: nil, labelHeading: p, valueHeading: p,
                                  width: 560, height: 240)
        var line = DashboardShow.ResultLine(goal: 1, indicator: p, weight: "25%", baseline: "1", target: "2", actual: "3",
                                            achievement: "4", isComputable: true, reason: nil, drillHref: "")
        line.methodNote = p
        line.methodHref = "#method-result-1"
        var model = AnnualReportShow.Model(
            lang: "en", t: renderer.localiser.strings("en"), css: "", documentTitle: p, programme: header, year: 2025,
            generatedOn: p, dueOn: nil, isDraft: false, edition: p,
            summary: .init(index: "1%", partialIndex: "1%", computableWeight: "1%", records: "1", tasksWithRecords: "1",
                           achievements: [], hasAchievements: false),
            introduction: [], hasIntroduction: false, results: [line], achievementChart: chart, historyYears: [2025],
            goals: [], risks: [], financing: .init(sources: [], planned: "", spent: "", execution: "", hasEntries: false),
            annex: [], annexCount: 0)
        model.methods = [.init(anchor: "method-result-1", label: p, name: p, definition: p, definitionLanguage: "pl",
                               unit: p, sources: p, limits: p, limitsLanguage: "en")]
        model.hasMethods = true
        let html = try renderer.render(AnnualReportShow.template, model).body
        #expect(!html.contains("<script>"))
        #expect(html.components(separatedBy: TemplateTests.escaped).count > 7)
        #expect(html.contains("<dd lang=\"pl\">\(TemplateTests.escaped)</dd>"))
        #expect(html.contains("<a href=\"#method-result-1\">how it is counted</a>"))
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
