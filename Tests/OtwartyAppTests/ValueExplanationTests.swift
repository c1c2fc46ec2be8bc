import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// Beside every number (issue 13): a share with its range from the reference statistic's
/// estimates, the index with the range it implies, "How it is counted" folded in a <details> in
/// four languages on the dashboard and the public progress page, a data source's status instead of
/// "not computable"; and the reference statistics form that takes the estimates.
@Suite struct ValueExplanationTests {
    /// The figures of `DashboardExplainsTests.seed` (goal 1: 5 000 people; goal 3: 2 700 learners;
    /// 8 events; no city-staff figure), with foreign residents 100 000 between 80 000 and 125 000:
    /// - goal 1: 5 % (central); 100 × 5 000 ÷ 125 000 = 4 % … 100 × 5 000 ÷ 80 000 = 6.25 %;
    /// - partial index (goal 6 not computable): central 25 + 22.5 + 0.5 = 48 %;
    ///   low end: goal 1 at 4 % → 4 ÷ 4 = 100 % → 25; goal 3 at 100 × 2 700 ÷ 125 000 = 2.16 % →
    ///   2.16 ÷ 3 = 72 % → 18; goal 4 → 0.5; 25 + 18 + 0.5 = 43.5 %;
    ///   high end: goal 1 6.25 ÷ 4 capped at 100 % → 25; goal 3 at 3.375 % → 112.5 % capped → 25;
    ///   25 + 25 + 0.5 = 50.5 %.
    static func seed(_ app: TestApp) async throws {
        try await DashboardExplainsTests.seed(app)
        try await app.services.repositories.references.set(
            ReferenceValue(key: "foreign-residents", year: 2025, value: 100_000, source: "central figure",
                           recordedAt: Date(timeIntervalSince1970: 10),
                           low: ReferenceEstimate(value: 80_000, source: "register figure"),
                           high: ReferenceEstimate(value: 125_000, source: "study estimate")), by: nil)
    }

    static let howCounted = ["pl": "Jak to liczymy", "en": "How it is counted", "uk": "Як це рахується", "ru": "Как это считается"]

    @Test func sharesAndTheIndexShowTheirRangeAndHowTheyAreCounted() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            try await Self.seed(app)
            let viewer = try await app.signedIn(.viewer)
            for (language, summary) in Self.howCounted {
                let decimal = language == "en" ? "." : ","
                for path in ["/\(language)/dashboard?year=2025", "/\(language)/progress?year=2025"] {
                    let html = try await DashboardExplainsTests.get(client, path, as: viewer)
                    #expect(html.contains("(4–6\(decimal)25%)"), "\(path): the share's range")
                    #expect(html.contains("43\(decimal)5–50\(decimal)5%"), "\(path): the index's range")
                    #expect(html.contains("<details class=\"how-counted\"><summary>\(summary)</summary>"), "\(path)")
                    // The reference and its estimates, with their sources, inside the details.
                    #expect(html.contains("(register figure)") && html.contains("(study estimate)"), "\(path)")
                    // 6.2.c is a data source: its status, never "not computable".
                    let police = DashboardExplainsTests.section(html, from: ">6.2.c<", to: "</tr>")
                    #expect(police.contains("value-status"), "\(path): 6.2.c status")
                    #expect(!police.contains(localiserText("dashboard.not-computable", language)), "\(path)")
                    #expect(!html.contains("value-explain."), "\(path): no catalogue key shows")
                }
            }
        }
    }

    @Test func withoutEstimatesNoRangeIsShown() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            try await DashboardExplainsTests.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let html = try await DashboardExplainsTests.get(client, "/en/dashboard?year=2025", as: viewer)
            #expect(!html.contains("class=\"value-range\""))
            #expect(html.contains("How it is counted"))
        }
    }

    @Test func theFormTakesEstimatesAndNamesTheFieldOfEachProblem() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            func post(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: "/en/reference-statistics", method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken), ("key", "foreign-residents"),
                                                         ("year", "2025"), ("value", "100 000"), ("source", "GUS"), ("asOf", "")] + fields))
            }
            let bad = try await post([("lowValue", "150000"), ("lowSource", "register"), ("highValue", ""), ("highSource", "study")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"lowValue-error\"") && bad.text.contains("id=\"highValue-error\""))
            #expect(bad.text.contains("The lower estimate must not be above the value."))
            #expect(bad.text.contains("aria-invalid=\"true\""))
            #expect(try await app.services.repositories.references.current(key: "foreign-residents", year: 2025) == nil)
            let good = try await post([("lowValue", "49 000"), ("lowSource", "PESEL"), ("highValue", "177500"), ("highSource", "UMP")])
            #expect(good.status == .seeOther)
            let stored = try await app.services.repositories.references.current(key: "foreign-residents", year: 2025)
            #expect(stored?.low == ReferenceEstimate(value: 49_000, source: "PESEL"))
            #expect(stored?.high == ReferenceEstimate(value: 177_500, source: "UMP"))
            let page = try await client.execute(uri: "/pl/reference-statistics", method: .get, headers: coordinator.cookie)
            // Polish groups thousands with a no-break space.
            let shown = page.text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
            #expect(shown.contains("Niższy szacunek: 49 000 (PESEL)") && shown.contains("Wyższy szacunek: 177 500 (UMP)"))
        }
    }

    @Test func publicTaskPagesSayHowEachMeasureIsCounted() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for (language, summary) in Self.howCounted {
                let html = try await client.execute(uri: "/\(language)/programmes/\(DashboardExplainsTests.slug)/tasks/6.3", method: .get).text
                #expect(html.contains("<details class=\"how-counted\"><summary>\(summary)</summary>"), "\(language)")
                // The measure's Polish name keeps its lang; the folded labels are in the reader's language.
                #expect(html.contains("<span lang=\"pl\">Liczba uczestników szkoleń"), "\(language)")
            }
        }
    }

    func localiserText(_ key: String, _ language: String) -> String {
        (try? Localiser.bundled().text(key, language)) ?? key
    }
}
