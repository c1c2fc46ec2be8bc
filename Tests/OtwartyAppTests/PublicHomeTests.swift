import Foundation
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import Testing

/// The public home page puts what a resident comes for first, in the reader's language; the
/// programme's goals, tasks, measures and indicators carry their unofficial glosses on every
/// public page in en/uk/ru, beside the Polish text and marked as unofficial.
@Suite struct PublicHomeTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    @Test func theRussianHomePageShowsTheTasksFirstInRussian() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let html = try await client.execute(uri: "/ru/", method: .get).text
            let main = String(html[try #require(html.range(of: "<main"))!.lowerBound...])
            let incident = try #require(main.range(of: "Сообщить о расистском или ксенофобском инциденте"))
            let points = try #require(main.range(of: "Найти пункт обслуживания"))
            let programme = try #require(main.range(of: "Программа кратко"))
            #expect(incident.lowerBound < points.lowerBound && points.lowerBound < programme.lowerBound)
            for href in ["/ru/report-incident", "/ru/report-incident/status", "/ru/service-points", "/ru/documents", "/ru/events",
                         "/ru/patronage", "/ru/ambassador", "/ru/progress"] {
                let link = try #require(main.range(of: "href=\"\(href)\""), "\(href)")
                #expect(link.lowerBound < programme.lowerBound, "\(href) comes before the programme")
            }
            // The resolution's Polish text is no longer what the page opens with; the goals are
            // glossed in Russian, each beside its Polish title, marked as unofficial.
            #expect(!main.prefix(3000).contains("Podnieść jakość"))
            #expect(main.contains("<span lang=\"ru\">Повысить качество и доступность публичных услуг"))
            #expect(main.contains("<span class=\"original\" lang=\"pl\">Podnieść jakość oraz dostępność usług publicznych"))
            #expect(main.contains("Неофициальный перевод Otwarty; обязательную силу имеет польский текст постановления XIV/357/24."))
            #expect(main.contains("href=\"/ru/programmes/\(Self.slug)\""))
        }
    }

    @Test func everyLanguageGetsItsOwnCardsAndPolishGetsNoGloss() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let expected = ["pl": "Zgłoś incydent rasistowski lub ksenofobiczny", "en": "Report a racist or xenophobic incident",
                            "uk": "Повідомити про расистський або ксенофобний інцидент", "ru": "Сообщить о расистском или ксенофобском инциденте"]
            for (language, card) in expected {
                let html = try await client.execute(uri: "/\(language)/", method: .get).text
                #expect(html.contains(card), "\(language)")
                #expect(html.contains("<html lang=\"\(language)\">"))
            }
            let polish = try await client.execute(uri: "/pl/", method: .get).text
            #expect(!polish.contains("class=\"gloss") && !polish.contains("class=\"original\""))
            #expect(!polish.contains("Nieoficjalne") && !polish.contains("Unofficial translation"))
        }
    }

    /// Every public page that shows a programme title shows its gloss beside it, in the reader's
    /// language, with the Polish original marked lang="pl".
    @Test func programmeGoalTaskResultsAndProgressCarryGlosses() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let notice = "Unofficial translation by Otwarty; the Polish text of resolution XIV/357/24 is binding."
            let pages: [(String, [String])] = [
                ("/en/programmes/\(Self.slug)", ["Improve the quality and accessibility of public services",
                                                  "Develop the information point for people with migration experience",
                                                  "Put into practice Kraków&#39;s policy of openness"]),
                ("/en/programmes/\(Self.slug)/goals/6", ["Support groups at risk of exclusion", "Analyse the risk of intercultural",
                                                         "Number of analyses", "Share of City Office and Municipal Guard staff trained"]),
                ("/en/programmes/\(Self.slug)/tasks/4.2", ["Run the „Krakowski Ambasador Wielokulturowości”",
                                                           "Number of nominations submitted to the competition"]),
                ("/en/programmes/\(Self.slug)/results", ["Share of foreigners learning Polish", "Number of events on multiculturalism"]),
                ("/en/progress", ["Share of foreigners learning Polish", "Number of people helped by the Information Point for Foreigners"]),
            ]
            for (uri, glosses) in pages {
                let html = try await client.execute(uri: uri, method: .get).text
                #expect(html.contains(notice), "\(uri)")
                for gloss in glosses { #expect(html.contains("lang=\"en\">\(gloss)"), "\(uri): \(gloss)") }
                #expect(html.contains("lang=\"pl\""), "\(uri)")
            }
            let ukrainian = try await client.execute(uri: "/uk/programmes/\(Self.slug)/tasks/3.5", method: .get).text
            #expect(ukrainian.contains("lang=\"uk\">Підтримувати інтеграцію іноземців у Кракові через вивчення польської мови"))
            #expect(ukrainian.contains("<p class=\"lead\" lang=\"pl\">wspieranie procesów integracji cudzoziemców"))
        }
    }

    /// After `otwarty demo` no public page says "nothing published yet": service points, every
    /// kind of document, events, the Ambassador's winners.
    @Test func theDemoFillsEveryPublicPage() async throws {
        try await TestApp.withApp { app, client in
            _ = try await DemoLoading.run(.init(records: 600), services: app.services)
            let points = try await client.execute(uri: "/ru/service-points", method: .get).text
            #expect(points.contains("Punkt Informacyjny dla Obcokrajowców") && points.contains("українська, русский"))
            #expect(!points.contains("Ещё не описан ни один пункт обслуживания."))
            let documents = try await client.execute(uri: "/ru/documents", method: .get).text
            #expect(documents.contains("Приветственный пакет: первые шаги в Кракове"))
            #expect(!documents.contains("Пока ничего не опубликовано."))
            let events = try await client.execute(uri: "/uk/events", method: .get).text
            #expect(!events.contains("Немає заходів, що відповідають цим умовам."))
            let ambassador = try await client.execute(uri: "/en/ambassador", method: .get).text
            #expect(ambassador.contains("Olena Przykład"))
        }
    }

    /// An empty public list says what to do instead, in the reader's language, with links.
    @Test func anEmptyPublicPageOffersANextStep() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let points = try await client.execute(uri: "/uk/service-points", method: .get).text
            #expect(points.contains("Список пунктів готується.") && points.contains("href=\"/uk/documents\""))
            let documents = try await client.execute(uri: "/ru/documents", method: .get).text
            #expect(documents.contains("Документов этого типа пока нет.") && documents.contains("href=\"/ru/service-points\""))
            let events = try await client.execute(uri: "/en/events?district=3", method: .get).text
            #expect(events.contains("No events match these filters.") && events.contains(">Show all of this year&#39;s events<"))
            // Without filters the page says none are published yet, not that the filters match none.
            let unfiltered = try await client.execute(uri: "/ru/events", method: .get).text
            #expect(unfiltered.contains("В этом году ещё не опубликовано ни одного мероприятия."))
            #expect(!unfiltered.contains("Нет мероприятий, соответствующих этим условиям."))
            let ambassador = try await client.execute(uri: "/pl/ambassador", method: .get).text
            #expect(ambassador.contains("Termin następnej edycji zostanie ogłoszony") && ambassador.contains("href=\"/pl/patronage\""))
        }
    }
}
