import Foundation
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// The dashboard is rendered from dictionaries (`TemplateValues.flatten`) instead of its structs,
/// for speed; the text must be exactly what Mustache's own `Mirror` lookups give, in every
/// language, for a finished year (figures, a value that cannot be computed, money), the running
/// year and one that has not begun (nil fields left out, "no data yet").
@Suite struct DashboardRenderTests {
    @Test func theFlattenedModelRendersTheSamePage() async throws {
        try await TestApp.withApp(storage: .memory) { app, _ in
            try await DashboardExplainsTests.seed(app)
            let localiser = try Localiser.bundled()
            let renderer = try await PageRenderer.bundled(localiser: localiser)
            let programme = try await app.services.programme(slug: nil)
            let user = try await app.signedIn(.viewer).user
            for language in ["pl", "en", "uk"] {
                for year in [2025, 2026, 2027] {
                    let builder = DashboardBuilder(programme: programme, year: year, language: language, localiser: localiser,
                                                   engine: app.services.indicators, user: user,
                                                   today: CalendarDate(year: 2026, month: 9, day: 21))
                    let chrome = renderer.chrome(language: language, user: user, csrfToken: "csrf", title: "Dashboard", url: .dashboard)
                    let model = try await builder.build(chrome: chrome, awaitingReview: 3)
                    let reflected = try renderer.render(DashboardShow.template, model).body
                    let flattened = try renderer.render(DashboardShow.template, try #require(TemplateValues.flatten(model))).body
                    #expect(reflected.count > 20_000, "\(language) \(year): a whole page")
                    #expect(flattened == reflected, "\(language) \(year): the flattened model renders another page")
                }
            }
        }
    }
}
