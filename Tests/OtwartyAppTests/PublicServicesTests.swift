import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The public forms and registries end to end: each counts toward its measure, and the same
/// submission sent twice at once stores one row.
@Suite struct PublicServicesTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func measure(_ app: TestApp, task: String, year: Int = 2026) async throws -> Double? {
        let programme = try #require(try await app.services.repositories.programmes.programme(slug: slug))
        let report = try await app.services.indicators.report(for: programme, year: year)
        return report.measures.first { $0.taskCode == task }?.value
    }

    static func anonymousPost(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let csrf = try await anonymousCSRF(client, page: "/pl/login")
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                                        body: formBody([("_csrf", csrf)] + fields))
    }

    @Test func publishingAWelcomePackVersionCountsTowardTask13AndTheFileDownloads() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            #expect(try await Self.measure(app, task: "1.3") == 0)
            func publish(_ language: String, _ bytes: String) async throws -> TestResponse {
                let boundary = "----otwarty-doc"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(coordinator.csrfToken)\r\n"
                for (name, value) in [("kind", "welcome-pack"), ("language", language), ("title", "Pakiet powitalny")] {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pakiet.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\(bytes)\r\n--\(boundary)--\r\n"
                var headers = coordinator.formHeaders()
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                return try await client.execute(uri: "/pl/manage/documents", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            #expect(try await publish("uk", "%PDF-1.4 v1").status == .seeOther)
            #expect(try await publish("uk", "%PDF-1.4 v2").status == .seeOther)
            #expect(try await publish("pl", "%PDF-1.4 pl").status == .seeOther)
            #expect(try await Self.measure(app, task: "1.3") == 3, "every published version counts")
            let docs = try await app.services.repositories.documents.documents(kind: .welcomePack)
            #expect(docs.map(\.version) == [1, 2, 1] && docs.allSatisfy { $0.activityID != nil })
            let page = try await client.execute(uri: "/uk/documents", method: .get)
            #expect(page.status == .ok && page.text.contains("/documents/\(docs[1].id)"))
            let file = try await client.execute(uri: "/documents/\(docs[1].id)", method: .get)
            #expect(file.text == "%PDF-1.4 v2" && file.headers[.contentType] == "application/pdf")
            let policy = file.headers[.contentSecurityPolicy] ?? ""
            for rule in ["default-src 'none'", "sandbox", "base-uri 'none'", "frame-ancestors 'none'"] {
                #expect(policy.contains(rule), "a published file's CSP lacks \(rule): \(policy)")
            }
            let bad = try await publish("ukr", "")
            #expect(bad.status == .unprocessableContent && bad.text.contains("href=\"#language\"") && bad.text.contains("href=\"#file\""))
            let partner = try await app.signedIn(.partner)
            #expect(try await client.execute(uri: "/pl/manage/documents", method: .get, headers: partner.cookie).status == .forbidden)
        }
    }

    @Test func aRatingSentTwiceIsStoredOnceAndRatingsCountTowardTask15() async throws {
        try await TestApp.withApp { app, client in
            let point = try await app.services.repositories.servicePoints.save(ServicePoint(
                name: "Punkt Informacyjny dla Obcokrajowców", address: "", openingHours: "pn–pt 9–17", languages: "pl, uk, en", contact: ""))
            let page = try await client.execute(uri: "/uk/service-points", method: .get)
            #expect(page.text.contains("pn–pt 9–17"))
            let token = try #require(page.text.firstMatch(of: /name="submission" value="([0-9a-f-]{36}-\d+)"/)).output.1
            let fields = [("point", String(point.id)), ("rating", "positive"), ("comment", "Дуже допомогли"), ("submission", String(token))]
            // The same form sent twice at once.
            async let first = Self.anonymousPost(client, "/uk/service-points/feedback", fields)
            async let second = Self.anonymousPost(client, "/uk/service-points/feedback", fields)
            let answers = try await [first, second]
            #expect(answers.allSatisfy { $0.status == .seeOther })
            var other = fields
            other[1] = ("rating", "negative")
            other[3] = ("submission", UUID().uuidString.lowercased())
            #expect(try await Self.anonymousPost(client, "/uk/service-points/feedback", other).status == .seeOther)
            let summary = try await app.services.repositories.servicePoints.feedbackSummary(year: 2026)
            #expect(summary.map { $0.positive + $0.negative } == [2])
            #expect(try await Self.measure(app, task: "1.5") == 2)
            // 1.5.a keeps the ratings apart (issue 13): one positive, one negative.
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let report = try await app.services.indicators.report(for: programme, year: 2026)
            #expect(report.measures.first { $0.code == "1.5.a" }?.detail == .ratings(positive: 1, negative: 1))
            // Staff see the comment; the public page does not show it.
            let coordinator = try await app.signedIn(.programmeCoordinator)
            #expect(try await client.execute(uri: "/pl/manage/service-points", method: .get, headers: coordinator.cookie).text.contains("Дуже допомогли"))
            #expect(!(try await client.execute(uri: "/uk/service-points", method: .get).text.contains("Дуже допомогли")))
        }
    }

    @Test func aPatronageRequestIsStoredOnceAndAGrantCountsTowardTask43() async throws {
        try await TestApp.withApp { app, client in
            let fields = [("submission", "patronage-token-0001"), ("applicant", "Stowarzyszenie <Most>"), ("project", "Festiwal Kultur"),
                          ("startsOn", "2026-10-01"), ("endsOn", "2026-10-03"), ("description", "Trzy dni spotkań."), ("contact", "most@example.org")]
            async let first = Self.anonymousPost(client, "/en/patronage", fields)
            async let second = Self.anonymousPost(client, "/en/patronage", fields)
            let answers = try await [first, second]
            #expect(answers.allSatisfy { $0.status == .seeOther && $0.headers[.location] == "/en/patronage" })
            let requests = try await app.services.repositories.patronage.requests(status: nil)
            #expect(requests.count == 1)
            let invalid = try await Self.anonymousPost(client, "/en/patronage", [("submission", "patronage-token-0002"), ("applicant", ""),
                                                                                 ("startsOn", "2026-10-05"), ("endsOn", "2026-10-01")])
            #expect(invalid.status == .unprocessableContent)

            let coordinator = try await app.signedIn(.programmeCoordinator)
            let list = try await client.execute(uri: "/pl/manage/patronage", method: .get, headers: coordinator.cookie)
            #expect(list.text.contains("Stowarzyszenie &lt;Most&gt;"))
            let id = requests[0].id
            let noReason = try await client.execute(uri: "/pl/manage/patronage/\(id)/decision", method: .post, headers: coordinator.formHeaders(),
                                                    body: formBody([("_csrf", coordinator.csrfToken), ("decision", "grant"), ("reason", " ")]))
            #expect(noReason.status == .unprocessableContent)
            let granted = try await client.execute(uri: "/pl/manage/patronage/\(id)/decision", method: .post, headers: coordinator.formHeaders(),
                                                   body: formBody([("_csrf", coordinator.csrfToken), ("decision", "grant"),
                                                                   ("reason", "Zgodny z celami programu"), ("confirmed", "yes")]))
            #expect(granted.status == .seeOther)
            let again = try await client.execute(uri: "/pl/manage/patronage/\(id)/decision", method: .post, headers: coordinator.formHeaders(),
                                                 body: formBody([("_csrf", coordinator.csrfToken), ("decision", "grant"), ("reason", "again")]))
            #expect(again.status == .conflict)
            #expect(try await Self.measure(app, task: "4.3") == 1, "one granted patronage, counted once")
            #expect(try await app.services.repositories.patronage.request(id: id)?.activityID != nil)
        }
    }

    @Test func nominationsCountTowardTask42AndTheJuryPicksAmbassadors() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            // Closed until the coordinator opens an edition (the test clock is in September 2026).
            #expect(try await client.execute(uri: "/uk/ambassador", method: .get).text.contains("не приймаються"))
            let opened = try await client.execute(uri: "/pl/manage/ambassador", method: .post, headers: coordinator.formHeaders(),
                                                  body: formBody([("_csrf", coordinator.csrfToken), ("year", "2026"), ("opensOn", "2026-09-01"),
                                                                  ("closesOn", "2026-10-31"), ("galaOn", ""), ("meetingOn", "")]))
            #expect(opened.status == .seeOther)
            let page = try await client.execute(uri: "/uk/ambassador", method: .get)
            let token = String(try #require(page.text.firstMatch(of: /name="submission" value="([0-9a-f-]{36})"/)).output.1)
            let fields = [("submission", token), ("nominee", "Fundacja <Zustricz>"), ("category", "organisation"),
                          ("justification", "Od lat prowadzi lekcje polskiego dla dzieci z Ukrainy."), ("contact", "ktos@example.org")]
            async let first = Self.anonymousPost(client, "/uk/ambassador", fields)
            async let second = Self.anonymousPost(client, "/uk/ambassador", fields)
            #expect(try await [first, second].allSatisfy { $0.status == .seeOther && $0.headers[.location] == "/uk/ambassador" })
            var another = fields
            another[0] = ("submission", UUID().uuidString.lowercased())
            another[1] = ("nominee", "Jan Kowalski")
            #expect(try await Self.anonymousPost(client, "/uk/ambassador", another).status == .seeOther)
            let short = try await Self.anonymousPost(client, "/uk/ambassador", [("submission", UUID().uuidString.lowercased()),
                                                                               ("nominee", "X"), ("justification", "krótko"), ("contact", "x")])
            #expect(short.status == .unprocessableContent && short.text.contains("href=\"#justification\""))
            #expect(try await Self.measure(app, task: "4.2") == 2, "two nominations (the duplicate counted once)")

            let nominations = try await app.services.repositories.ambassador.nominations(year: 2026)
            let juror = try await app.signedIn(.viewer)
            for (user, score) in [(juror, 9), (coordinator, 7)] {
                let r = try await client.execute(uri: "/pl/manage/ambassador/nominations/\(nominations[0].nomination.id)/score", method: .post,
                                                 headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken), ("score", String(score))]))
                #expect(r.status == .seeOther)
            }
            let partner = try await app.signedIn(.partner)
            #expect(try await client.execute(uri: "/pl/manage/ambassador/nominations/\(nominations[0].nomination.id)/score", method: .post,
                                             headers: partner.formHeaders(), body: formBody([("_csrf", partner.csrfToken), ("score", "10")])).status == .forbidden)
            let list = try await client.execute(uri: "/pl/manage/ambassador?year=2026", method: .get, headers: coordinator.cookie)
            #expect(list.text.contains("Fundacja &lt;Zustricz&gt;") && list.text.contains("8 (2)") && list.text.contains("ktos@example.org"))
            _ = try await client.execute(uri: "/pl/manage/ambassador/nominations/\(nominations[0].nomination.id)/winner", method: .post,
                                         headers: coordinator.formHeaders(), body: formBody([("_csrf", coordinator.csrfToken), ("winner", "1")]))
            // The gala, once held, and the meeting with the Mayor count as meetings of task 4.2.
            _ = try await client.execute(uri: "/pl/manage/ambassador", method: .post, headers: coordinator.formHeaders(),
                                         body: formBody([("_csrf", coordinator.csrfToken), ("year", "2026"), ("opensOn", "2026-09-01"),
                                                         ("closesOn", "2026-10-31"), ("galaOn", "2026-09-20"), ("meetingOn", "2026-12-01")]))
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let measures = try await app.services.indicators.report(for: programme, year: 2026).measures.filter { $0.taskCode == "4.2" }
            #expect(measures.map(\.value) == [2, 1], "the meeting in December has not happened yet")
            let publicPage = try await client.execute(uri: "/uk/ambassador", method: .get)
            #expect(publicPage.text.contains("Fundacja &lt;Zustricz&gt;") && !publicPage.text.contains("ktos@example.org"))
        }
    }

    /// Ten first ratings of a month at once: one record, holding all ten.
    @Test func concurrentRatingsCreateOneMonthlyRecord() async throws {
        try await TestApp.withApp { app, _ in
            let point = try await app.services.repositories.servicePoints.save(ServicePoint(
                name: "Centrum Wielokulturowe", address: "", openingHours: "", languages: "", contact: ""))
            let services = PublicServices(repositories: app.services.repositories, clock: app.services.clock)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<10 {
                    group.addTask {
                        try await services.rate(pointID: point.id, positive: n % 3 != 0, comment: "", language: "uk",
                                                submission: "concurrent-rating-\(n)-\(UUID().uuidString)")
                    }
                }
                for try await stored in group { #expect(stored) }
            }
            #expect(try await Self.measure(app, task: "1.5") == 10)
            let records = try await app.services.repositories.activities.list(
                ActivityFilter(programmeSlug: Self.slug, statuses: [.approved], taskCode: "1.5"), limit: 100, offset: 0)
            #expect(records.count == 1)
        }
    }
}
