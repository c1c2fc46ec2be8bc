import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The reaction mechanism end to end through the router: anonymity, encryption at rest,
/// retention, permissions, the reporter's way back, escaping, statistics and the API.
@Suite struct IncidentTests {
    static let sentinelAgent = "Otwarty-Sentinel-UA-7d1e5"
    static let sentinelAddress = "203.0.113.77"
    static let sentinelNarrative = "SENTINEL-NARRATIVE-4b8c"
    static let sentinelContact = "sentinel-contact-91aa@example.org"
    static let sentinelPlace = "SENTINEL-PLACE-tram-stop"

    static func reportForm(_ csrf: String, narrative: String = sentinelNarrative, contact: String = sentinelContact,
                           place: String = sentinelPlace) -> ByteBuffer {
        formBody([("_csrf", csrf), ("category", "verbal-abuse"), ("narrative", narrative), ("occurredOn", "2026-09-01"),
                  ("district", "2"), ("place", place), ("motivation", "nationality"), ("motivation", "language"),
                  ("reporterRole", "victim"), ("policeInformed", "no"), ("contact", contact), ("consent", "1")])
    }

    /// Submits the public form as an anonymous visitor with the sentinel headers; returns code and passphrase.
    static func submit(_ client: some TestClientProtocol, language: String = "uk", narrative: String = sentinelNarrative,
                       contact: String = sentinelContact, place: String = sentinelPlace) async throws -> (String, String) {
        let csrf = try await anonymousCSRF(client, page: "/\(language)/report-incident")
        let response = try await client.execute(
            uri: "/\(language)/report-incident", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)",
                      .userAgent: sentinelAgent, HTTPField.Name("X-Forwarded-For")!: sentinelAddress],
            body: reportForm(csrf, narrative: narrative, contact: contact, place: place))
        // Post/redirect/get: the answer is a redirect with the sealed receipt; the confirmation page shows it.
        #expect(response.status == .seeOther, "\(response.text.prefix(400))")
        #expect(response.headers[.location] == "/\(language)/report-incident/received")
        let receipt = try #require(response.cookie("otwarty_receipt"))
        let page = try await client.execute(uri: "/\(language)/report-incident/received", method: .get,
                                            headers: [.cookie: "otwarty_receipt=\(receipt)"])
        let code = try #require(page.text.firstMatch(of: /KR-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output
        let pass = try #require(page.text.firstMatch(of: /[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/)).output
        return (String(code), String(pass))
    }

    static func rawDatabase(_ app: TestApp) throws -> Data {
        var data = Data()
        for name in ["test.sqlite", "test.sqlite-wal", "test.sqlite-shm"] {
            if let part = FileManager.default.contents(atPath: app.folder.appendingPathComponent(name).path) { data.append(part) }
        }
        return data
    }

    @Test func aReportLeavesNoTraceOfTheReporterAndItsTextIsEncrypted() async throws {
        let logs = LogCapture()
        try await TestApp.withApp(logs: logs) { app, client in
            let (code, _) = try await Self.submit(client)
            let raw = try Self.rawDatabase(app)
            #expect(raw.count > 10_000)
            for sentinel in [Self.sentinelAgent, Self.sentinelAddress, Self.sentinelNarrative, Self.sentinelContact, Self.sentinelPlace] {
                #expect(raw.range(of: Data(sentinel.utf8)) == nil, "\(sentinel) is in the database file")
                #expect(!logs.text.contains(sentinel), "\(sentinel) is in the logs")
            }
            // The case code is stored (that is how it is found again), the passphrase only as a digest.
            #expect(raw.range(of: Data(code.utf8)) != nil)
            // The handler reads it back decrypted.
            let handler = try await app.signedIn(.incidentHandler)
            let stored = try #require(try await app.services.repositories.incidents.incident(caseCode: code))
            let page = try await client.execute(uri: "/pl/incidents/\(stored.id)", method: .get, headers: handler.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains(Self.sentinelNarrative) && page.text.contains(Self.sentinelContact))
            #expect(stored.language == "uk" && stored.motivations == [.nationality, .language] && stored.district?.number == 2)
        }
    }

    @Test func theReporterComesBackWithCodeAndPassphraseOnly() async throws {
        try await TestApp.withApp { app, client in
            let (code, pass) = try await Self.submit(client)
            let csrf = try await anonymousCSRF(client, page: "/uk/report-incident/status")
            func check(_ code: String, _ pass: String) async throws -> TestResponse {
                try await client.execute(uri: "/uk/report-incident/status", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                                         body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", pass)]))
            }
            let ok = try await check(code.lowercased().replacingOccurrences(of: "-", with: " "), pass)
            #expect(ok.status == .ok && ok.text.contains(code) && ok.text.contains("отримано"))
            let wrong = try await check(code, "AAAAA-AAAAA-AAAAA-AAAAA")
            #expect(wrong.status == .notFound && !wrong.text.contains("отримано"))
            let unknown = try await check("KR-0000-0000", pass)
            #expect(unknown.status == .notFound)

            // The reporter adds information; the handler sees it, and a public update reaches the reporter.
            let add = try await client.execute(uri: "/uk/report-incident/status/add", method: .post,
                                               headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                                               body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", pass),
                                                               ("information", "Ще один свідок <b>був</b> там")]))
            #expect(add.status == .seeOther)
            #expect(try await check(code, pass).text.contains("Ще один свідок &lt;b&gt;був&lt;/b&gt; там"))
            let handler = try await app.signedIn(.incidentHandler)
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: code)).id
            let referred = try await client.execute(uri: "/pl/incidents/\(id)/refer", method: .post, headers: handler.formHeaders(),
                                                    body: formBody([("_csrf", handler.csrfToken), ("target", "legal-aid-ngo"),
                                                                    ("date", "2026-09-21"), ("note", "Przekazano do poradni"), ("public", "1")]))
            #expect(referred.status == .seeOther)
            let after = try await check(code, pass)
            #expect(after.text.contains("Przekazano do poradni") && after.text.contains("передано"))

            // The API answers the same way.
            let api = try await client.execute(uri: "/api/v1/incidents/status", method: .post, headers: [.contentType: "application/json"],
                                               body: try jsonBody(["caseCode": code, "passphrase": pass]))
            #expect(api.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any])
            #expect(json["status"] as? String == "referred")
            let refused = try await client.execute(uri: "/api/v1/incidents/status", method: .post, headers: [.contentType: "application/json"],
                                                   body: try jsonBody(["caseCode": code, "passphrase": "nope"]))
            #expect(refused.status == .notFound)
        }
    }

    @Test func onlyHandlersAndTheCoordinatorReachCasesAndEveryViewIsLogged() async throws {
        try await TestApp.withApp { app, client in
            // Both handlers hold keys before the report arrives, so it is sealed to both.
            let handlers = [try await app.signedIn(.incidentHandler), try await app.signedIn(.programmeCoordinator)]
            let (code, _) = try await Self.submit(client)
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: code)).id
            for role in [Role.partner, .unitCoordinator, .viewer, .administrator] {
                let user = try await app.signedIn(role)
                #expect(try await client.execute(uri: "/pl/incidents", method: .get, headers: user.cookie).status == .forbidden, "\(role)")
                #expect(try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: user.cookie).status == .forbidden, "\(role)")
                let post = try await client.execute(uri: "/pl/incidents/\(id)/close", method: .post, headers: user.formHeaders(),
                                                    body: formBody([("_csrf", user.csrfToken), ("outcome", "x")]))
                #expect(post.status == .forbidden, "\(role)")
            }
            #expect(try await client.execute(uri: "/pl/incidents/\(id)", method: .get).status == .seeOther, "anonymous → sign-in")
            for user in handlers {
                let role = user.user.role
                let queue = try await client.execute(uri: "/pl/incidents", method: .get, headers: user.cookie)
                #expect(queue.status == .ok && queue.text.contains(code) && !queue.text.contains(Self.sentinelNarrative),
                        "the queue lists cases without their contents")
                #expect(try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: user.cookie).status == .ok)
                let views = try await app.services.repositories.audit.entries(subject: "incident:\(code)", limit: 50)
                    .filter { $0.action == "incident.viewed" && $0.actorUserID == user.user.id }
                #expect(views.count == 1, "\(role)")
            }
        }
    }

    @Test func aScriptInEveryFieldIsShownAsText() async throws {
        try await TestApp.withApp { app, client in
            let payload = "<script>alert('x')</script>\"&"
            let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"
            let (code, pass) = try await Self.submit(client, narrative: payload, contact: payload, place: payload)
            let handler = try await app.signedIn(.incidentHandler)
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: code)).id
            _ = try await client.execute(uri: "/pl/incidents/\(id)/action", method: .post, headers: handler.formHeaders(),
                                         body: formBody([("_csrf", handler.csrfToken), ("date", "2026-09-21"), ("text", payload), ("public", "1")]))
            let page = try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: handler.cookie)
            #expect(!page.text.contains("<script>"))
            #expect(page.text.components(separatedBy: escaped).count >= 5, "narrative, place, contact and the action")
            let status = try await app.services.incidents.status(caseCode: code, passphrase: pass)
            #expect(status.updates.first?.text == payload, "stored as written, escaped only when shown")
            // A bad submission keeps what was typed, escaped, and names the fields.
            let csrf = try await anonymousCSRF(client, page: "/en/report-incident")
            let bad = try await client.execute(uri: "/en/report-incident", method: .post,
                                               headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                                               body: formBody([("_csrf", csrf), ("narrative", payload), ("place", payload)]))
            #expect(bad.status == .unprocessableContent)
            #expect(!bad.text.contains("<script>") && bad.text.contains(escaped))
            // A group of radios or checkboxes is reached through its first input (issue 12).
            for field in ["category", "motivation", "reporterRole"] { #expect(bad.text.contains("href=\"#\(field)-"), "\(field)") }
        }
    }

    @Test func theRetentionRulePurgesClosedCasesWithAnAuditEntry() async throws {
        try await TestApp.withApp { app, client in
            let (code, pass) = try await Self.submit(client)
            let (openCode, _) = try await Self.submit(client, narrative: "still open")
            let handler = try await app.signedIn(.incidentHandler)
            let id = try #require(try await app.services.repositories.incidents.incident(caseCode: code)).id
            let closed = try await client.execute(uri: "/pl/incidents/\(id)/close", method: .post, headers: handler.formHeaders(),
                                                  body: formBody([("_csrf", handler.csrfToken), ("outcomeKind", "resolved"),
                                                                  ("outcome", "Pomoc udzielona"), ("publicNote", "Sprawa zakończona"),
                                                                  ("confirmed", "yes")]))
            #expect(closed.status == .seeOther)
            // Eleven months on nothing is purged; past twelve, the closed case is.
            app.clock.advance(by: 86_400 * 334)
            #expect(try await app.services.incidents.purge(retentionMonths: 12) == 0)
            app.clock.advance(by: 86_400 * 40)
            #expect(try await app.services.incidents.purge(retentionMonths: 12) == 1)
            let stored = try #require(try await app.services.repositories.incidents.incident(caseCode: code))
            #expect(stored.purgedOn != nil && stored.sealedNarrative == nil && stored.sealedContact == nil && stored.sealedOutcome == nil)
            #expect(try await app.services.repositories.incidents.events(incidentID: id).allSatisfy { $0.sealedText == nil })
            #expect(try await app.services.repositories.incidents.incident(caseCode: openCode)?.sealedNarrative != nil)
            let audit = try await app.services.repositories.audit.entries(subject: "incidents", limit: 10)
            // Each run leaves an entry, also the ones that purge nothing (the housekeeping service runs one at start).
            #expect(audit.filter { $0.action == "incident.retention" }.count >= 2)
            #expect(audit.filter { $0.detail.contains("purged 1 case") }.count == 1)
            // The statistics still count it; the reporter's credentials no longer open it.
            #expect(try await app.services.repositories.incidents.facts(year: 2026).count == 2)
            await #expect(throws: DomainError.self) { _ = try await app.services.incidents.status(caseCode: code, passphrase: pass) }
            // The handler sees that the details are gone.
            let fresh = try await app.signedIn(.incidentHandler)
            let page = try await client.execute(uri: "/pl/incidents/\(id)", method: .get, headers: fresh.cookie)
            #expect(page.status == .ok && page.text.contains("usunięto zgodnie z zasadą retencji"))
        }
    }

    @Test func publicStatisticsAreSuppressedEverywhere() async throws {
        try await TestApp.withApp { app, client in
            // 23 confirmed cases: 14 in district I, 9 in district II — the 9 must never show.
            let handler = try await app.signedIn(.incidentHandler)
            for n in 0..<23 {
                let credentials = try await app.services.incidents.submit(IncidentReport(
                    narrative: "n\(n)", occurredOn: CalendarDate(year: 2026, month: 3, day: 1), district: District(number: n < 14 ? 1 : 2),
                    place: "", category: n < 14 ? .verbalAbuse : .threat, motivations: [.nationality], reporterRole: .witness,
                    policeInformed: .no, contact: "", consentToContact: false, language: "pl"))
                let id = try #require(try await app.services.repositories.incidents.incident(caseCode: credentials.caseCode)).id
                try await app.services.incidents.triage(id: id, category: n < 14 ? .verbalAbuse : .threat, classification: .crime,
                                                        note: "", by: handler.user, key: handler.incidentKey)
            }
            let page = try await client.execute(uri: "/en/incident-statistics?year=2026", method: .get)
            #expect(page.status == .ok)
            // The total and March show 23; the 9 is hidden, and so is the 14 beside it (else 23 − 14 = 9).
            #expect(page.text.contains("<td class=\"num\">23</td>"))
            #expect(!page.text.contains("<td class=\"num\">9</td>") && !page.text.contains("<td class=\"num\">14</td>"))
            for uri in ["/en/incident-statistics/statistics.csv?year=2026", "/en/incident-statistics/odihr.csv?year=2026"] {
                let csv = try await client.execute(uri: uri, method: .get)
                #expect(csv.status == .ok)
                for line in csv.text.split(separator: "\n") {
                    let last = line.split(separator: ",").last.map(String.init) ?? ""
                    if let n = Int(last) { #expect(n == 0 || n >= 10, "\(uri): \(line)") }
                }
            }
            let api = try await client.execute(uri: "/api/v1/statistics/incidents?year=2026", method: .get)
            #expect(api.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: api.body))
            let spec = SchemaValidator(document: try APITests.document())
            let problems = spec.validate(json, against: try #require(spec.responseSchema(path: "/api/v1/statistics/incidents", status: 200)))
            #expect(problems.isEmpty, "\(problems)")
            func numbers(_ value: Any) -> [Int] {
                if let dict = value as? [String: Any] { return dict.flatMap { $0.key == "count" ? [($0.value as? Int)].compactMap { $0 } : numbers($0.value) } }
                if let array = value as? [Any] { return array.flatMap(numbers) }
                return []
            }
            #expect(numbers(json).allSatisfy { $0 == 0 || $0 >= 10 })
            #expect(try await client.execute(uri: "/api/v1/statistics/incidents", method: .get).status == .unprocessableContent)
        }
    }

    @Test func theAPITakesReportsAndIsThrottledWithoutIdentities() async throws {
        try await TestApp.withApp { app, client in
            let body: [String: Any] = ["narrative": "Крик на зупинці", "category": "verbal-abuse", "motivations": ["language"],
                                       "reporterRole": "witness", "district": 5, "language": "ru"]
            let created = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                                   body: try jsonBody(body))
            #expect(created.status == .created)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any])
            let spec = SchemaValidator(document: try APITests.document())
            #expect(spec.validate(json, against: try #require(spec.responseSchema(path: "/api/v1/incidents", method: "post", status: 201))).isEmpty)
            #expect((json["caseCode"] as? String)?.hasPrefix("KR-") == true && (json["passphrase"] as? String)?.count == 23)
            var bad = body
            bad["category"] = "riot"
            let rejected = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                                    body: try jsonBody(bad))
            #expect(rejected.status == .unprocessableContent && rejected.text.contains("category"))
            // Five reports per client in ten minutes (one used, one rejected by validation counts too).
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                                         body: try jsonBody(body)).status)
            }
            #expect(statuses.last == .tooManyRequests)
            let limited = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                                   body: try jsonBody(body))
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
            app.clock.advance(by: 601)
            #expect(try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                             body: try jsonBody(body)).status == .created)
        }
    }
}

extension IncidentTests {
    /// Post/redirect/get on the status page: adding information answers a redirect with a banner,
    /// so a refresh cannot send the text twice, and the passphrase never goes into the address.
    @Test func addingInformationRedirectsWithABannerAndAddsOnce() async throws {
        try await TestApp.withApp { _, client in
            let (code, pass) = try await Self.submit(client, language: "en")
            let csrf = try await anonymousCSRF(client, page: "/en/report-incident/status")
            let added = try await client.execute(
                uri: "/en/report-incident/status/add", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", pass), ("information", "The tram number was 52.")]))
            #expect(added.status == .seeOther && added.headers[.location] == "/en/report-incident/status")
            #expect(!(added.headers[.location] ?? "").contains(pass))
            let notice = try #require(added.cookie("otwarty_notice"))
            let page = try await client.execute(uri: "/en/report-incident/status", method: .get,
                                                headers: [.cookie: "otwarty_notice=\(notice); otwarty_csrf=\(csrf)"])
            #expect(page.text.contains("Information added to your report"))
            #expect(page.text.contains("enter the case code and passphrase below"))
            let lookup = try await client.execute(
                uri: "/en/report-incident/status", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", pass)]))
            #expect(lookup.status == .ok && lookup.text.contains(code))

            // Nothing to add is an error beside the case (422, an alert), not a green notice.
            let empty = try await client.execute(
                uri: "/en/report-incident/status/add", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "otwarty_csrf=\(csrf)"],
                body: formBody([("_csrf", csrf), ("caseCode", code), ("passphrase", pass), ("information", "  ")]))
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("role=\"alert\"") && !empty.text.contains("alert success") && empty.text.contains(code))
        }
    }
}
