import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// The dashboard explains itself to a council member (issue 12, item 7): the index taken apart
/// with the year's own figures, "not computable" in words in every language, no "0 %" for a year
/// that has not begun, the current year marked as running, money in złoty, no double full stop
/// after a Ukrainian or Russian date. The test clock stands on 21 September 2026.
@Suite struct DashboardExplainsTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func get(_ client: some TestClientProtocol, _ uri: String, as user: SignedInUser) async throws -> String {
        let response = try await client.execute(uri: uri, method: .get, headers: user.cookie)
        #expect(response.status == .ok, "\(uri)")
        return response.text
    }

    /// The part of `html` from `start` to the next `end`.
    static func section(_ html: String, from start: String, to end: String) -> String {
        guard let from = html.range(of: start) else { return "" }
        let rest = html[from.lowerBound...]
        return String(rest[..<(rest.range(of: end)?.upperBound ?? rest.endIndex)])
    }

    /// 2025, computed by hand (weights 25 % each; Kraków's targets: at least 4 %, 3 %, 400 events, 2 %):
    /// - goal 1: 100 × 5 000 beneficiaries ÷ 100 000 foreign residents = 5 % → achievement 5 ÷ 4 = 125 %,
    ///   counted as 100 % → 25 % × 100 % = 25 %;
    /// - goal 3: 100 × 2 700 learners ÷ 100 000 = 2.7 % → 2.7 ÷ 3 = 90 % → 25 % × 90 % = 22.5 %;
    /// - goal 4: 8 events ÷ 400 = 2 % → 25 % × 2 % = 0.5 %;
    /// - goal 6: no city-staff figure for 2025 → not computable, left out.
    /// Partial index 25 + 22.5 + 0.5 = 48 %, over 75 % of the weight.
    static func seed(_ app: TestApp) async throws {
        let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Test", kind: .ngo).id
        try await app.services.repositories.references.set(
            ReferenceValue(key: "foreign-residents", year: 2025, value: 100_000, source: "test"), by: nil)
        _ = try await app.store(Fixtures.activity("1.1", .consultation, "2025-03-10", organisation: organisation, beneficiaries: 5_000),
                                status: .approved)
        _ = try await app.store(Fixtures.activity("3.5", .course, "2025-02-01", organisation: organisation, participants: 2_700),
                                status: .approved)
        for day in 1...8 {
            _ = try await app.store(Fixtures.activity("4.1", .event, "2025-05-0\(day)", organisation: organisation, participants: 10),
                                    status: .approved)
        }
        var grant = Fixtures.activity("2.2", .other, "2025-04-01", organisation: organisation)
        grant.amountGrosze = 1_250_050
        _ = try await app.store(grant, status: .approved)
    }

    @Test func theIndexIsTakenApartWithTheYearsFigures() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            try await Self.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let html = try await Self.get(client, "/pl/dashboard?year=2025", as: viewer)
            #expect(html.contains("<a href=\"#index-explained\">Jak liczony jest indeks?</a>"))
            let explained = Self.section(html, from: "id=\"index-explained\"", to: "</section>")
            #expect(explained.contains("Stopień realizacji powyżej 100% liczy się jako 100%"))
            func row(_ goal: Int) -> String { Self.section(explained, from: ">Cel \(goal)</th>", to: "</tr>") }
            #expect(row(1).contains(">125%<") && row(1).contains(">100% <span class=\"muted\">(ograniczony do 100%)</span><")
                    && row(1).hasSuffix(">25%</td></tr>"), "\(row(1))")
            #expect(row(3).contains(">90%<") && row(3).hasSuffix(">22,5%</td></tr>"), "\(row(3))")
            #expect(row(4).contains(">2%<") && row(4).hasSuffix(">0,5%</td></tr>"), "\(row(4))")
            #expect(row(6).contains("pominięty: nie da się obliczyć"), "\(row(6))")
            #expect(explained.contains("Indeks częściowy (suma wyników, które da się obliczyć)") && explained.contains("<strong>48%</strong>"))
            #expect(explained.contains("nie da się obliczyć 1 z 4 wyników") && explained.contains("indeks częściowy, 48%,")
                    && explained.contains("dają razem 75%."))
            // A sum of amounts is money: złoty, two decimals, never a bare "12 500,5".
            #expect(html.contains("12\u{00A0}500,50\u{00A0}zł"))
            #expect(!html.contains(">12\u{00A0}500,5<"))
        }
    }

    /// A result that cannot be computed says why in the reader's language, naming the figure it
    /// lacks as people know it: never `foreign-residents`, never "reference statistic", never a key.
    @Test func notComputableIsSaidInWordsInEveryLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            let named = ["pl": "liczba cudzoziemców mieszkających w Krakowie", "en": "the number of foreign residents of Kraków",
                         "uk": "кількість іноземців, які проживають у Кракові", "ru": "число иностранцев, проживающих в Кракове"]
            for (language, name) in named {
                let html = try await Self.get(client, "/\(language)/dashboard?year=2025", as: viewer)
                #expect(html.contains(name), "\(language)")
                for leak in ["foreign-residents", "city-staff", "reference statistic", "{statistic}", "{key}", "{year}", "reason.",
                             "reference-statistic.", "dashboard.explain", "dashboard.no-data"] {
                    #expect(!html.contains(leak), "\(language) shows \(leak)")
                }
                let progress = try await client.execute(uri: "/\(language)/progress?year=2025", method: .get).text
                #expect(progress.contains(name) && !progress.contains("foreign-residents"), "\(language) progress")
            }
            // A statistic the catalogues do not name (another city's programme) is still not shown by its key.
            let localiser = try Localiser.bundled()
            let reason = try #require(localiser.reason(.missingReference(key: "wohnbevoelkerung", year: 2025), fallback: nil, "pl"))
            #expect(!reason.contains("wohnbevoelkerung") && reason.contains("dana referencyjna, którą biuro programu wprowadza co roku"))
        }
    }

    @Test func aYearThatHasNotBegunHasNoDataNotZero() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            try await Self.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let future = try await Self.get(client, "/en/dashboard?year=2027", as: viewer)
            #expect(future.contains("2027 has not begun yet, so there are no figures for it."))
            let index = Self.section(future, from: "id=\"index-heading\"", to: "</section>")
            #expect(index.contains("<p class=\"big\">—</p>") && index.contains("no data yet") && !index.contains("0%"), "\(index)")
            let results = Self.section(future, from: "id=\"dash-results-caption\"", to: "</table>")
            #expect(!results.contains(">0%<") && !results.contains(">0<") && results.contains("no data yet"), "\(results)")
            #expect(!future.contains("id=\"achievement-title\""), "no achievement chart of zeros")
            #expect(!future.contains("id=\"index-explained\""))
            // The trend charts keep the years that have figures; 2027 and 2028 have none yet.
            #expect(future.contains("<tr><th scope=\"row\">2027</th><td class=\"num\">no data yet</td></tr>"))
            let progress = try await client.execute(uri: "/en/progress?year=2027", method: .get).text
            #expect(progress.contains("2027 has not begun yet") && !Self.section(progress, from: "id=\"index-heading\"", to: "</section>").contains("0%"))

            // The current year runs to today, and its last quarter has not begun.
            let current = try await Self.get(client, "/en/dashboard?year=2026", as: viewer)
            #expect(current.contains("2026 is not over: the figures count activities approved up to 21 September 2026 and will still change."))
            #expect(current.contains("<tr><th scope=\"row\">2026, the year is not over</th>"), "the trend table marks the running year")
            #expect(Self.section(current, from: "id=\"quarters-title\"", to: "</figure>")
                .contains("<tr><th scope=\"row\">Q4</th><td class=\"num\">no data yet</td></tr>"))
            // A past year says neither.
            let past = try await Self.get(client, "/en/dashboard?year=2025", as: viewer)
            #expect(!past.contains("class=\"alert year-note\"") && !past.contains("has not begun"))
        }
    }

    @Test func aSentenceEndingOnADateHasOneFullStop() async throws {
        let due = CalendarDate(year: 2027, month: 4, day: 30)!
        for language in ["pl", "en", "uk", "ru"] {
            let format = Formatting(language: language)
            let sentence = format.sentence("Due by \(format.date(due))")
            #expect(sentence.hasSuffix(".") && !sentence.hasSuffix(".."), "\(language): \(sentence)")
        }
        #expect(Formatting(language: "uk").date(due).hasSuffix("р."), "the case this guards: Ukrainian long dates end in „р.”")
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            for language in ["uk", "ru", "pl", "en"] {
                for path in ["dashboard?year=2026", "dashboard?year=2027", "dashboard?year=2025"] {
                    let html = try await Self.get(client, "/\(language)/\(path)", as: viewer)
                    #expect(!html.contains("р..") && !html.contains("г..") && !html.contains("r.."), "\(language)/\(path)")
                }
                let progress = try await client.execute(uri: "/\(language)/progress", method: .get).text
                #expect(!progress.contains("р..") && !progress.contains("г.."), "\(language)/progress")
            }
            let uk = try await Self.get(client, "/uk/dashboard?year=2026", as: viewer)
            #expect(uk.range(of: "квітня 2027.р\\. Ураховуються", options: .regularExpression) != nil,
                    "the date keeps its own point and the next sentence follows: \(Self.section(uk, from: "до 30", to: "</p>"))")
        }
    }

    /// Nothing in a chart overlaps, even with the longest labels, on a 390 px phone: labels fit
    /// their slot (wrapped, then shortened), many bars lie on their side, and the target's label
    /// is a legend above the bars' values.
    @Test func chartLabelsNeverOverlap() {
        let long = "Udział osób przeszkolonych w Urzędzie Miasta Krakowa i Straży Miejskiej"
        let upright = BarChart.make(
            id: "a", title: long,
            points: [.init(label: long, value: 4.39, valueText: "4,39%"), .init(label: "całe miasto", value: 3.65, valueText: "3,65%"),
                     .init(label: "Cel 6", value: 1.94, valueText: "1,94%"), .init(label: "2027", value: nil, valueText: "—")],
            reference: (4, "Wartość oczekiwana: 4%"), labelHeading: "Rok", valueHeading: "Wartość", width: 360, height: 220)
        #expect(!upright.isHorizontal)
        let slot = 344.0 / 4
        for bar in upright.bars {
            #expect(bar.labelLines.count <= 2)
            for line in bar.labelLines { #expect(BarChart.textWidth(line.text) <= slot, "\(line.text)") }
            // Values sit below the legend strip (12 px text above its baseline).
            #expect(Double(bar.valueY)! - 12 >= Double(upright.legend!.textY)!, "\(bar.valueText) under the legend")
            // And labels below the axis.
            for line in bar.labelLines { #expect(Double(line.y)! - 12 >= Double(upright.axisY1)!) }
        }
        #expect(upright.rows.first?.label == long, "the table keeps the label whole")
        // The 18 districts and the city: on their side, one row each, 22 points apart.
        let districts = BarChart.make(
            id: "d", title: "x",
            points: (1...18).map { .init(label: District(number: $0)!.numeral, value: Double($0), valueText: "\($0 * 100)") }
                + [.init(label: "całe miasto", value: 172, valueText: "17 200")],
            labelHeading: "Dzielnica", valueHeading: "Wartość", width: 360)
        #expect(districts.isHorizontal && districts.width == 360)
        let ys = districts.bars.map { Double($0.labelLines[0].y)! }
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $1 - $0 >= 14 }, "labels a line apart")
        for bar in districts.bars {
            #expect(Double(bar.valueX)! + BarChart.textWidth(bar.valueText) <= 360, "\(bar.valueText) inside the chart")
            #expect(Double(bar.labelLines[0].x)! - BarChart.textWidth(bar.labelLines[0].text) >= 0, "\(bar.label) inside the chart")
        }
    }

    @Test func freezingAsksFirstAndSaysWhatItDid() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            func post(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: "/pl/reports/2025/freeze", method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken)] + fields))
            }
            let asked = try await post([])
            #expect(asked.status == .ok)
            #expect(asked.text.contains("Zamrozić wersję 1 sprawozdania za rok 2025?"))
            #expect(asked.text.contains("nie będzie można ich zmienić ani usunąć"))
            #expect(asked.text.contains("name=\"confirmed\" value=\"yes\"") && asked.text.contains("action=\"/pl/reports/2025/freeze\""))
            #expect(asked.text.contains("href=\"/pl/reports#year-2025\""), "cancel goes back to the year")
            #expect(try await app.services.repositories.reportVersions.versions(programme: Self.slug, year: 2025).isEmpty,
                    "asking stores nothing")

            let frozen = try await post([("confirmed", "yes")])
            #expect(frozen.status == .seeOther && frozen.headers[.location] == "/pl/reports#year-2025")
            #expect(frozen.cookie("otwarty_notice") == "frozen.2025")
            #expect(try await app.services.repositories.reportVersions.versions(programme: Self.slug, year: 2025).map(\.number) == [1])
            let after = try await client.execute(uri: "/pl/reports", method: .get,
                                                 headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); otwarty_notice=frozen.2025"])
            let localiser = try Localiser.bundled()
            let banner = Self.section(after.text, from: "class=\"banner success\"", to: "</div>")
            #expect(banner.contains(localiser.text("notice.frozen.title", "pl")))
            #expect(banner.contains("Rok sprawozdawczy 2025: Wersja 1"), "\(banner)")
            #expect(banner.contains("PDF powstanie przy pierwszym pobraniu"), "no renderer here")
            #expect(banner.contains(localiser.text("notice.frozen.next", "pl")))
        }
    }

    @Test func theNarrativeSavedBannerAndTheReportsPage() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let saved = try await client.execute(uri: "/pl/reports/2025/narrative", method: .post, headers: coordinator.formHeaders(),
                                                 body: formBody([("_csrf", coordinator.csrfToken), ("introduction", "Rok dobry.")]))
            #expect(saved.status == .seeOther && saved.headers[.location] == "/pl/reports/2025/narrative")
            #expect(saved.cookie("otwarty_notice") == "narrative-saved.2025")
            let page = try await client.execute(uri: "/pl/reports/2025/narrative", method: .get,
                                                headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); otwarty_notice=narrative-saved.2025"])
            let localiser = try Localiser.bundled()
            #expect(page.text.contains(localiser.text("notice.narrative-saved.title", "pl")))
            #expect(page.text.contains("href=\"/pl/reports/2025\""), "the banner links the preview")

            // The calendar's link goes to the year's report, not to the page it is on.
            let reports = try await client.execute(uri: "/pl/reports", method: .get, headers: coordinator.cookie).text
            let calendar = Self.section(reports, from: "class=\"calendar-box\"", to: "</section>")
            #expect(calendar.contains("<a href=\"/pl/reports#year-2025\">Przejdź do sprawozdania za rok 2025</a>"), "\(calendar)")
            #expect(!calendar.contains("href=\"/pl/reports\""))
            #expect(reports.contains("id=\"year-2025\""), "the target exists")
            // No PDF renderer in tests: readers are told in words, without programs or paths; no dead PDF links.
            #expect(reports.contains(localiser.text("report.pdf-unavailable", "pl")))
            #expect(!reports.contains("chromium") && !reports.contains("libreoffice") && !reports.contains("/draft/pdf"))
            #expect(reports.contains("Przed zamrożeniem pojawi się prośba o potwierdzenie."))
            // Administrators get the technical detail.
            let admin = try await app.signedIn(.administrator)
            let adminPage = try await client.execute(uri: "/pl/reports", method: .get, headers: admin.cookie).text
            #expect(adminPage.contains("Dla administratora:") && adminPage.contains("libreoffice-writer-nogui"))
            // The dashboard's calendar goes there too.
            let dashboard = try await client.execute(uri: "/uk/dashboard", method: .get, headers: coordinator.cookie).text
            #expect(dashboard.contains("<a href=\"/uk/reports#year-2025\">Перейти до звіту за 2025 рік</a>"))
        }
    }

    @Test func budgetActionsShowBannersAndDeletingAsksFirst() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let localiser = try Localiser.bundled()
            func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken)] + fields))
            }
            func page(_ notice: String) async throws -> String {
                try await client.execute(uri: "/pl/budget?year=2025", method: .get,
                                         headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); otwarty_notice=\(notice)"]).text
            }
            let saved = try await post("/pl/budget", [("year", "2025"), ("task", "1.2"), ("source", "1"), ("planned", "12 500,5")])
            #expect(saved.status == .seeOther && saved.cookie("otwarty_notice") == "budget-saved")
            let afterSave = try await page("budget-saved")
            #expect(afterSave.contains(localiser.text("notice.budget-saved.title", "pl")))
            #expect(afterSave.contains(localiser.text("notice.budget-saved.next", "pl")))
            #expect(afterSave.contains(">12\u{00A0}500,50\u{00A0}zł<"), "money with zł and two decimals")

            let asked = try await post("/pl/budget/delete", [("year", "2025"), ("task", "1.2"), ("source", "1")])
            #expect(asked.status == .ok && asked.text.contains("Usunąć wpis budżetu dla zadania 1.2 (2025)?"))
            #expect(asked.text.contains("12\u{00A0}500,50\u{00A0}zł") && asked.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await app.services.repositories.budget.entries(programme: Self.slug, year: 2025).count == 1, "asking deletes nothing")
            let deleted = try await post("/pl/budget/delete", [("year", "2025"), ("task", "1.2"), ("source", "1"), ("confirmed", "yes")])
            #expect(deleted.status == .seeOther && deleted.cookie("otwarty_notice") == "budget-deleted")
            #expect(try await page("budget-deleted").contains(localiser.text("notice.budget-deleted.title", "pl")))
            #expect(try await app.services.repositories.budget.entries(programme: Self.slug, year: 2025).isEmpty)
            #expect(try await post("/pl/budget/delete", [("year", "2025"), ("task", "1.2"), ("source", "1")]).status == .notFound)

            let banner = try await page("budget-imported.2")
            #expect(banner.contains(localiser.text("notice.budget-imported.title", "pl")))
            #expect(banner.contains(localiser.plural("budget.imported", count: 2, "pl")))
        }
    }
}
