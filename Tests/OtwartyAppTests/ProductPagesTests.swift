import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import OtwartyTestSupport
import Testing
@testable import OtwartyWeb

/// Issue 13 (deliverables): the products page and form. The test clock's today is 2026-09-21;
/// task 2.2 („Zarządzenie Prezydenta”, „Informacja o realizacji planu budżetowego”) was due 2024-12-31.
@Suite struct ProductPagesTests {
    static func post(_ client: some TestClientProtocol, _ uri: String, _ user: SignedInUser, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    @Test func whoReadsAndWhoEdits() async throws {
        try await TestApp.withApp { app, client in
            for role in [Role.partner, .incidentHandler] {
                let user = try await app.signedIn(role)
                #expect(try await client.execute(uri: "/pl/reports/products", method: .get, headers: user.cookie).status == .forbidden, "\(role)")
            }
            // A council member (viewer) reads, without edit links, and cannot open or send the form.
            let viewer = try await app.signedIn(.viewer)
            let read = try await client.execute(uri: "/en/reports/products", method: .get, headers: viewer.cookie)
            #expect(read.status == .ok)
            #expect(read.text.contains("<span lang=\"pl\">Zarządzenie Prezydenta</span>"))
            #expect(!read.text.contains("/en/reports/products/2.2/1"))
            #expect(try await client.execute(uri: "/en/reports/products/2.2/1", method: .get, headers: viewer.cookie).status == .forbidden)
            for role in [Role.viewer, .administrator, .unitCoordinator] {
                let user = try await app.signedIn(role)
                let sent = try await Self.post(client, "/pl/reports/products/2.2/1", user, [("status", "delivered"), ("deliveredOn", "2024-12-01")])
                #expect(sent.status == .forbidden, "\(role)")
            }
            #expect(try await app.services.repositories.products.products(programmeSlug: EmbeddedProgrammes.krakowSlug).isEmpty)
            // Addresses that name no product: 404.
            let coordinator = try await app.signedIn(.programmeCoordinator)
            for uri in ["/pl/reports/products/9.9/1", "/pl/reports/products/2.2/3", "/pl/reports/products/2.2/0", "/pl/reports/products/2.2/x"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: coordinator.cookie).status == .notFound, "\(uri)")
            }
        }
    }

    @Test func theCoordinatorMarksTask22DeliveredAndTheCalendarAndReportFollow() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            // Before: 2.2 is overdue on the dashboard's calendar.
            let before = try await client.execute(uri: "/pl/dashboard", method: .get, headers: coordinator.cookie)
            let late22 = "<li><a href=\"/pl/programmes/\(EmbeddedProgrammes.krakowSlug)/tasks/2.2\">2.2</a>"
            #expect(before.text.contains(late22), "the calendar lists 2.2 as late")

            // Without the CSRF token nothing is stored.
            let forged = try await client.execute(uri: "/pl/reports/products/2.2/1", method: .post, headers: coordinator.formHeaders(),
                                                  body: formBody([("status", "delivered"), ("deliveredOn", "2024-12-01")]))
            #expect(forged.status == .forbidden)
            // Every problem in one round, each named and linked to its field.
            let wrong = try await Self.post(client, "/en/reports/products/2.2/1", coordinator,
                                            [("status", "delivered"), ("deliveredOn", ""), ("link", "javascript:alert(1)"), ("plannedOn", "31.12.2024")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("href=\"#deliveredOn\"") && wrong.text.contains("href=\"#link\"") && wrong.text.contains("href=\"#plannedOn\""))
            #expect(wrong.text.contains("value=\"javascript:alert(1)\""), "what was typed comes back")
            let future = try await Self.post(client, "/pl/reports/products/2.2/1", coordinator, [("status", "delivered"), ("deliveredOn", "2026-09-22")])
            #expect(future.status == .unprocessableContent && future.text.contains("href=\"#deliveredOn\""))
            #expect(try await app.services.repositories.products.products(programmeSlug: EmbeddedProgrammes.krakowSlug).isEmpty)

            // Both products delivered, the second on the deadline day: post/redirect/get with a banner.
            let first = try await Self.post(client, "/pl/reports/products/2.2/1", coordinator,
                                            [("status", "delivered"), ("deliveredOn", "2024-11-15"),
                                             ("link", "https://www.bip.krakow.pl/zarzadzenie"), ("linkIsPublic", "1")])
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/pl/reports/products#task-2.2")
            let afterOne = try await client.execute(uri: "/pl/dashboard", method: .get, headers: coordinator.cookie)
            #expect(afterOne.text.contains(late22), "one of two products: still overdue")
            let second = try await Self.post(client, "/pl/reports/products/2.2/2", coordinator,
                                             [("status", "delivered"), ("deliveredOn", "2024-12-31"), ("link", "https://intranet.example.org/plan"),
                                              ("note", "sprawozdanie budżetowe")])
            #expect(second.status == .seeOther)
            #expect(second.cookie("otwarty_notice") == "product-saved")
            var withNotice = coordinator.cookie
            withNotice[.cookie] = (withNotice[.cookie] ?? "") + "; otwarty_notice=product-saved"
            let list = try await client.execute(uri: "/pl/reports/products", method: .get, headers: withNotice)
            #expect(list.text.contains("Zapisano produkt"))
            #expect(list.text.contains("status-met"))
            #expect(list.text.contains("tylko dla pracowników"), "the staff-only link is marked on the staff page")
            let after = try await client.execute(uri: "/pl/dashboard", method: .get, headers: coordinator.cookie)
            #expect(!after.text.contains(late22), "all products delivered by the deadline: not late any more")
            // The dashboard's products block shows both delivered, with the public link only.
            #expect(after.text.contains("https://www.bip.krakow.pl/zarzadzenie") && !after.text.contains("intranet.example.org"))
            let progress = try await client.execute(uri: "/en/progress?year=2025", method: .get)
            #expect(progress.text.contains("<span lang=\"pl\">Zarządzenie Prezydenta</span>"))
            #expect(progress.text.contains("https://www.bip.krakow.pl/zarzadzenie") && !progress.text.contains("intranet.example.org"))

            // The 2025 report draft: 2.2 met, the public link shown, the staff-only one not.
            let report = try await client.execute(uri: "/pl/reports/2025/draft/html", method: .get, headers: coordinator.cookie)
            #expect(report.status == .ok)
            #expect(report.text.contains("https://www.bip.krakow.pl/zarzadzenie"))
            #expect(!report.text.contains("intranet.example.org"))
            #expect(report.text.contains("Informacja o realizacji planu budżetowego"))

            let entries = try await app.services.repositories.audit.entries(
                subject: "product:\(EmbeddedProgrammes.krakowSlug):2.2:2", limit: 5)
            #expect(entries.map(\.action) == ["product.saved"])
        }
    }
}
