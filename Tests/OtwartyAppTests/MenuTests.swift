import Foundation
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 12, items 1 and 11: the signed-in menus sit behind one menu button (a `<details>`
/// disclosure, no JavaScript) at narrow widths, mark the page the reader is on, and name the
/// back-office publishing item for what it opens (docs/design.md, "Menu").
@Suite struct MenuTests {
    @Test func theMenuItemIsThePageOnItsOwnPageAndThePartOfTheSiteBelowIt() {
        #expect(MenuCurrent(url: .dashboard).dashboard == "page")
        #expect(MenuCurrent(url: .activity(7)).activities == "true")
        #expect(MenuCurrent(url: .activityImport).activities == "true")
        #expect(MenuCurrent(url: .report(year: 2025)).reports == "true")
        #expect(MenuCurrent(url: .budget).reports == "true")
        #expect(MenuCurrent(url: .managePatronage).managePublic == "true")
        #expect(MenuCurrent(url: .manageDocuments).managePublic == "page")
        #expect(MenuCurrent(url: .incidentCase(3)).incidents == "true")
        #expect(MenuCurrent(url: .adminOrganisations).organisations == "true")
        #expect(MenuCurrent(url: .twoFactor).twoFactor == "page")
        // Public pages and no address mark nothing.
        #expect(MenuCurrent(url: .home) == MenuCurrent())
        #expect(MenuCurrent(url: .programme(slug: "s")) == MenuCurrent())
        #expect(MenuCurrent(url: nil) == MenuCurrent())
    }

    @Test func aCoordinatorsWorkLinksSitBehindTheMenuButtonWithTheCurrentPageMarked() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let page = try await client.execute(uri: "/pl/dashboard", method: .get, headers: coordinator.cookie)
            #expect(page.status == .ok)
            let html = page.text
            let menu = try #require(html.firstRange(of: "<details class=\"menu\">"))
            let end = try #require(html.range(of: "</details>", range: menu.upperBound..<html.endIndex))
            let inside = String(html[menu.upperBound..<end.lowerBound])
            #expect(inside.contains("<summary>Menu</summary>"))
            for link in ["/pl/activities", "/pl/review", "/pl/organisations", "/pl/reports", "/pl/manage/documents",
                         "/pl/incidents", "/pl/account/two-factor", "/pl/logout"] {
                #expect(inside.contains("\"\(link)\""), "the menu lacks \(link)")
            }
            #expect(inside.contains("<a href=\"/pl/dashboard\" aria-current=\"page\">"))
            #expect(inside.components(separatedBy: "aria-current=").count == 2, "one item is current")
            // Item 11: named for what it opens (the publishing form), not as the public site.
            #expect(inside.contains(">Publikacje i wnioski</a>"))
            #expect(!html.contains("Strona publiczna"))
            // The language links stay outside the menu, reachable without opening it.
            #expect(html.range(of: "class=\"languages\"")!.lowerBound < menu.lowerBound)

            let record = try await client.execute(uri: "/uk/activities/new", method: .get, headers: coordinator.cookie)
            #expect(record.text.contains("<summary>Меню</summary>"))
            #expect(record.text.contains("<a href=\"/uk/activities\" aria-current=\"true\">"))
        }
    }

    @Test func aPartnerSeesNoReviewItemAndAVisitorNoMenuButton() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let partner = try await app.signedIn(.partner)
            let page = try await client.execute(uri: "/en/activities", method: .get, headers: partner.cookie)
            #expect(page.text.contains("<summary>Menu</summary>"))
            #expect(page.text.contains("<a href=\"/en/activities\" aria-current=\"page\">"))
            #expect(!page.text.contains("\"/en/review\""))
            #expect(!page.text.contains("\"/en/manage/documents\""))

            let visitor = try await client.execute(uri: "/ru/", method: .get)
            #expect(!visitor.text.contains("<details class=\"menu\">"))
            #expect(visitor.text.contains("href=\"/ru/login\""))
        }
    }
}
