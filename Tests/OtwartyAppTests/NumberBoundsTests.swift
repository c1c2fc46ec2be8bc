import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import Testing

/// Issue 10, item 1: numbers from outside are bounded. The router runs in this test process, so a
/// trap (integer overflow) in a handler stops the whole test run: before the fix,
/// `page=9223372036854775807` trapped in `(page - 1) * pageSize` and the amount
/// `92233720368547758.99` trapped in `whole * 100 + fraction`.
@Suite struct NumberBoundsTests {
    /// Every kind of bad number: huge, negative, zero, empty, non-numeric, other notations, other
    /// digits, 100 kB.
    static let extremes: [String] = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999999",
        "-1", "0", "", " ", "abc", "1e999", "1e3", "0x10", "+1", "1.5", "1,5", "NaN", "inf", "٣", "١٢", "２０２５",
        "1_000", "2025\u{0}", "'; DROP TABLE x; --", String(repeating: "9", count: 100_000),
        String(repeating: "a", count: 100_000),
    ]

    /// Every query parameter of every route that reads one, and who may open it.
    static let routes: [(path: String, role: Role?, parameters: [String])] = [
        ("/pl/activities", .viewer, ["page", "year", "result", "status", "measure"]),
        ("/pl/review", .programmeCoordinator, ["page", "year"]),
        ("/pl/exports/activities.csv", .viewer, ["year", "status"]),
        ("/pl/exports/indicators.csv", .viewer, ["year"]),
        ("/pl/dashboard", .viewer, ["year"]),
        ("/pl/budget", .programmeCoordinator, ["year"]),
        ("/pl/progress", nil, ["year"]),
        ("/pl/events", nil, ["district", "from", "to", "language"]),
        ("/pl/incident-statistics", nil, ["year"]),
        ("/pl/incident-statistics/statistics.csv", nil, ["year"]),
        ("/pl/incident-statistics/odihr.csv", nil, ["year"]),
        ("/pl/budget/budget.csv", .programmeCoordinator, ["year"]),
        ("/open-data/programme-tasks.csv", nil, ["year"]),
        ("/pl/conflict-risk", .programmeCoordinator, ["year"]),
        ("/pl/conflict-risk/analysis.csv", .programmeCoordinator, ["year"]),
        ("/pl/incidents", .incidentHandler, ["status"]),
        ("/pl/manage/ambassador", .programmeCoordinator, ["year"]),
        ("/pl/programmes/otwarty-krakow-2024-2028/risks", nil, ["view"]),
        ("/pl/login", nil, ["next"]),
        ("/api/v1/activities", .viewer, ["year", "organisation", "limit", "offset", "status", "task", "programme"]),
        ("/api/v1/indicators", nil, ["year", "programme"]),
        ("/api/v1/statistics/incidents", nil, ["year"]),
        ("/api/v1/programme", nil, ["slug"]),
    ]

    /// Path segments that are numbers.
    static let pathTemplates: [(template: String, role: Role?)] = [
        ("/pl/activities/{}", .viewer), ("/pl/activities/{}/edit", .programmeCoordinator),
        ("/api/v1/activities/{}", .viewer), ("/pl/reports/{}", .viewer),
        ("/pl/programmes/otwarty-krakow-2024-2028/goals/{}", nil),
        ("/open-data/{}/indicators.csv", nil), ("/open-data/{}/events.json", nil),
        ("/pl/incidents/{}", .incidentHandler), ("/pl/organisations/{}", .programmeCoordinator),
    ]

    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    @Test func theOverflowingPageIsA400AndTheServerLivesOn() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            let response = try await client.execute(uri: "/pl/activities?page=9223372036854775807", method: .get, headers: viewer.cookie)
            #expect(response.status == .badRequest)
            // The page names the parameter and its range, in the reader's language.
            #expect(response.text.contains("page") && response.text.contains("10000"))
            let english = try await client.execute(uri: "/en/activities?page=-5", method: .get, headers: viewer.cookie)
            #expect(english.status == .badRequest && english.text.contains("\u{201C}page\u{201D}"))
            #expect(try await client.execute(uri: "/pl/activities?page=10000", method: .get, headers: viewer.cookie).status == .ok)
            #expect(try await client.execute(uri: "/pl/activities?page=2", method: .get, headers: viewer.cookie).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func everyQueryParameterTakesExtremeValuesWithoutA5xx() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            var users: [Role: SignedInUser] = [:]
            for role in Set(Self.routes.compactMap(\.role) + Self.pathTemplates.compactMap(\.role)) {
                users[role] = try await app.signedIn(role)
            }
            var failures: [String] = []
            for route in Self.routes {
                let isAPI = route.path.hasPrefix("/api/")
                var headers: HTTPFields = [:]
                if let role = route.role {
                    headers = isAPI ? bearer(try await app.apiToken(for: users[role]!.user)) : users[role]!.cookie
                }
                for parameter in route.parameters {
                    var queries = Self.extremes.map { "\(parameter)=\(Self.encoded($0))" }
                    queries.append("\(parameter)=1&\(parameter)=9223372036854775807")   // repeated
                    queries.append("\(parameter)=9223372036854775807&\(parameter)=1")
                    queries.append(parameter)                                           // no "="
                    for query in queries {
                        let response = try await client.execute(uri: "\(route.path)?\(query)", method: .get, headers: headers)
                        if response.status.code >= 500 { failures.append("\(response.status.code) \(route.path)?\(query.prefix(80))") }
                    }
                }
            }
            for template in Self.pathTemplates {
                let headers = template.role.map { users[$0]!.cookie } ?? [:]
                for value in Self.extremes where !value.isEmpty && value.count < 1000 {
                    let uri = template.template.replacingOccurrences(of: "{}", with: Self.encoded(value))
                    let response = try await client.execute(uri: uri, method: .get, headers: headers)
                    if response.status.code >= 500 { failures.append("\(response.status.code) \(uri.prefix(100))") }
                }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func badNumbersGetTheRightAnswer() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            let token = try await app.apiToken(for: viewer.user)
            // Pages: malformed or out of range → 400; a real year the programme does not cover → 404.
            for uri in ["/pl/dashboard?year=abc", "/pl/dashboard?year=99999999999999999999", "/pl/activities?year=1e3",
                        "/pl/exports/activities.csv?year=-1", "/pl/events?district=19", "/pl/events?from=2025-13-01"] {
                #expect(try await client.execute(uri: uri, method: .get, headers: viewer.cookie).status == .badRequest, "\(uri)")
            }
            #expect(try await client.execute(uri: "/pl/dashboard?year=2200", method: .get, headers: viewer.cookie).status == .notFound)
            #expect(try await client.execute(uri: "/pl/activities/abc", method: .get, headers: viewer.cookie).status == .notFound)
            #expect(try await client.execute(uri: "/pl/activities/99999999999999999999", method: .get, headers: viewer.cookie).status == .notFound)
            // API: out of range is a 422 naming the parameter (the document's answer), never a clamp.
            for (query, field) in [("limit=5000", "limit"), ("limit=0", "limit"), ("offset=-1", "offset"),
                                   ("offset=9223372036854775807", "offset"), ("year=٣", "year"), ("organisation=0", "organisation"),
                                   ("year=", "year"), ("limit=", "limit")] {
                let response = try await client.execute(uri: "/api/v1/activities?\(query)", method: .get, headers: bearer(token))
                #expect(response.status == .unprocessableContent && response.text.contains(field), "\(query)")
            }
            let ok = try await client.execute(uri: "/api/v1/activities?limit=1000&offset=100000000", method: .get, headers: bearer(token))
            #expect(ok.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/indicators?year=9223372036854775807", method: .get).status == .unprocessableContent)
        }
    }

    @Test func hugeNumbersInFormsAreFieldErrors() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Liczby", kind: .ngo)
            let partner = try await app.signedIn(.programmeCoordinator)
            func post(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: "/pl/activities/new", method: .post, headers: partner.formHeaders(),
                                         body: formBody([("_csrf", partner.csrfToken), ("organisation", String(organisation.id))] + fields))
            }
            let base: [(String, String)] = [("task", "4.1"), ("kind", "event"), ("title", "Spotkanie"), ("startDate", "2025-06-14")]
            // Trapped before: 92233720368547758 × 100 fits, + 99 grosze overflows.
            for (field, value) in [("amount", "92233720368547758.99"), ("amount", "1000000000.01"), ("participants", "9223372036854775807"),
                                   ("participants", "1000000001"), ("beneficiaries", "-1"), ("participants", "٣"), ("district", "99999999999999999999")] {
                let response = try await post(base + [(field, value)])
                #expect(response.status == .unprocessableContent, "\(field)=\(value)")
            }
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: "otwarty-krakow-2024-2028")) == 0)
            #expect(try await post(base + [("amount", "1000000000.00"), ("participants", "1000000000")]).status == .seeOther)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func hugeNumbersInJSONAreFieldErrors() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let organisation = try await app.services.repositories.organisations.create(name: "Fundacja JSON", kind: .ngo)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let token = try await app.apiToken(for: coordinator.user)
            func create(_ extra: String, organisationID: String? = nil) async throws -> TestResponse {
                let body = "{\"task\":\"4.1\",\"kind\":\"event\",\"title\":\"x\",\"startDate\":\"2025-06-14\",\"organisationId\":\(organisationID ?? String(organisation.id))\(extra)}"
                return try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(token, json: true),
                                                body: ByteBuffer(string: body))
            }
            for extra in [",\"amount\":1e300", ",\"amount\":-1", ",\"amount\":92233720368547758.99", ",\"participants\":9223372036854775807",
                          ",\"participants\":99999999999999999999", ",\"participants\":1e999", ",\"district\":-9223372036854775808"] {
                let response = try await create(extra)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(extra): \(response.status)")
            }
            for id in ["9223372036854775807", "9223372036854775808", "-1", "0", "1e999"] {
                let response = try await create("", organisationID: id)
                #expect(response.status.code >= 400 && response.status.code < 500, "organisationId \(id): \(response.status)")
            }
            // Foundation cannot read this as a Decimal; the answer still names the field.
            let tiny = try await create(",\"amount\":1.2526984600075524e-116")
            #expect(tiny.status == .unprocessableContent && tiny.text.contains("amount"), "\(tiny.text)")
            #expect(try await create(",\"amount\":1000000000").status == .created)
        }
    }
}

/// The operator's commands read years and values in the same ranges (`otwarty report
/// 9223372036854775807` reached `year + 1` in the report builder).
@Suite struct CommandNumberBoundsTests {
    @Test(arguments: [
        ["report", "9223372036854775807", "--out", "x.html"], ["report", "-1", "--out", "x.html"], ["report", "1899", "--out", "x.html"],
        ["reference", "set", "foreign-residents", "9223372036854775807", "5", "--source", "GUS"],
        ["reference", "set", "foreign-residents", "2025", "1e300", "--source", "GUS"],
    ])
    func outOfRangeArgumentsAreRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try OtwartyCommand.parseAsRoot(arguments) }
    }

    @Test func inRangeArgumentsParse() throws {
        _ = try OtwartyCommand.parseAsRoot(["report", "2025", "--out", "x.html"])
        _ = try OtwartyCommand.parseAsRoot(["reference", "set", "foreign-residents", "2025", "41000", "--source", "GUS"])
    }
}
