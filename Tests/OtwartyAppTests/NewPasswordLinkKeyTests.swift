import Foundation
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// A password set through a link signs the person in (after the second factor): for a handler that
/// session must carry the key the new password unlocks, as a sign-in's does. Seen in issue 14's
/// browser walk: a reset handler, granted by a colleague, was still told to sign in again.
@Suite struct NewPasswordLinkKeyTests {
    @Test func aResetHandlersLinkSessionOpensWhatIsGrantedToTheNewKey() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, client in
            let email = "link-klucz@krakow.test"
            let (_, secret, _, handler) = try await TwoFactorTests.enrolled(app, client, role: .incidentHandler, email: email)
            let colleague = try await app.signedIn(.incidentHandler)
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let narrative = "Opis sprawy do otwarcia kluczem z linku 5e0a"
            let credentials = try await app.services.incidents.submit(IncidentReport(
                narrative: narrative, occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: 3),
                place: "", category: .verbalAbuse, motivations: [.language], reporterRole: .victim,
                policeInformed: .no, contact: "", consentToContact: false, language: "uk"))
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id

            // The coordinator proposes, the administrator approves: the new-password link.
            let accounts = HandlerAccountService(accounts: app.services.accounts,
                                                 requests: app.services.repositories.handlerAccountRequests)
            let request = try await accounts.proposeNewPassword(userID: handler.id, by: coordinator.user)
            guard case let .approved(_, token?) = try await accounts.approve(id: request.id, by: admin.user) else {
                Issue.record("no link")
                return
            }
            let newPassword = "jesienny tramwaj przy Kazimierzu"
            var browser = TwoFactorTests.Browser(client: client)
            _ = try await browser.get("/pl/invitation/\(token)")
            let set = try await browser.post("/pl/invitation/\(token)", [("password", newPassword), ("passwordConfirmation", newPassword)])
            let codeStep = try #require(set.headers[.location])
            #expect(set.status == .seeOther && codeStep.hasPrefix("/pl/login/code"), "the second factor stays after a reset")
            app.clock.advance(by: 60)  // a step the enrolment did not use
            _ = try await browser.get(codeStep)
            let done = try await browser.post("/pl/login/code", [("code", TwoFactorTests.code(app, secret: secret))])
            #expect(done.status == .seeOther)

            let cookie = try #require(browser.cookies["otwarty_session"])
            let (session, user) = try #require(try await app.services.accounts.resolveSession(token: cookie))
            let key = app.services.incidentKeys.sessionKey(session, token: cookie)
            #expect(key != nil, "the session made by the link carries the new key")
            #expect(try await app.services.incidents.open(id: id, by: user, key: key).access == .locked(.notGranted))

            try await app.services.incidentKeys.grant(incidentID: id, to: handler.id, by: colleague.user, key: colleague.incidentKey)
            let page = try await browser.get("/pl/incidents/\(id)")
            #expect(page.status == .ok && page.text.contains(narrative), "granted, the same session reads the case")
        }
    }
}
