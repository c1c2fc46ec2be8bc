import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyTestSupport
import OtwartyWeb
import Testing

/// Issue 15, point 5: `/metrics` for the operator only, a request id on every request's log
/// lines and response, and `LOG_FORMAT=json`.
///
/// Every app with a token here shares the process's one metrics registry (swift-metrics is
/// bootstrapped once per process), and other tests may run meanwhile: counts are compared as
/// "moved by at least", never as exact values.
@Suite struct MetricsTests {
    static let token = "metrics-token-for-tests-0123456789"
    static func withToken(_ configuration: inout AppConfiguration) { configuration.metricsToken = token }
    static let bearer: HTTPFields = [.authorization: "Bearer \(token)"]

    @Test func metricsAreNotFoundWithoutTheRightToken() async throws {
        // Not configured: 404 whatever is sent, like an address that does not exist.
        try await TestApp.withApp(storage: .memory) { _, client in
            let unknown = try await client.execute(uri: "/no-such-address", method: .get)
            #expect(unknown.status == .notFound)
            for headers: HTTPFields in [[:], Self.bearer] {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == unknown.headers[.contentType])
                #expect(!response.text.contains("otwarty_"))
            }
        }
        // Configured: only the exact token in a bearer header opens it.
        try await TestApp.withApp(storage: .memory, configure: Self.withToken) { app, client in
            let signedIn = try await app.signedIn(.administrator)
            let refused: [HTTPFields] = [
                [:], [.authorization: "Bearer wrong-token-0123456789"], [.authorization: "Bearer \(Self.token)x"],
                [.authorization: "Bearer \(Self.token.dropLast())"], [.authorization: "Basic \(Self.token)"],
                [.authorization: Self.token], signedIn.cookie,
            ]
            for headers in refused {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(response.status == .notFound, "\(headers)")
                #expect(!response.text.contains("otwarty_"), "\(headers)")
            }
            let response = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.headers[.cacheControl] == "no-store")
            for name in ["otwarty_http_requests_total", "otwarty_http_request_duration_seconds_bucket", "otwarty_pdf_waiting",
                         "otwarty_pdf_running", "otwarty_cache_hits_total"] {
                #expect(response.text.contains("\n\(name)") || response.text.hasPrefix(name), "\(name) missing")
            }
        }
    }

    @Test func countsMoveAfterRequests() async throws {
        try await TestApp.withApp(storage: .sqlite, configure: Self.withToken) { app, client in
            func scrape() async throws -> Scrape {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer)
                try #require(response.status == .ok)
                return Scrape(response.text)
            }
            // The first view fills the cache (miss), the second is served from it (hit).
            #expect(try await client.execute(uri: "/pl/progress", method: .get).status == .ok)
            let before = try await scrape()
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/pl/progress", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/pl/nowhere/at/all", method: .get).status == .notFound)
            // A write: a session is stored in one transaction (an SQLite write turn).
            _ = try await app.signedIn(.viewer)
            let after = try await scrape()

            let healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200")]
            #expect(after.sum("otwarty_http_requests_total", healthz) >= before.sum("otwarty_http_requests_total", healthz) + 1)
            #expect(after.sum("otwarty_http_request_duration_seconds_count", healthz)
                    >= before.sum("otwarty_http_request_duration_seconds_count", healthz) + 1)
            let missing = [("method", "GET"), ("status", "404")]
            #expect(after.sum("otwarty_http_requests_total", missing) >= before.sum("otwarty_http_requests_total", missing) + 1)
            let pages = [("cache", "public_pages")]
            #expect(after.sum("otwarty_cache_hits_total", pages) >= before.sum("otwarty_cache_hits_total", pages) + 1)
            #expect(after.sum("otwarty_db_connections_lent_total") > before.sum("otwarty_db_connections_lent_total"))
            #expect(after.sum("otwarty_sqlite_writer_turns_total") > before.sum("otwarty_sqlite_writer_turns_total"))
            // Nothing is running between requests.
            #expect(after.sum("otwarty_db_connections_in_use") == 0)
            #expect(after.sum("otwarty_db_connections_waiting") == 0)
            #expect(after.sum("otwarty_sqlite_writers_waiting") == 0)
            #expect(after.sum("otwarty_pdf_waiting") == 0)
        }
    }

    /// swift-metrics may be bootstrapped once per process: many apps with metrics in one process
    /// (as here, and in every test run) share it instead of bootstrapping again and crashing.
    @Test func manyAppsWithMetricsInOneProcess() async throws {
        for _ in 0..<3 {
            try await TestApp.withApp(storage: .memory, configure: Self.withToken) { _, client in
                let response = try await client.execute(uri: "/metrics", method: .get, headers: Self.bearer)
                #expect(response.status == .ok)
            }
        }
    }

    @Test func everyResponseCarriesARequestID() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            var seen: Set<String> = []
            for uri in ["/healthz", "/pl/", "/no-such-address", "/api/v1/activities"] {
                let response = try await client.execute(uri: uri, method: .get)
                let id = try #require(response.headers[RequestIDMiddleware.header], "\(uri)")
                #expect(RequestIDMiddleware.isWellFormed(id))
                seen.insert(id)
            }
            #expect(seen.count == 4, "each request has its own id")
            // No trusted proxy here, so even a well-formed incoming id is replaced (a trusted proxy's
            // is kept: RequestIDTests), as is anything else.
            let proxied = try await client.execute(uri: "/healthz", method: .get,
                                                   headers: [RequestIDMiddleware.header: "5f2b9c0e8a1d4b7f9e3c2a1b0d9e8f7a"])
            #expect(proxied.headers[RequestIDMiddleware.header] != "5f2b9c0e8a1d4b7f9e3c2a1b0d9e8f7a")
            for bad in [String(repeating: "a", count: 65), "two words", "x\"y", "<script>", "ż"] {
                let response = try await client.execute(uri: "/healthz", method: .get, headers: [RequestIDMiddleware.header: bad])
                let id = try #require(response.headers[RequestIDMiddleware.header])
                #expect(id != bad)
                #expect(RequestIDMiddleware.isWellFormed(id))
            }
        }
    }

    @Test func jsonLogLinesParseAndCarryTheRequestID() async throws {
        let lines = LineSink()
        let logger = Logger(label: "otwarty") { JSONLogHandler(label: $0, write: lines.append) }
        let answered = LineSink()
        try await withMemoryApp(logger: logger) { client in
            let csrf = try await anonymousCSRF(client)
            let response = try await client.execute(
                uri: "/en/login", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded",
                          RequestIDMiddleware.header: "proxy-id-42"],
                body: formBody([("_csrf", csrf), ("email", "nobody@example.org"), ("password", "wrong password")]))
            #expect(response.status == .unauthorized)
            // Not from a trusted proxy: our own id, which the log lines carry.
            let id = try #require(response.headers[RequestIDMiddleware.header])
            #expect(id != "proxy-id-42")
            answered.append(id)
        }
        let entries = try lines.all.map { line in
            #expect(!line.contains("\n"))
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry["time"] is String && entry["level"] is String && entry["message"] is String)
        }
        let refused = try #require(entries.first { $0["message"] as? String == "sign-in refused" })
        #expect(refused["request_id"] as? String == answered.all.first)
        #expect(refused["level"] as? String == "notice")
        #expect((refused["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func jsonEscapesWhatWouldBreakALine() throws {
        let lines = LineSink()
        var logger = Logger(label: "otwarty") { JSONLogHandler(label: $0, write: lines.append) }
        logger[metadataKey: "hb.request.id"] = "abc"
        logger.warning("two\nlines \"quoted\" \\ \u{01}", metadata: ["nested": ["a": "1", "list": ["x", "y"]]])
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n"))
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(entry["message"] as? String == "two\nlines \"quoted\" \\ \u{01}")
        #expect(entry["request_id"] as? String == "abc")
        let metadata = entry["metadata"] as? [String: Any]
        #expect((metadata?["nested"] as? [String: Any])?["list"] as? [String] == ["x", "y"])
        #expect(metadata?["hb.request.id"] == nil, "the id is lifted out of the metadata")
    }

    @Test func badSettingsNameTheVariable() {
        for (name, value) in [("OTWARTY_METRICS_TOKEN", "short"), ("OTWARTY_METRICS_TOKEN", "has spaces in it, sixteen+"),
                              ("LOG_FORMAT", "xml")] {
            #expect {
                _ = try AppConfiguration.fromEnvironment([name: value])
            } throws: { error in
                (error as? AppConfiguration.Invalid)?.variable == name
            }
        }
        let configured = try? AppConfiguration.fromEnvironment(["OTWARTY_METRICS_TOKEN": Self.token, "LOG_FORMAT": "JSON"])
        #expect(configured?.metricsToken == Self.token)
        #expect(configured?.logFormat == .json)
        let plain = try? AppConfiguration.fromEnvironment([:])
        #expect(plain?.metricsToken == nil)
        #expect(plain?.logFormat == .text)
    }

    /// An app over in-memory repositories with the caller's logger (`TestApp` makes its own).
    func withMemoryApp(logger: Logger, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var configuration = AppConfiguration(publicBaseURL: "http://otwarty.test", logLevel: .info)
        configuration.pdfRenderer = "none"
        configuration.incidentKeyScrypt = .testing
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        configuration.database = .sqlite(path: folder.appendingPathComponent("unused.sqlite").path)
        var logger = logger
        logger.logLevel = .info
        let clock = TestClock()
        let services = try AppServices.over(Repositories.inMemory(clock:), configuration: configuration, logger: logger,
                                            hasher: BcryptPasswordHasher(cost: 4), now: clock.function)
        try await services.loadDefaultProgrammeIfEmpty()
        let app = try await buildApplication(configuration, services: services, logger: logger)
        try await app.test(.router) { client in try await body(client) }
        try await services.shutdown()
    }
}

/// Lines a `JSONLogHandler` wrote.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}

/// Prometheus text, read back: the sum of the samples of one name whose labels include `labels`.
struct Scrape {
    let samples: [(name: String, labels: [String: String], value: Double)]

    init(_ text: String) {
        var samples: [(String, [String: String], Double)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let open = series.firstIndex(of: "{"), series.last == "}" {
                name = String(series[..<open])
                let inner = series[series.index(after: open)..<series.index(before: series.endIndex)]
                // Label values here hold no `",` (routes, methods, statuses, cache names).
                for pair in inner.split(separator: "\",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            samples.append((name, labels, value))
        }
        self.samples = samples
    }

    func sum(_ name: String, _ labels: [(String, String)] = []) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.0] == $0.1 } }
            .reduce(0) { $0 + $1.value }
    }
}
