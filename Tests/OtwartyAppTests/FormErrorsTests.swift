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

    @Test func summaryLinesNameTheirFieldAndKeepAbbreviations() {
        #expect(FormErrorItem.summary(name: "Tytuł", message: "Podaj tytuł.") == "Tytuł: podaj tytuł")
        #expect(FormErrorItem.summary(name: "Link", message: "URL must start with https://") == "Link: URL must start with https://")
    }
}
