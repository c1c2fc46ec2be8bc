import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

@Suite struct ProgrammePagesTests {
    static let slug = "otwarty-krakow-2024-2028"
    static let languages = ["pl", "en", "uk", "ru"]
    static let pages = ["/", "/programmes/\(slug)", "/programmes/\(slug)/goals/1", "/programmes/\(slug)/goals/6",
                        "/programmes/\(slug)/tasks/4.2", "/programmes/\(slug)/tasks/2.2",
                        "/programmes/\(slug)/results", "/programmes/\(slug)/risks", "/login"]

    @Test func everyPageInEveryLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for language in Self.languages {
                for page in Self.pages {
                    let response = try await client.execute(uri: "/\(language)\(page)", method: .get)
                    #expect(response.status == .ok, "\(language)\(page)")
                    let html = response.text
                    #expect(html.contains("<html lang=\"\(language)\">"), "\(language)\(page)")
                    #expect(html.contains("href=\"#main\""), "skip link on \(language)\(page)")
                    #expect(!html.contains("{{"), "unrendered mustache on \(language)\(page)")
                    // A missing key renders as an empty string: no label may be empty.
                    #expect(!html.contains("<h2></h2>") && !html.contains("<th scope=\"col\"></th>"), "\(language)\(page)")
                }
            }
        }
    }

    @Test func overviewShowsTheProgramme() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            // The programme's own page (the home page puts the resident's tasks first: PublicHomeTests).
            let html = try await client.execute(uri: "/pl/programmes/\(Self.slug)", method: .get).text
            #expect(html.contains("Program „Otwarty Kraków” na lata 2024 – 2028"))
            #expect(html.contains("XIV/357/24"))
            #expect(html.contains("20 listopada 2024"))
            #expect(html.contains("6 zadań") && html.contains("3 zadania") && html.contains("5 zadań") && html.contains("4 zadania"))
            #expect(html.contains("środki budżetu Unii Europejskiej"))
            let english = try await client.execute(uri: "/en/programmes/\(Self.slug)", method: .get).text
            #expect(english.contains("6 tasks") && english.contains("Specific goals"))
            let ukrainian = try await client.execute(uri: "/uk/programmes/\(Self.slug)", method: .get).text
            #expect(ukrainian.contains("6 завдань") && ukrainian.contains("3 завдання"))
        }
    }

    @Test func taskPageShowsMeasuresDeadlineProductsImplementers() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let html = try await client.execute(uri: "/en/programmes/\(Self.slug)/tasks/2.2", method: .get).text
            #expect(html.contains("31 December 2024"))
            let continuous = try await client.execute(uri: "/pl/programmes/\(Self.slug)/tasks/4.2", method: .get).text
            #expect(continuous.contains("Liczba wniosków złożonych do konkursu"))
            #expect(continuous.contains("4.2.b"))
            #expect(continuous.contains("Zorganizowana gala wręczenia tytułów"))
            #expect(continuous.contains("Koordynator Programu przy współpracy Kancelarii Prezydenta"))
        }
    }

    @Test func resultsAndRisksTables() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let results = try await client.execute(uri: "/pl/programmes/\(Self.slug)/results", method: .get).text
            #expect(results.contains("4,2%") && results.contains("co najmniej 4%") && results.contains("(2023)"))
            #expect(results.contains("Suma wag: 100%"))
            let english = try await client.execute(uri: "/en/programmes/\(Self.slug)/results", method: .get).text
            #expect(english.contains("4.2%") && english.contains("at least 400"))
            let risks = try await client.execute(uri: "/en/programmes/\(Self.slug)/risks", method: .get).text
            #expect(risks.contains("Wzrost mowy nienawiści w przestrzeni publicznej"))
            #expect(risks.contains("moderate risk") && risks.contains("counteract"))
            #expect(risks.contains("critical risk")) // the scale table
        }
    }

    @Test func unknownThingsAreLocalised404s() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for uri in ["/en/programmes/\(Self.slug)/goals/9", "/en/programmes/\(Self.slug)/tasks/9.9",
                        "/en/programmes/no-such", "/en/nowhere", "/xx/programmes/\(Self.slug)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            let english = try await client.execute(uri: "/en/nowhere", method: .get).text
            #expect(english.contains("Page not found"))
            let ukrainian = try await client.execute(uri: "/uk/nowhere", method: .get)
            #expect(ukrainian.text.contains("<html lang=\"uk\">"))
        }
    }

    @Test func rootRedirectsByAcceptLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let ukrainian = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "uk-UA,uk;q=0.9,en;q=0.5"])
            #expect(ukrainian.status == .seeOther && ukrainian.headers[.location] == "/uk/")
            let german = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "de-DE, en;q=0.3"])
            #expect(german.headers[.location] == "/en/")
            let none = try await client.execute(uri: "/", method: .get)
            #expect(none.headers[.location] == "/pl/")
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for uri in ["/pl/", "/en/nowhere", "/api/v1/programme", "/healthz", "/static/otwarty.css", "/"] {
                let response = try await client.execute(uri: uri, method: .get)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] != nil)
            }
        }
    }

    @Test func pagesHaveNoInlineScriptOrStyle() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for page in Self.pages {
                let html = try await client.execute(uri: "/pl\(page)", method: .get).text
                #expect(!html.contains("<script") && !html.contains("<style") && !html.contains(" style=") && !html.contains(" onclick="))
            }
        }
    }
}
