import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Issue 12, item 3: a form reports every wrong field of one submission at once, each summary
/// line names its field and links to it, every kind of input shows its error state, the summary
/// takes focus and the page title starts with "Error:" in the page's language.
@Suite struct FormErrorsTests {
    func post(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser?, _ fields: [(String, String)]) async throws -> TestResponse {
        if let user {
            return try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
        }
        return try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                        body: formBody(fields))
    }

    func session(_ app: TestApp, _ user: User) async throws -> SignedInUser {
        let token = try await app.services.accounts.startSession(for: user)
        let stored = try #require(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token)))
        return SignedInUser(user: user, sessionToken: token, csrfToken: stored.csrfToken)
    }

    /// The summary's lines, in order, as (link target, text).
    func summary(_ html: String) -> [(String, String)] {
        guard let start = html.range(of: "id=\"error-summary\""), let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex) else { return [] }
        let block = String(html[start.upperBound..<end.lowerBound])
        let pattern = try! NSRegularExpression(pattern: "<a href=\"#([^\"]+)\">([^<]*)</a>")
        return pattern.matches(in: block, range: NSRange(block.startIndex..., in: block)).map {
            (String(block[Range($0.range(at: 1), in: block)!]), String(block[Range($0.range(at: 2), in: block)!]))
        }
    }

    /// Every summary link leads to an element of the page.
    func expectAnchorsExist(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (anchor, text) in summary(html) {
            #expect(html.contains("id=\"\(anchor)\""), "summary line \"\(text)\" links to #\(anchor), which is not on the page", sourceLocation: sourceLocation)
        }
    }

    static let fourWrongFields: [(String, String)] = [
        ("task", "4.1"), ("kind", "event"), ("title", ""), ("startDate", "2025-06-14"), ("endDate", "2025-06-10"),
        ("district", ""), ("participants", "-5"), ("beneficiaries", ""), ("amount", ""), ("institution", ""),
        ("languages", ""), ("notes", ""), ("evidenceURL", "not an address"),
    ]

    @Test(arguments: [
        ("uk", "Помилка:", ["title": "Назва: введіть назву (до 300 символів)",
                            "endDate": "Дата завершення: не може бути раніше за дату початку",
                            "participants": "Кількість учасників: введіть ціле число, 0 або більше",
                            "evidenceURL": "Посилання на документацію: введіть адресу, що починається з https://"]),
        ("pl", "Błąd:", ["title": "Tytuł: podaj tytuł (do 300 znaków)",
                         "endDate": "Data zakończenia: nie może być wcześniejsza niż data rozpoczęcia",
                         "participants": "Liczba uczestników: podaj liczbę całkowitą, 0 lub więcej",
                         "evidenceURL": "Link do dokumentacji: podaj adres zaczynający się od https://"]),
    ])
    func theActivityFormReportsFourWrongFieldsInOneSubmission(language: String, prefix: String, expected: [String: String]) async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let ngo = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let partner = try await session(app, try await app.reporter(.partner, organisation: ngo.id, email: "p@dialog.test"))
            let answer = try await post(client, "/\(language)/activities/new", as: partner, Self.fourWrongFields + [("organisation", String(ngo.id))])
            #expect(answer.status == .unprocessableContent)
            let lines = summary(answer.text)
            // All four at once, in the form's order, each naming its field.
            #expect(lines.map(\.0) == ["title", "endDate", "participants", "evidenceURL"])
            for (anchor, text) in lines { #expect(text == expected[anchor], "\(anchor)") }
            expectAnchorsExist(answer.text)
            // Each wrong input is marked and described by its own message.
            for field in ["title", "endDate", "participants", "evidenceURL"] {
                #expect(answer.text.contains("aria-describedby=\"\(field)-error\" aria-invalid=\"true\""), "\(field)")
                #expect(answer.text.contains("id=\"\(field)-error\""), "\(field)")
            }
            // The summary takes focus without script; the title says something went wrong.
            #expect(answer.text.contains("id=\"error-summary\" tabindex=\"-1\" autofocus"))
            #expect(answer.text.contains("<title>\(prefix) "))
        }
    }

    @Test func aCleanFormHasNoErrorTitleOrSummary() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let ngo = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let partner = try await session(app, try await app.reporter(.partner, organisation: ngo.id, email: "p@dialog.test"))
            let form = try await client.execute(uri: "/pl/activities/new", method: .get, headers: partner.cookie)
            #expect(form.status == .ok && !form.text.contains("error-summary") && !form.text.contains("<title>Błąd:"))
        }
    }

    /// A form that came back with several errors: 422, the summary's links in the form's order,
    /// each naming its field ("Name: message"), each leading to an element of the page, and the
    /// page title starting with the error prefix.
    func expectSeveralAtOnce(_ answer: TestResponse, _ anchors: [String], prefix: String = "Błąd:",
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == .unprocessableContent, sourceLocation: sourceLocation)
        let lines = summary(answer.text)
        #expect(lines.map(\.0) == anchors, sourceLocation: sourceLocation)
        for (_, text) in lines { #expect(text.contains(": "), "\(text) names no field", sourceLocation: sourceLocation) }
        expectAnchorsExist(answer.text, sourceLocation: sourceLocation)
        #expect(answer.text.contains("<title>\(prefix) "), sourceLocation: sourceLocation)
        #expect(answer.text.contains("id=\"error-summary\" tabindex=\"-1\" autofocus"), sourceLocation: sourceLocation)
    }

    @Test func publicFormsReportSeveralErrorsAtOnce() async throws {
        try await TestApp.withApp { app, client in
            let post = { (uri: String, fields: [(String, String)]) in try await PublicServicesTests.anonymousPost(client, uri, fields) }
            // The incident report: nothing chosen, nothing written.
            expectSeveralAtOnce(try await post("/pl/report-incident", [("narrative", ""), ("occurredOn", "wczoraj")]),
                                ["category-\(IncidentCategory.allCases[0].rawValue)", "narrative", "occurredOn",
                                 "motivation-\(BiasMotivation.allCases[0].rawValue)", "reporterRole-\(ReporterRole.allCases[0].rawValue)"])
            // Patronage: no start date (it used to stop there) and no applicant.
            expectSeveralAtOnce(try await post("/pl/patronage", [("submission", "patronage-token-0001"), ("applicant", ""), ("project", "Festiwal"),
                                                                 ("startsOn", ""), ("endsOn", "2030-10-01"), ("description", ""), ("contact", "a@b.pl")]),
                                ["applicant", "startsOn", "description"])
            // The Ambassador nomination: no category (it was read as "a person") and no nominee.
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await client.execute(uri: "/pl/manage/ambassador", method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken), ("year", "2026"), ("opensOn", "2026-09-01"),
                                                         ("closesOn", "2026-10-31"), ("galaOn", ""), ("meetingOn", "")]))
            expectSeveralAtOnce(try await post("/pl/ambassador", [("submission", "nomination-token-0001"), ("nominee", ""),
                                                                  ("justification", "krótko"), ("contact", "")]),
                                ["nominee", "category-\(NominationCategory.allCases[0].rawValue)", "justification", "contact"])
            // Service feedback: no rating and a comment too long, shown in that point's form.
            _ = try await client.execute(uri: "/pl/manage/service-points", method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken), ("id", "0"), ("name", "Punkt Informacyjny"),
                                                         ("address", ""), ("openingHours", ""), ("languages", ""), ("contact", "")]))
            let point = try #require(try await app.services.repositories.servicePoints.all().first)
            expectSeveralAtOnce(try await post("/pl/service-points/feedback", [("point", String(point.id)), ("submission", "feedback-token-000001"),
                                                                                ("comment", String(repeating: "x", count: 2001))]),
                                ["rating-\(point.id)-positive", "comment-\(point.id)"])
            // Signing in with both fields empty names both.
            expectSeveralAtOnce(try await post("/en/login", [("email", ""), ("password", "")]), ["email", "password"], prefix: "Error:")
        }
    }

    @Test func staffFormsReportSeveralErrorsAtOnce() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let admin = try await app.signedIn(.administrator)
            func post(_ uri: String, as user: SignedInUser = coordinator, _ fields: [(String, String)]) async throws -> TestResponse {
                try await self.post(client, uri, as: user, fields)
            }
            expectSeveralAtOnce(try await post("/pl/budget", [("year", "2025"), ("task", "9.9"), ("source", "1"), ("planned", "dużo"),
                                                              ("spent", ""), ("note", "")]), ["task", "planned"])
            expectSeveralAtOnce(try await post("/pl/reference-statistics", [("key", ""), ("year", "rok"), ("value", "1"), ("source", ""),
                                                                           ("asOf", "wczoraj")]), ["key", "year", "source", "asOf"])
            expectSeveralAtOnce(try await post("/pl/programmes/\(EmbeddedProgrammes.krakowSlug)/risks/new", [("name", ""), ("goal", "1"), ("score", "1"),
                                                                                        ("response", "counteract"), ("reviewEveryMonths", "99")]),
                                ["new-name", "new-interval"])
            expectSeveralAtOnce(try await post("/pl/manage/service-points", [("id", "0"), ("name", ""), ("address", String(repeating: "a", count: 301))]),
                                ["name-new", "address-new"])
            expectSeveralAtOnce(try await post("/pl/manage/ambassador", [("year", "2026"), ("opensOn", ""), ("closesOn", "2026-10-31"),
                                                                        ("galaOn", "jesień"), ("meetingOn", "")]), ["opensOn", "galaOn"])
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            expectSeveralAtOnce(try await post("/pl/organisations/\(organisation.id)/coordinators",
                                               [("name", ""), ("email", "nie-adres"), ("validFrom", "wczoraj"), ("validUntil", "")]),
                                ["name", "email", "validFrom"])
            expectSeveralAtOnce(try await post("/pl/admin/users", as: admin, [("displayName", ""), ("email", "nie-adres"), ("role", "")]),
                                ["displayName", "email", "role"])
        }
    }

    @Test func summaryLinesNameTheirFieldAndKeepAbbreviations() {
        #expect(FormErrorItem.summary(name: "Tytuł", message: "Podaj tytuł.") == "Tytuł: podaj tytuł")
        #expect(FormErrorItem.summary(name: "Link", message: "URL must start with https://") == "Link: URL must start with https://")
    }
}
