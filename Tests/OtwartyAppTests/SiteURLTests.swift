import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The address table (`SiteURL`, `SharedURL`): each address's link reaches its own route, query
/// values of any text survive the trip, and the router holds no route that is not in the table.
@Suite struct SiteURLTests {
    /// A route's answer in the test router: its pattern, then its parameters as the router read them.
    static func answer(pattern: String, parameters: [(String, String)]) -> String {
        ([pattern] + parameters.map { "\($0.0)=\($0.1)" }.sorted()).joined(separator: "\n")
    }

    static func parameters(_ route: [PathSegment]) -> [(String, String)] {
        route.compactMap { segment in
            if case let .parameter(name, value) = segment { return (name, value) }
            return nil
        }
    }

    /// Every pattern of the table registered on a bare Hummingbird router, each answering with its
    /// own pattern and the decoded parameters: a link must reach its own route, not a neighbour's.
    static func tableRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let patterns = SiteURL.examples.map(\.pattern) + SharedURL.examples.map(\.pattern)
        for pattern in patterns {
            router.get(RouterPath(pattern)) { _, context -> String in
                answer(pattern: pattern, parameters: context.parameters.map {
                    (String($0.key), String($0.value).removingPercentEncoding ?? "undecodable \($0.value)")
                })
            }
        }
        return router
    }

    /// Odd values in every kind of path parameter: they must stay one segment and decode back.
    static let oddPages: [SiteURL] = [
        .task(slug: "s", code: "1.1 ж?#&=+%"), .programme(slug: "Київ 2025"), .setup(token: "a b;c"),
        .goal(slug: "a.b~c_d-e", number: -1),
    ]

    @Test func everyLinkReachesItsOwnPattern() async throws {
        let app = Application(router: Self.tableRouter())
        try await app.test(.router) { client in
            for url in SiteURL.examples + Self.oddPages {
                for language in ["pl", "uk"] {
                    let response = try await client.execute(uri: url.path(language), method: .get)
                    let expected = Self.answer(pattern: url.pattern, parameters: [("lang", language)] + Self.parameters(url.route))
                    #expect(String(buffer: response.body) == expected, "\(url) in \(language)")
                }
            }
            for url in SharedURL.examples {
                let response = try await client.execute(uri: url.path(), method: .get)
                #expect(String(buffer: response.body) == Self.answer(pattern: url.pattern, parameters: Self.parameters(url.route)), "\(url)")
            }
        }
    }

    @Test func patternsAreDistinct() {
        #expect(Set(SiteURL.examples.map(\.pattern)).count == SiteURL.examples.count)
        #expect(Set(SharedURL.examples.map(\.pattern)).count == SharedURL.examples.count)
    }

    /// `otwarty routes` and the access table read these entries; every one comes from the table,
    /// and every address of the table is served.
    @Test func everyRegisteredRouteComesFromTheTable() async throws {
        try await TestApp.withApp { app, _ in
            let (_, entries) = try await buildRouter(app.configuration, services: app.services)
            let registered = Set(entries.map(\.pattern))
            let table = Set(SiteURL.examples.map(\.pattern) + SharedURL.examples.map(\.pattern))
            #expect(registered.subtracting(table).isEmpty, "routes not in the table: \(registered.subtracting(table).sorted())")
            #expect(table.subtracting(registered).isEmpty, "addresses no route serves: \(table.subtracting(registered).sorted())")
            #expect(Set(entries.filter(\.isPage).map(\.pattern))
                    == Set(SiteURL.examples.map(\.pattern)).union([SharedURL.root.pattern]))
        }
    }

    static let oddValues = ["a&b=c", "#top", "1+1", "a b", "Київ", "/pl/activities?year=2025&status=draft", "100%", "x=y&z",
                            "ünïcödé ж & = # + / ?", ""]

    @Test(arguments: oddValues)
    func queryValuesAreEncodedAndDecodedBack(value: String) async throws {
        // The router's own reading of the query, one `name=value` line per parameter in order.
        let router = Router()
        router.get("/:lang/activities") { request, _ -> String in
            request.uri.queryParameters.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        }
        try await Application(router: router).test(.router) { client in
            for name in QueryParameter.Name.allCases {
                let link = SiteURL.activities.path("pl", query: [QueryParameter(name, value), .page(2), .year(2025)])
                let query = try #require(link.split(separator: "?", maxSplits: 1).last.map(String.init))
                #expect(query.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~%=&".contains($0)) }, "\(link)")
                #expect(query.filter { $0 == "&" }.count == 2 && query.filter { $0 == "=" }.count == 3, "\(link)")
                let response = try await client.execute(uri: link, method: .get)
                #expect(String(buffer: response.body) == "\(name.rawValue)=\(value)\npage=2\nyear=2025", "\(name): \(link)")
            }
        }
    }

    /// The links pages and redirects have always written stay byte for byte.
    @Test func linksKeepTheirForm() {
        #expect(SiteURL.home.path("pl") == "/pl/" && SiteURL.home.pattern == "/:lang")
        #expect(SiteURL.accountPassword.path("uk") == "/uk/account/password" && SiteURL.accountPassword.pattern == "/:lang/account/password")
        #expect(SharedURL.root.path() == "/" && SharedURL.root.pattern == "/")
        #expect(SiteURL.task(slug: "otwarty-krakow-2024-2028", code: "4.1").path("en") == "/en/programmes/otwarty-krakow-2024-2028/tasks/4.1")
        #expect(SiteURL.reportVersion(year: 2025, number: 2, format: .odt).path("uk") == "/uk/reports/2025/versions/2/odt")
        #expect(SiteURL.reportVersion(year: 1, number: 1, format: .odt).pattern == "/:lang/reports/:year/versions/:number/:format")
        #expect(SiteURL.login.path("pl", query: [.next("/pl/admin/users")]) == "/pl/login?next=%2Fpl%2Fadmin%2Fusers")
        #expect(SiteURL.loginCode.path("pl", query: [.next("/pl/reference-statistics?year=2025")])
                == "/pl/login/code?next=%2Fpl%2Freference%2Dstatistics%3Fyear%3D2025")
        #expect(SiteURL.activities.path("en", query: [.measure("4.1.a"), .year(2025)]) == "/en/activities?measure=4.1.a&year=2025")
        #expect(SiteURL.activityNew.path("pl", query: [.task("6.2"), .kind("meeting")]) == "/pl/activities/new?task=6.2&kind=meeting")
        #expect(SiteURL.manageAmbassador.path("pl", query: [.year(2025)], fragment: "nomination-3") == "/pl/manage/ambassador?year=2025#nomination-3")
        #expect(SharedURL.apiProgramme.path(query: [.slug("otwarty-krakow-2024-2028")]) == "/api/v1/programme?slug=otwarty-krakow-2024-2028")
        #expect(SharedURL.openDataEventsJSON(year: 2026).path() == "/open-data/2026/events.json")
        #expect(SharedURL.openDataEventsJSON(year: 0).pattern == "/open-data/:year/events.json")
    }

    /// A programme file may give a measure any code. The dashboard glued it into its drill-down
    /// link as it was, so `4.1 a&b` gave `?measure=4.1 a&b&year=…`: a space in the address and a
    /// measure read as `4.1 a`, so the link showed every record instead of the measure's.
    @Test func aDrillDownLinkCarriesAnyMeasureCode() async throws {
        try await TestApp.withApp(loadProgramme: false) { app, client in
            var programme = try EmbeddedProgrammes.krakow()
            let goal = try #require(programme.goals.firstIndex { $0.number == 4 })
            let task = try #require(programme.goals[goal].tasks.firstIndex { $0.number == 1 })
            programme.goals[goal].tasks[task].measures[0].code = "4.1 a&b"
            _ = try await app.services.programmes.load(programme)
            let viewer = try await app.signedIn(.viewer)
            let dashboard = try await client.execute(uri: "/en/dashboard?year=2025", method: .get, headers: viewer.cookie)
            #expect(dashboard.status == .ok)
            let escaped = "/en/activities?measure=4.1%20a%26b&amp;year=2025"
            #expect(dashboard.text.contains("href=\"\(escaped)\""), "the drill-down link encodes the code")
            let drill = try await client.execute(uri: escaped.replacingOccurrences(of: "&amp;", with: "&"), method: .get,
                                                 headers: viewer.cookie)
            #expect(drill.status == .ok)
            #expect(drill.text.contains("4.1 a&amp;b"), "the list is the measure's drill-down")
        }
    }
}
