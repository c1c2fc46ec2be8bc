import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import OtwartyStorage
@testable import OtwartyWeb
import Testing

/// Issue 12, item 4, for the actions outside the activity, report, budget and incident pages:
/// every successful post answers 303 with the notice cookie, and the page it leads to says what
/// happened and what happens next (docs/design.md, "Banners after actions"). Permanent ones
/// first answer a confirmation page that changes nothing.
@Suite struct ActionBannerTests {
    typealias Browser = TwoFactorTests.Browser

    /// A browser already signed in as `user`.
    static func browser(_ client: any TestClientProtocol, _ user: SignedInUser) -> Browser {
        var browser = Browser(client: client)
        browser.cookies["otwarty_session"] = user.sessionToken
        browser.csrf = user.csrfToken
        return browser
    }

    /// Posts, expects 303 with the notice cookie `notice` (a kind, or kind.subject), follows the
    /// redirect and returns the page it leads to; that page clears the cookie, so a refresh is quiet.
    static func act(_ browser: inout Browser, _ uri: String, _ fields: [(String, String)], notice: String,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestResponse {
        let acted = try await browser.post(uri, fields)
        #expect(acted.status == .seeOther, "\(uri): \(acted.status)", sourceLocation: sourceLocation)
        // "kind." checks the kind of a notice whose subject the test cannot know in advance.
        let value = acted.cookie("otwarty_notice") ?? ""
        #expect(notice.hasSuffix(".") ? value.hasPrefix(notice) : value == notice, "\(uri): \(value)", sourceLocation: sourceLocation)
        let location = try #require(acted.headers[.location], sourceLocation: sourceLocation)
        let path = String(location.split(separator: "#", maxSplits: 1)[0])
        let page = try await browser.get(path)
        #expect(page.status == .ok, "\(path)", sourceLocation: sourceLocation)
        #expect(page.text.contains("role=\"status\""), "\(path) shows a banner", sourceLocation: sourceLocation)
        #expect(browser.cookies["otwarty_notice"] == nil, "\(path) clears the notice", sourceLocation: sourceLocation)
        let again = try await browser.get(path)
        #expect(!again.text.contains("id=\"notice-title\""), "a refresh shows no banner", sourceLocation: sourceLocation)
        return page
    }

    @Test func thePublicFormsThankAndSayWhatHappensNextOnAPageOfTheirOwnRendering() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let point = try await app.services.repositories.servicePoints.save(ServicePoint(
                name: "Punkt Informacyjny", address: "", openingHours: "", languages: "", contact: ""))
            var visitor = Browser(client: client)

            // A rating: back to the list (rendered per request, never shared-cacheable).
            let list = try await visitor.get("/uk/service-points")
            #expect(list.headers[.cacheControl] == "no-store")
            let token = String(try #require(list.text.firstMatch(of: /name="submission" value="([^"]+)"/)).output.1)
            let rated = try await Self.act(&visitor, "/uk/service-points/feedback",
                                           [("point", String(point.id)), ("rating", "positive"), ("comment", ""), ("submission", token)],
                                           notice: "feedback-sent")
            #expect(rated.text.contains("Дякуємо за вашу оцінку") || rated.text.contains("завдання 1.5"))
            #expect(rated.text.contains("завдання 1.5"))

            // A patronage request: an empty form again, the banner giving the request's number.
            _ = try await visitor.get("/en/patronage")
            let sent = try await Self.act(&visitor, "/en/patronage", [
                ("submission", UUID().uuidString.lowercased()), ("applicant", "Fundacja Most"), ("project", "Festiwal Kultur"),
                ("startsOn", "2026-10-01"), ("endsOn", "2026-10-03"), ("description", "Trzy dni."), ("contact", "most@example.org")],
                notice: "patronage-sent.")
            let request = try #require(try await app.services.repositories.patronage.requests(status: nil).first)
            #expect(sent.text.contains("Patronage request sent") && sent.text.contains("Request number: \(request.id)"))
            #expect(sent.text.contains("The programme coordinator decides on each request"))
            #expect(!sent.text.contains("value=\"Fundacja Most\""), "the form is empty again")

            // A nomination while an edition is open.
            var office = Self.browser(client, coordinator)
            _ = try await Self.act(&office, "/pl/manage/ambassador", [("year", "2026"), ("opensOn", "2026-09-01"),
                                                                      ("closesOn", "2026-10-31"), ("galaOn", ""), ("meetingOn", "")],
                                   notice: "edition-saved")
            let form = try await visitor.get("/ru/ambassador")
            let nominationToken = String(try #require(form.text.firstMatch(of: /name="submission" value="([^"]+)"/)).output.1)
            let nominated = try await Self.act(&visitor, "/ru/ambassador", [
                ("submission", nominationToken), ("nominee", "Anna Nowak"), ("category", "person"),
                ("justification", "Od lat uczy polskiego dzieci z Ukrainy i prowadzi świetlicę."), ("contact", "a@example.org")],
                notice: "nomination-sent")
            #expect(nominated.text.contains("Номинация отправлена") || nominated.text.contains("после гала-вечера"))
            #expect(nominated.text.contains("после гала-вечера"))
        }
    }

    @Test func theOfficesPublicServiceActionsSayWhatHappened() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            var office = Self.browser(client, coordinator)

            let point = try await Self.act(&office, "/en/manage/service-points", [
                ("id", ""), ("name", "Multicultural Centre"), ("address", "ul. Józefińska 14"), ("openingHours", "Mon–Fri 10–18"),
                ("languages", "pl, uk"), ("contact", "")], notice: "service-point-saved")
            #expect(point.text.contains("Service point saved") && point.text.contains("shows the changes now"))
            #expect(point.text.contains("href=\"/en/service-points\""))

            // A patronage decision: the first post asks and changes nothing; the confirmed one decides.
            let stored = try await PublicServices(repositories: app.services.repositories, clock: app.services.clock)
                .submitPatronage(PatronageRequest(applicant: "Fundacja Most", project: "Festiwal <Kultur>",
                                                  startsOn: try #require(CalendarDate(iso: "2026-10-01")),
                                                  endsOn: try #require(CalendarDate(iso: "2026-10-02")), description: "Spotkania.",
                                                  contact: "most@example.org", language: "pl", submittedOn: app.services.clock.today,
                                                  submission: UUID().uuidString.lowercased()))
            let decision = [("decision", "grant"), ("reason", "Zgodny z celami programu")]
            let asked = try await office.post("/en/manage/patronage/\(stored.id)/decision", decision)
            #expect(asked.status == .ok)
            #expect(asked.text.contains("Grant patronage to “Festiwal &lt;Kultur&gt;”?"))
            #expect(asked.text.contains("name=\"confirmed\" value=\"yes\"") && asked.text.contains("value=\"Zgodny z celami programu\""))
            #expect(asked.text.contains("task 4.3"))
            #expect(try await app.services.repositories.patronage.request(id: stored.id)?.status == .pending, "nothing decided yet")
            let granted = try await Self.act(&office, "/en/manage/patronage/\(stored.id)/decision", decision + [("confirmed", "yes")],
                                             notice: "patronage-granted.\(stored.id)")
            #expect(granted.text.contains("Patronage granted") && granted.text.contains("let the applicant know"))
            #expect(try await app.services.repositories.patronage.request(id: stored.id)?.status == .granted)
            // An empty reason is refused before any confirmation.
            let other = try await PublicServices(repositories: app.services.repositories, clock: app.services.clock)
                .submitPatronage(PatronageRequest(applicant: "A", project: "B", startsOn: try #require(CalendarDate(iso: "2026-11-01")),
                                                  endsOn: try #require(CalendarDate(iso: "2026-11-01")), description: "C", contact: "d@example.org",
                                                  language: "pl", submittedOn: app.services.clock.today,
                                                  submission: UUID().uuidString.lowercased()))
            #expect(try await office.post("/en/manage/patronage/\(other.id)/decision", [("decision", "refuse"), ("reason", " ")]).status
                    == .unprocessableContent)

            // The Ambassador: scores and the winner's mark (reversible, so no confirmation).
            _ = try await Self.act(&office, "/en/manage/ambassador", [("year", "2026"), ("opensOn", "2026-09-01"),
                                                                      ("closesOn", "2026-10-31"), ("galaOn", ""), ("meetingOn", "")],
                                   notice: "edition-saved")
            try await PublicServices(repositories: app.services.repositories, clock: app.services.clock).nominate(Nomination(
                year: 2026, nominee: "Anna Nowak", category: .person, justification: "Od lat uczy polskiego dzieci z Ukrainy.",
                contact: "a@example.org", language: "pl", submittedOn: app.services.clock.today, submission: UUID().uuidString.lowercased()))
            let nomination = try #require(try await app.services.repositories.ambassador.nominations(year: 2026).first).nomination
            let scored = try await Self.act(&office, "/en/manage/ambassador/nominations/\(nomination.id)/score", [("score", "8")],
                                            notice: "score-saved.\(nomination.id)")
            #expect(scored.text.contains("Score saved") && scored.text.contains("href=\"#nomination-\(nomination.id)\""),
                    "the page opens at the banner, which links back to the nomination")
            let chosen = try await Self.act(&office, "/en/manage/ambassador/nominations/\(nomination.id)/winner", [("winner", "1")],
                                            notice: "winner-chosen.\(nomination.id)")
            #expect(chosen.text.contains("Marked as Ambassador") && chosen.text.contains("take the mark away"))
            let removed = try await Self.act(&office, "/en/manage/ambassador/nominations/\(nomination.id)/winner", [("winner", "0")],
                                             notice: "winner-removed.\(nomination.id)")
            #expect(removed.text.contains("Ambassador mark removed"))
        }
    }

    @Test func publishingADocumentNamesTheVersion() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let boundary = "----otwarty-doc"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(coordinator.csrfToken)\r\n"
            for (name, value) in [("kind", "welcome-pack"), ("language", "uk"), ("title", "Pakiet <powitalny>")] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pakiet.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--\(boundary)--\r\n"
            var headers = coordinator.formHeaders()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let published = try await client.execute(uri: "/pl/manage/documents", method: .post, headers: headers, body: ByteBuffer(string: body))
            let document = try #require(try await app.services.repositories.documents.documents(kind: .welcomePack).first)
            #expect(published.status == .seeOther && published.cookie("otwarty_notice") == "document-published.\(document.id)")
            let page = try await client.execute(uri: "/pl/manage/documents", method: .get,
                                                headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); otwarty_notice=document-published.\(document.id)"])
            #expect(page.text.contains("Dokument opublikowany") && page.text.contains("Pakiet &lt;powitalny&gt; (uk), wersja 1"))
            #expect(page.text.contains("href=\"/pl/documents\""))
        }
    }

    @Test func administratorsActionsNameThePersonAndRemovingASecondFactorAsksFirst() async throws {
        try await TestApp.withApp { app, client in
            let admin = try await app.signedIn(.administrator)
            var office = Self.browser(client, admin)
            let viewer = try await app.signedIn(.viewer, email: "radna@krakow.test")

            let disabled = try await Self.act(&office, "/en/admin/users/\(viewer.user.id)/disable", [],
                                              notice: "user-disabled.\(viewer.user.id)")
            #expect(disabled.text.contains("Account disabled") && disabled.text.contains("Test viewer (radna@krakow.test)"))
            #expect(disabled.text.contains("until you enable the account again"))
            let enabled = try await Self.act(&office, "/en/admin/users/\(viewer.user.id)/enable", [],
                                             notice: "user-enabled.\(viewer.user.id)")
            #expect(enabled.text.contains("Account enabled"))
            let organisation = try await Self.act(&office, "/en/admin/organisations",
                                                  [("organisationName", "Fundacja Zustricz"), ("organisationKind", "ngo")],
                                                  notice: "organisation-added.")
            #expect(organisation.text.contains("Organisation added") && organisation.text.contains("Fundacja Zustricz"))

            // An invitation's link is a secret shown once: the same banner, on the answer itself.
            let invited = try await office.post("/en/admin/users", [("displayName", "Nowa"), ("email", "nowa@krakow.test"), ("role", "viewer")])
            #expect(invited.status == .created && invited.text.contains("Invitation created") && invited.text.contains("/en/invitation/"))
            #expect(invited.text.contains("Otwarty sends no e-mail"))

            // Removing someone's second factor: asked first, nothing removed until confirmed.
            let (_, _, _, enrolled) = try await TwoFactorTests.enrolled(app, client, role: .viewer, email: "juror@krakow.test")
            let asked = try await office.post("/en/admin/users/\(enrolled.id)/second-factor/remove", [])
            #expect(asked.status == .ok && asked.text.contains("Remove the second factor of") && asked.text.contains("juror@krakow.test"))
            #expect(try await app.services.twoFactor.enrolledUserIDs().contains(enrolled.id), "nothing removed yet")
            let removed = try await Self.act(&office, "/en/admin/users/\(enrolled.id)/second-factor/remove", [("confirmed", "yes")],
                                             notice: "second-factor-removed.\(enrolled.id)")
            #expect(removed.text.contains("Second factor removed") && removed.text.contains("juror@krakow.test"))
            #expect(try await !app.services.twoFactor.enrolledUserIDs().contains(enrolled.id))
        }
    }

    @Test func accountRequestsSayWhoMustApprove() async throws {
        try await TestApp.withApp { app, client in
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            var office = Self.browser(client, admin)
            let proposed = try await office.post("/pl/admin/users", [("displayName", "Obsługa"), ("email", "obsluga@krakow.test"),
                                                                     ("role", "incident-handler")])
            let request = try #require(try await app.services.repositories.handlerAccountRequests.pending().first)
            #expect(proposed.status == .seeOther && proposed.cookie("otwarty_notice") == "account-change-proposed.\(request.id)")
            let page = try await office.get(try #require(proposed.headers[.location]))
            #expect(page.text.contains("Zapisano wniosek") && page.text.contains("obsluga@krakow.test") && page.text.contains("z drugą rolą"))

            var approver = Self.browser(client, coordinator)
            let rejected = try await Self.act(&approver, "/en/admin/handler-accounts/\(request.id)/reject", [],
                                              notice: "account-change-rejected.\(request.id)")
            #expect(rejected.text.contains("Request rejected") && rejected.text.contains("Nothing was changed"))
        }
    }

    @Test func theRestOfTheOfficesFormsAnswerWithABanner() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            var office = Self.browser(client, coordinator)
            let statistic = try await Self.act(&office, "/uk/reference-statistics", [
                ("key", "foreign-residents"), ("year", "2025"), ("value", "120000"), ("source", "GUS"), ("asOf", "")],
                notice: "reference-saved")
            #expect(statistic.text.contains("Довідкове значення збережено") && statistic.text.contains("ранішу редакцію"))

            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Most", kind: .ngo)
            let coordinatorAdded = try await Self.act(&office, "/en/organisations/\(organisation.id)/coordinators", [
                ("name", "Olena K."), ("function", "koordynatorka"), ("email", "olena@example.org"), ("phone", ""),
                ("validFrom", ""), ("validUntil", "")], notice: "coordinator-added")
            #expect(coordinatorAdded.text.contains("Cooperation coordinator added") && coordinatorAdded.text.contains("never published"))

            let risks = "/ru/programmes/\(EmbeddedProgrammes.krakowSlug)/risks"
            let added = try await Self.act(&office, "\(risks)/new", [
                ("goal", "1"), ("name", "Brak tłumaczy"), ("score", "6"), ("response", "counteract"), ("responseDetail", "Umowy ramowe"),
                ("owner", "Biuro"), ("linkedTasks", "1.1"), ("reviewEveryMonths", "6")], notice: "risk-added")
            #expect(added.text.contains("Риск добавлен в реестр") && added.text.contains("href=\"#register\""))
            let details = try await Self.act(&office, "\(risks)/2/details", [("owner", "Pełnomocnik"), ("linkedTasks", "1.1"),
                                                                             ("reviewEveryMonths", "3")], notice: "risk-details-saved.2")
            #expect(details.text.contains("Данные риска сохранены"))
            let reassessed = try await Self.act(&office, "\(risks)/assessments", [("risk", "7"), ("date", "2026-03-01"), ("score", "6"),
                                                                                   ("reason", "więcej zgłoszeń")], notice: "risk-reassessed")
            #expect(reassessed.text.contains("Повторная оценка записана") && reassessed.text.contains("href=\"#history\""))
        }
    }

    @Test func importingPoliceStatisticsRedirectsWithTheNumberOfRows() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let boundary = "----otwarty-police"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(coordinator.csrfToken)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2025\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"policja.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "year,district,offence_category,count\n2025,1,kradzież,3\n2025,2,pobicie,1\n\r\n--\(boundary)--\r\n"
            var headers = coordinator.formHeaders()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let imported = try await client.execute(uri: "/pl/conflict-risk/police", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(imported.status == .seeOther && imported.headers[.location] == "/pl/conflict-risk?year=2025")
            #expect(imported.cookie("otwarty_notice") == "police-imported.2")
            let page = try await client.execute(uri: "/pl/conflict-risk?year=2025", method: .get,
                                                headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); otwarty_notice=police-imported.2"])
            #expect(page.text.contains("Zaimportowano statystyki policyjne") && page.text.contains("zaimportuj ponownie wcześniejszy plik"))
            #expect(page.text.contains(try Localiser.bundled().plural("conflict.imported", count: 2, "pl")))
        }
    }

    @Test func signingOutAndSettingAPasswordSayWhatNext() async throws {
        try await TestApp.withApp { app, client in
            let viewer = try await app.signedIn(.viewer)
            var browser = Self.browser(client, viewer)
            let out = try await Self.act(&browser, "/en/logout", [], notice: "signed-out")
            #expect(out.text.contains("You have signed out") && out.text.contains("action=\"/en/login\""))

            let (invited, token) = try await app.services.accounts.invite(email: "nowy@krakow.test", displayName: "Nowy", role: .viewer,
                                                                          organisationID: nil, by: nil)
            _ = invited
            var newcomer = Browser(client: client)
            _ = try await newcomer.get("/uk/invitation/\(token)")
            let set = try await Self.act(&newcomer, "/uk/invitation/\(token)", [("password", TestApp.goodPassword),
                                                                               ("passwordConfirmation", TestApp.goodPassword)],
                                         notice: "password-set")
            #expect(set.text.contains("Пароль установлено"))
        }
    }

    @Test func twoFactorOnAndOffAreSaid() async throws {
        try await TestApp.withApp { app, client in
            // Turning it on shows the codes once, under the banner, on the answer itself (not a redirect).
            _ = try await TwoFactorTests.user(app, .viewer, "czytelnik@krakow.test")
            var signedIn = Browser(client: client)
            _ = try await signedIn.signIn("czytelnik@krakow.test", language: "en")
            let secret = try TwoFactorTests.secret(fromPage: try await signedIn.get("/en/account/two-factor").text)
            let on = try await signedIn.post("/en/account/two-factor/confirm", [("code", TwoFactorTests.code(app, secret: secret))])
            #expect(on.status == .ok && on.text.contains("Two-factor sign-in is on") && on.text.contains("shown only now"))
            #expect(on.text.contains("<code class=\"credential\">"))
            app.clock.advance(by: 30)
            let off = try await Self.act(&signedIn, "/en/account/two-factor/remove", [("code", TwoFactorTests.code(app, secret: secret))],
                                         notice: "two-factor-off")
            #expect(off.text.contains("Two-factor sign-in is off"))
        }
    }
}

/// The confirmation page and the banner from mock models, with the script payload in every text
/// (a project's or a person's name, a reason, a carried field, a banner's details).
extension TemplateTests {
    @Test func theConfirmationPageAndTheBannerShowThePayloadAsText() throws {
        var page = chrome()
        page.notice = NoticeBanner(title: Self.payload, text: Self.payload, items: [Self.payload],
                                   links: [.init(label: Self.payload, href: "#nomination-1")])
        let model = ConfirmationShow.Model(
            page: page, heading: Self.payload, lead: Self.payload, consequences: [Self.payload],
            action: "/en/manage/patronage/1/decision", fields: [.init(name: "reason", value: Self.payload)],
            confirmLabel: Self.payload, cancelHref: "/en/manage/patronage", isDanger: true)
        try check(ConfirmationShow.template, model, contains: [
            "name=\"confirmed\" value=\"yes\"", "name=\"reason\" value=\"\(Self.escaped)\"", "class=\"danger\"",
            "role=\"status\"", "href=\"#nomination-1\"",
        ])
    }
}
