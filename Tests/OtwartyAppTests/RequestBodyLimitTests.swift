import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Bodies are read only after the route's access rule, up to the route's limit (64 kB for forms
/// and JSON, `OTWARTY_MAX_UPLOAD_MB` on upload routes for the roles allowed there), and the CSRF
/// token is checked after that. Over the limit: 413 in the reader's language, or problem JSON.
@Suite struct RequestBodyLimitTests {
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: Int)? = nil) -> (ByteBuffer, HTTPFields) {
        var text = ""
        for (name, value) in fields {
            text += "--xyz\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            text += "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + String(repeating: "a", count: file.bytes) + "\r\n"
        }
        text += "--xyz--\r\n"
        return (ByteBuffer(string: text), [.contentType: "multipart/form-data; boundary=xyz"])
    }

    @Test func anAnonymousUploadIsRefusedByTheAccessRuleBeforeItsBodyOrTokenIsRead() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let (body, headers) = Self.multipart([("status", "draft")], file: ("a.csv", 2 * 1_048_576))
            for path in ["/pl/import", "/pl/budget/import", "/pl/manage/documents", "/pl/conflict-risk/police"] {
                let response = try await client.execute(uri: path, method: .post, headers: headers, body: body)
                // Before: 403 from the CSRF step, after reading and parsing the whole body.
                #expect(response.status == .unauthorized, "\(path)")
            }
        }
    }

    @Test func aFormLargerThanTheFormLimitGets413InTheReadersLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let csrf = try await anonymousCSRF(client)
            // An ordinary form takes 64 kB; the incident report, whose text may be 10,000 Cyrillic
            // characters (60 kB percent-encoded), 256 kB.
            for (path, size, phrase) in [("/pl/login", 100, "64 kB"), ("/en/login", 100, "64 kB"),
                                         ("/pl/report-incident", 300, "256 kB"), ("/en/report-incident", 300, "256 kB")] {
                let language = String(path.dropFirst().prefix(2))
                let big = formBody([("_csrf", csrf), ("narrative", String(repeating: "x", count: size * 1024))])
                let response = try await client.execute(
                    uri: path, method: .post,
                    headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"], body: big)
                #expect(response.status == .contentTooLarge)
                #expect(response.text.contains("<html lang=\"\(language)\">"))
                #expect(response.text.contains(phrase))
            }
            // A form within the limit still reaches the route, which still checks the token.
            let noToken = try await client.execute(
                uri: "/en/login", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("email", "a@example.org"), ("password", "x")]))
            #expect(noToken.status == .forbidden)
        }
    }

    /// A body that counts how much of it was pulled.
    struct CountingBody: AsyncSequence, Sendable {
        final class Pulls: @unchecked Sendable {
            let lock = NSLock()
            var bytes = 0
            func add(_ count: Int) { lock.withLock { bytes += count } }
            var total: Int { lock.withLock { bytes } }
        }
        let pulls: Pulls
        let pieces: Int
        struct AsyncIterator: AsyncIteratorProtocol {
            let pulls: Pulls
            var remaining: Int
            mutating func next() async -> ByteBuffer? {
                guard remaining > 0 else { return nil }
                remaining -= 1
                pulls.add(65_536)
                return ByteBuffer(repeating: UInt8(ascii: "a"), count: 65_536)
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pulls: pulls, remaining: pieces) }
    }

    @Test func aDeclaredLengthOverTheLimitIsRefusedUnreadAndAStreamIsCutAtTheLimit() async throws {
        for declared in [true, false] {
            let pulls = CountingBody.Pulls()
            var fields: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if declared { fields[.contentLength] = "62914560" }
            var request = Request(head: HTTPRequest(method: .post, scheme: nil, authority: "otwarty.test", path: "/pl/login", headerFields: fields),
                                  body: RequestBody(asyncSequence: CountingBody(pulls: pulls, pieces: 960)))
            await #expect(throws: BodyTooLarge.self) { _ = try await RequestBodyReader.collect(&request, limit: BodyLimit.standardBytes) }
            // Declared: nothing read. Streamed: no more than the limit and one piece.
            #expect(pulls.total <= (declared ? 0 : BodyLimit.standardBytes + 65_536), "\(declared): \(pulls.total)")
        }
    }

    @Test func aLongCyrillicIncidentReportGetsTheFormsAnswerNot413() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let csrf = try await anonymousCSRF(client, page: "/uk/report-incident")
            // 10,001 Cyrillic letters: 120 kB percent-encoded; the form says the text is too long.
            let response = try await client.execute(
                uri: "/uk/report-incident", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", csrf), ("narrative", String(repeating: "ж", count: 10_001))]))
            #expect(response.status == .unprocessableContent)
        }
    }

    @Test func uploadsWorkForTheirRolesUpToTheConfiguredMaximum() async throws {
        try await TestApp.withApp(storage: .memory, configure: { $0.maxUploadMB = 1 }) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            var headers = coordinator.cookie
            // 200 kB: more than a form may carry, less than an upload may: read, parsed, judged by the importer.
            var (body, contentType) = Self.multipart([("_csrf", coordinator.csrfToken), ("status", "draft")], file: ("a.csv", 200 * 1024))
            headers[.contentType] = contentType[.contentType]
            let accepted = try await client.execute(uri: "/pl/import", method: .post, headers: headers, body: body)
            #expect(accepted.status == .unprocessableContent)
            // Over OTWARTY_MAX_UPLOAD_MB: 413 naming the limit.
            (body, _) = Self.multipart([("_csrf", coordinator.csrfToken), ("status", "draft")], file: ("a.csv", 1_100_000))
            let tooLarge = try await client.execute(uri: "/en/import", method: .post, headers: headers, body: body)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.text.contains("1 MB"))
            // The token is still checked after the body is read.
            (body, _) = Self.multipart([("status", "draft")], file: ("a.csv", 10))
            #expect(try await client.execute(uri: "/pl/import", method: .post, headers: headers, body: body).status == .forbidden)
            // A signed-in role the route does not allow is refused before the body is read.
            let viewer = try await app.signedIn(.viewer)
            headers = viewer.cookie
            headers[.contentType] = contentType[.contentType]
            (body, _) = Self.multipart([("_csrf", viewer.csrfToken)], file: ("a.csv", 1_100_000))
            #expect(try await client.execute(uri: "/pl/import", method: .post, headers: headers, body: body).status == .forbidden)
            // A multipart body on an ordinary form is held to the form limit, and its files are dropped.
            (body, _) = Self.multipart([("_csrf", coordinator.csrfToken)], file: ("a.csv", 100 * 1024))
            headers = coordinator.cookie
            headers[.contentType] = contentType[.contentType]
            #expect(try await client.execute(uri: "/pl/reference-statistics", method: .post, headers: headers, body: body).status
                    == .contentTooLarge)
        }
    }

    @Test func anotherOriginIsStillRefusedBeforeAnything() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            var headers = coordinator.formHeaders()
            headers[.origin] = "https://evil.example"
            let response = try await client.execute(uri: "/pl/reference-statistics", method: .post, headers: headers,
                                                    body: formBody([("_csrf", coordinator.csrfToken)]))
            #expect(response.status == .forbidden)
            headers[.origin] = nil
            headers[.cookie] = nil
            headers[.origin] = "https://evil.example"
            let anonymous = try await client.execute(uri: "/pl/import", method: .post, headers: headers, body: ByteBuffer(string: "x"))
            #expect(anonymous.status == .forbidden)
        }
    }

    @Test func apiJSONBodiesAreBoundedPerRouteWithProblemJSON() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let partner = try await app.signedIn(.partner)
            let token = try await app.apiToken(for: partner.user)
            let padding = String(repeating: "x", count: 100 * 1024)
            let response = try await client.execute(uri: "/api/v1/activities", method: .post, headers: bearer(token, json: true),
                                                    body: try jsonBody(["title": padding]))
            // Before: read up to 1 MB and answered 422.
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.text.contains("64 kB"))
            let anonymous = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: [.contentType: "application/json"],
                                                     body: try jsonBody(["description": padding]))
            #expect(anonymous.status == .contentTooLarge)
            // Refused by the access rule before the body is read.
            let unauthorised = try await client.execute(uri: "/api/v1/activities", method: .post, headers: [.contentType: "application/json"],
                                                        body: try jsonBody(["title": padding]))
            #expect(unauthorised.status == .unauthorized)
        }
    }

    @Test func theUploadMaximumIsConfigured() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).maxUploadMB == 32)
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_MAX_UPLOAD_MB": "100"]).maxUploadMB == 100)
        for bad in ["0", "-1", "abc", "99999999999999999999", "2000"] {
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["OTWARTY_MAX_UPLOAD_MB": bad]) }
        }
    }
}

/// A response is either cacheable by others or sets a cookie, never both; cached public pages
/// carry no CSRF-bearing form.
@Suite struct CacheAndCookieTests {
    static let samples: [String: String] = [
        ":lang": "pl", ":slug": "otwarty-krakow-2024-2028", ":number": "1", ":code": "1.1", ":id": "1",
        ":year": "2025", ":token": String(repeating: "0", count: 64), ":format": "html",
    ]

    static func sample(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { samples[String($0)] ?? String($0) }.joined(separator: "/")
    }

    @Test func noAnonymousResponseOnAnyGETRouteIsBothCacheableAndSetsACookie() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let (_, entries) = try await buildRouter(app.configuration, services: app.services)
            var cacheable: [String] = []
            for entry in entries where entry.method == .get {
                for language in entry.pattern.contains(":lang") ? ["pl", "en", "uk", "ru"] : ["-"] {
                    let path = Self.sample(entry.pattern).replacingOccurrences(of: "/pl", with: "/\(language)", options: .anchored)
                    let response = try await client.execute(uri: path, method: .get)
                    let shared = CachePolicy.isSharedCacheable(response.headers)
                    #expect(!(shared && !response.setCookies.isEmpty), "\(path): \(response.headers[.cacheControl] ?? "") with a cookie")
                    if shared {
                        cacheable.append(path)
                        #expect(!response.text.contains("name=\"_csrf\""), "\(path): a shared page with a CSRF form")
                    }
                }
            }
            // The pages named in the issue are among the cacheable ones, and without a cookie.
            #expect(cacheable.contains("/pl/incident-statistics"))
            #expect(cacheable.contains("/en/progress"))
        }
    }

    @Test func aFormPageStillGivesTheAnonymousCookie() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let response = try await client.execute(uri: "/pl/report-incident", method: .get)
            #expect(response.cookie("otwarty_csrf") != nil)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test func anyCookieOnACacheableResponseIsDowngradedToNoStore() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(servedOverHTTPS: false))
        router.get("/both") { _, _ in
            var response = Response(status: .ok, headers: [.cacheControl: "public, max-age=60"])
            response.setCookie(Cookie(name: "x", value: "y"))
            return response
        }
        router.get("/public") { _, _ in Response(status: .ok, headers: [.cacheControl: "public, max-age=60"]) }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let both = try await client.execute(uri: "/both", method: .get)
            let cacheable = try await client.execute(uri: "/public", method: .get)
            #expect(both.headers[.cacheControl] == "no-store")
            #expect(cacheable.headers[.cacheControl] == "public, max-age=60")
        }
        #expect(CachePolicy.isSharedCacheable([.cacheControl: "public, max-age=60"]))
        #expect(CachePolicy.isSharedCacheable([.cacheControl: "max-age=60"]))
        #expect(!CachePolicy.isSharedCacheable([.cacheControl: "private, max-age=31536000, immutable"]))
        #expect(!CachePolicy.isSharedCacheable([.cacheControl: "No-Store"]))
        #expect(!CachePolicy.isSharedCacheable([:]))
    }
}

/// Only canonical paths reach the decision how a request is authenticated.
@Suite struct PathNormalisationTests {
    @Test func canonicalForms() {
        #expect(RequestPath.canonical("/") == .canonical)
        #expect(RequestPath.canonical("/pl/programmes/otwarty-krakow-2024-2028/tasks/1.1") == .canonical)
        #expect(RequestPath.canonical("/pl/login/") == .canonical)
        #expect(RequestPath.canonical("/pl/%C5%82%C3%B3d%C5%BA") == .canonical)
        #expect(RequestPath.canonical("//api/v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/api//v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/./api/v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/pl/../api/v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/../../api/v1") == .differs("/api/v1"))
        #expect(RequestPath.canonical("/%61pi/v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/%2e/api/v1/activities") == .differs("/api/v1/activities"))
        #expect(RequestPath.canonical("/%2E%2e/api") == .differs("/api"))
        #expect(RequestPath.canonical("//") == .differs("/"))
        #expect(RequestPath.canonical("///evil.example") == .differs("/evil.example"))
        for refused in ["api/v1/activities", "/api%2Fv1/activities", "/%2fapi", "/\\evil.example", "/api/%5Cv1", "/a%00b",
                        "/a%", "/a%4", "/a%zz", "*"] {
            #expect(RequestPath.canonical(refused) == .refused, "\(refused)")
        }
    }

    @Test func nonCanonicalAPIPathsNeverAuthenticateByCookie() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            // The canonical path with the cookie alone: the API does not know cookies.
            #expect(try await client.execute(uri: "/api/v1/activities", method: .get, headers: coordinator.cookie).status == .unauthorized)
            for path in ["//api/v1/activities", "/./api/v1/activities", "/%61pi/v1/activities", "/api//v1/activities",
                         "/pl/../api/v1/activities", "/%2e/api/v1/activities", "///api/v1/activities?year=2025"] {
                let response = try await client.execute(uri: path, method: .get, headers: coordinator.cookie)
                // Before: `//api/v1/activities` answered 200 with the coordinator's data.
                #expect(response.status == .permanentRedirect, "\(path) → \(response.status)")
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("/api/v1/activities"), "\(path) → \(location)")
                #expect(response.setCookies.isEmpty)
                let followed = try await client.execute(uri: location, method: .get, headers: coordinator.cookie)
                #expect(followed.status == .unauthorized, "\(location)")
            }
            for path in ["/api%2Fv1/activities", "api/v1/activities", "/\\api/v1/activities"] {
                #expect(try await client.execute(uri: path, method: .get, headers: coordinator.cookie).status == .badRequest, "\(path)")
            }
            // Writes are refused, not redirected.
            var headers = coordinator.formHeaders()
            headers[.contentType] = "application/json"
            for path in ["//api/v1/activities", "/%61pi/v1/activities"] {
                let response = try await client.execute(uri: path, method: .post, headers: headers, body: try jsonBody(["title": "x"]))
                #expect(response.status == .badRequest, "\(path)")
            }
            // Pages are redirected to their canonical address too.
            let page = try await client.execute(uri: "/pl//dashboard", method: .get, headers: coordinator.cookie)
            #expect(page.status == .permanentRedirect)
            #expect(page.headers[.location] == "/pl/dashboard")
        }
    }
}
