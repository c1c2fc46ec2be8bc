import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 10, item 7, through the pages: an administrator's page gives no link for an incident
/// handler; a request, approved by the programme coordinator in their own session, does; handlers
/// see the change at their next sign-in.
@Suite struct HandlerAccountsTests {
    func post(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser,
              _ fields: [(String, String)] = []) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(),
                                 body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    @Test func theAdministratorsPageGivesNoLinkForAHandler() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let admin = try await app.signedIn(.administrator)
            let handler = try await app.signedIn(.incidentHandler, email: "handler@krakow.test")
            let invite = try await post(client, "/pl/admin/users", as: admin,
                                        [("displayName", "Moja"), ("email", "moja@krakow.test"), ("role", "incident-handler")])
            #expect(invite.status == .seeOther && invite.headers[.location] == "/pl/admin/handler-accounts")
            #expect(!invite.text.contains("/invitation/"))
            #expect(try await app.services.repositories.users.user(email: "moja@krakow.test") == nil)

            let reset = try await post(client, "/pl/admin/users/\(handler.user.id)/link", as: admin)
            #expect(reset.status == .seeOther && reset.headers[.location] == "/pl/admin/handler-accounts")
            #expect(!reset.text.contains("/invitation/"))

            // Approving their own requests is refused.
            let pending = try await app.services.repositories.handlerAccountRequests.pending()
            #expect(pending.count == 2)
            for request in pending {
                let own = try await post(client, "/pl/admin/handler-accounts/\(request.id)/approve", as: admin)
                #expect(own.status == .forbidden)
                #expect(!own.text.contains("/invitation/"))
            }
            // Other roles do not reach the page.
            for role in [Role.viewer, .incidentHandler, .partner, .unitCoordinator] {
                let other = try await app.signedIn(role)
                let page = try await client.execute(uri: "/pl/admin/handler-accounts", method: .get, headers: other.cookie)
                #expect(page.status == .forbidden, "\(role)")
            }
        }
    }

    @Test func theCoordinatorApprovesInTheirOwnSessionAndGetsTheLinkOnce() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await post(client, "/en/admin/users", as: admin,
                               [("displayName", "New Handler"), ("email", "nowa@krakow.test"), ("role", "incident-handler")])
            let request = try #require(try await app.services.repositories.handlerAccountRequests.pending().first)

            let page = try await client.execute(uri: "/en/admin/handler-accounts", method: .get, headers: coordinator.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("nowa@krakow.test"))
            #expect(page.text.contains("/en/admin/handler-accounts/\(request.id)/approve"))

            let approved = try await post(client, "/en/admin/handler-accounts/\(request.id)/approve", as: coordinator)
            #expect(approved.status == .ok)
            let link = try #require(approved.text.firstMatch(of: /\/en\/invitation\/([0-9a-f]{64})/))
            let user = try #require(try await app.services.accounts.invitedUser(token: String(link.output.1)))
            #expect(user.email == "nowa@krakow.test" && user.role == .incidentHandler)
            // Shown once: the page does not show it again.
            let again = try await client.execute(uri: "/en/admin/handler-accounts", method: .get, headers: coordinator.cookie)
            #expect(!again.text.contains("/invitation/"))
            #expect(try await post(client, "/en/admin/handler-accounts/\(request.id)/approve", as: admin).status == .conflict)

            // The coordinator proposes; the administrator approves from the same page.
            let proposed = try await post(client, "/en/admin/handler-accounts", as: coordinator,
                                          [("kind", "new-password"), ("user", String(user.id))])
            #expect(proposed.status == .seeOther)
            let reset = try #require(try await app.services.repositories.handlerAccountRequests.pending().first)
            let resetApproved = try await post(client, "/en/admin/handler-accounts/\(reset.id)/approve", as: admin)
            #expect(resetApproved.status == .ok && resetApproved.text.contains("/en/invitation/"))

            // Bad proposals get a clear answer, never a 500.
            let noKind = try await post(client, "/en/admin/handler-accounts", as: coordinator, [("kind", "everything")])
            #expect(noKind.status == .unprocessableContent)
            let noUser = try await post(client, "/en/admin/handler-accounts", as: coordinator,
                                        [("kind", "role-change"), ("user", "99999999999999999999"), ("role", "viewer")])
            #expect(noUser.status == .unprocessableContent)
            let badEmail = try await post(client, "/en/admin/handler-accounts", as: coordinator,
                                          [("kind", "invitation"), ("email", "not an address"), ("displayName", "X")])
            #expect(badEmail.status == .unprocessableContent)
            let missing = try await post(client, "/en/admin/handler-accounts/424242/approve", as: coordinator)
            #expect(missing.status == .notFound)
        }
    }

    @Test func handlersSeeTheChangeAtTheirNextSignIn() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            var (browser, secret, _, handler) = try await TwoFactorTests.enrolled(app, client, role: .incidentHandler,
                                                                                  email: "obsluga@krakow.test")
            _ = browser
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            app.clock.advance(by: 60)
            _ = try await post(client, "/pl/admin/users", as: admin,
                               [("displayName", "Druga"), ("email", "druga@krakow.test"), ("role", "incident-handler")])
            let request = try #require(try await app.services.repositories.handlerAccountRequests.pending().first)
            _ = try await post(client, "/pl/admin/handler-accounts/\(request.id)/approve", as: coordinator)
            app.clock.advance(by: 60)

            // Sign in again: the notice comes first (after the second factor), then where they were going.
            browser = TwoFactorTests.Browser(client: client)
            let password = try await browser.signIn("obsluga@krakow.test", next: "/pl/incidents")
            #expect(password.status == .seeOther)
            let codeLocation = try #require(password.headers[.location])
            let target = "/pl/account/handler-changes?next=%2Fpl%2Fincidents"
            #expect(codeLocation == "/pl/login/code?next=" + target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(try await browser.get(codeLocation).status == .ok)
            let signedIn = try await browser.post("/pl/login/code", [("code", TwoFactorTests.code(app, secret: secret)),
                                                                     ("next", target)])
            #expect(signedIn.status == .seeOther)
            let notice = try #require(signedIn.headers[.location])
            #expect(notice == target)
            let page = try await browser.get(notice)
            #expect(page.status == .ok)
            #expect(page.text.contains("druga@krakow.test"))
            let acknowledged = try await browser.post("/pl/account/handler-changes", [("next", "/pl/incidents")])
            #expect(acknowledged.status == .seeOther && acknowledged.headers[.location] == "/pl/incidents")
            let service = HandlerAccountService(accounts: app.services.accounts,
                                                requests: app.services.repositories.handlerAccountRequests)
            #expect(try await service.unacknowledged(for: handler).isEmpty)
            #expect(try await app.services.repositories.audit.entries(subject: "user:\(handler.id)", limit: 50)
                .contains { $0.action == "handler-account.acknowledged" })
            // Nothing new: the page sends them on.
            let empty = try await browser.get("/pl/account/handler-changes?next=%2Fpl%2Fincidents")
            #expect(empty.status == .seeOther && empty.headers[.location] == "/pl/incidents")
        }
    }
}

/// The two pages from mock models, with a script payload in every text (see `TemplateTests`).
@Suite struct HandlerAccountTemplateTests {
    @Test func bothPagesShowThePayloadAsText() async throws {
        let t = try await TemplateTests()
        let payload = TemplateTests.payload
        let row = AccountRequestsShow.Row(
            id: 7, kind: payload, account: payload, displayName: payload, change: payload, proposedBy: payload,
            proposedAt: payload, state: payload, decidedBy: payload, decidedAt: payload, canDecide: true, isOwn: false,
            approveAction: "/en/admin/handler-accounts/7/approve", rejectAction: "/en/admin/handler-accounts/7/reject")
        var own = row
        own.canDecide = false
        own.isOwn = true
        let option = AdminUsersShow.Option(value: "1", label: payload, selected: true)
        try t.check(AccountRequestsShow.template, AccountRequestsShow.Model(
            page: t.chrome(), pending: [row, own], hasPending: true, decided: [row], handlers: [option], hasHandlers: true, inviteRoles: [option],
            users: [option], roles: [option], action: "/en/admin/handler-accounts",
            form: .init(email: payload, displayName: payload, emailError: payload, displayNameError: nil, userError: payload),
            errors: [FormErrorItem(field: "email", message: payload)],
            createdLink: .init(email: payload, url: "http://x/en/invitation/abc"), notice: payload),
            contains: ["/en/admin/handler-accounts/7/approve", "http://x/en/invitation/abc", "name=\"kind\" value=\"new-password\""])
        try t.check(HandlerNoticeShow.template, HandlerNoticeShow.Model(
            page: t.chrome(), changes: [row], action: "/en/account/handler-changes", next: payload),
            contains: ["/en/account/handler-changes"])
    }
}
