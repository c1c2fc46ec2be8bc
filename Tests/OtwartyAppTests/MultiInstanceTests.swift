import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import OtwartyWeb
import Testing

/// Issue 15, point 1: several instances over one database, and the client address behind a proxy.
/// Two applications here open the same SQLite file, each with its own pool, caches and memory, as
/// two `otwarty serve` processes would; PostgreSQL's side is in AnonymousThrottleStorageTests.
@Suite struct MultiInstanceTests {
    /// Runs `body` with `count` applications over one database file, each reached through its own client.
    static func withInstances(_ count: Int = 2, setup: TestingSetup = .router,
                              configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
                              _ body: @escaping @Sendable (TestClock, [AppServices], [any TestClientProtocol]) async throws -> Void)
        async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = AppConfiguration(publicBaseURL: "http://otwarty.test",
                                             database: .sqlite(path: folder.appendingPathComponent("test.sqlite").path), logLevel: .warning)
        configuration.pdfRenderer = "none"
        configuration.incidentKeyScrypt = .testing
        configure(&configuration)
        var quiet = Logger(label: "test")
        quiet.logLevel = .warning
        let logger = quiet, settings = configuration
        let clock = TestClock()
        var all: [AppServices] = []
        do {
            for _ in 0..<count {
                all.append(try await AppServices.open(configuration, logger: logger, hasher: BcryptPasswordHasher(cost: 4), now: clock.function))
            }
            try await all[0].loadDefaultProgrammeIfEmpty()
            let services = all
            @Sendable func run(_ index: Int, _ clients: [any TestClientProtocol]) async throws {
                guard index < services.count else { return try await body(clock, services, clients) }
                let app = try await buildApplication(settings, services: services[index], logger: logger)
                try await app.test(setup) { client in try await run(index + 1, clients + [client]) }
            }
            try await run(0, [])
            for services in all { try await services.shutdown() }
        } catch {
            for services in all { try? await services.shutdown() }
            throw error
        }
    }

    nonisolated(unsafe) static let report: [String: Any] = ["narrative": "Wyzwiska na przystanku", "category": "verbal-abuse", "motivations": ["language"],
                                        "reporterRole": "witness", "district": 5, "language": "pl"]

    static func report(_ client: any TestClientProtocol, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: "/api/v1/incidents", method: .post, headers: headers, body: try jsonBody(report))
    }

    /// Fails before issue 15: each instance counted in its own memory, so a client sending through
    /// two instances got five reports into each (ten `201`s).
    @Test func twoInstancesTogetherAllowOneClientTheLimitOnce() async throws {
        try await Self.withInstances { _, _, clients in
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<10 { statuses.append(try await Self.report(clients[n % 2]).status) }
            #expect(statuses == Array(repeating: .created, count: 5) + Array(repeating: .tooManyRequests, count: 5))
        }
    }

    /// What was already in the database before issue 15, proven across two instances: a session
    /// made through one is valid on the other, its CSRF token too, the anonymous CSRF cookie is
    /// checked by either, and wrong passwords through one count on the other.
    @Test func sessionsCSRFAndTheSignInThrottleHoldAcrossInstances() async throws {
        try await Self.withInstances { _, services, clients in
            let (one, two) = (clients[0], clients[1])
            _ = try await services[0].accounts.createUser(email: "viewer@krakow.test", displayName: "Test viewer", role: .viewer,
                                                          organisationID: nil, password: TestApp.goodPassword)
            // The anonymous CSRF cookie from instance 1 is accepted by instance 2.
            let csrf = try await anonymousCSRF(one)
            let signIn = try await two.execute(uri: "/pl/login", method: .post,
                                               headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                                               body: formBody([("_csrf", csrf), ("email", "viewer@krakow.test"), ("password", TestApp.goodPassword)]))
            #expect(signIn.status == .seeOther)
            let token = try #require(signIn.cookie("otwarty_session"))
            // The session made by instance 2 is known to instance 1, and its CSRF token works there.
            #expect(try await one.execute(uri: "/pl/", method: .get, headers: [.cookie: "otwarty_session=\(token)"]).text.contains("Test viewer"))
            let sessionCSRF = try #require(try await services[1].repositories.sessions.session(tokenHash: SecretToken.digest(token))).csrfToken
            let forged = try await one.execute(uri: "/pl/logout", method: .post,
                                               headers: [.cookie: "otwarty_session=\(token)", .contentType: "application/x-www-form-urlencoded"],
                                               body: formBody([("_csrf", String(sessionCSRF.reversed()))]))
            #expect(forged.status == .forbidden)
            let out = try await one.execute(uri: "/pl/logout", method: .post,
                                            headers: [.cookie: "otwarty_session=\(token)", .contentType: "application/x-www-form-urlencoded"],
                                            body: formBody([("_csrf", sessionCSRF)]))
            #expect(out.status == .seeOther)
            // Signed out through instance 1: instance 2 no longer knows the session.
            #expect(try await !two.execute(uri: "/pl/", method: .get, headers: [.cookie: "otwarty_session=\(token)"]).text.contains("Test viewer"))
            // Five wrong passwords spread over both instances: the sixth attempt is refused on either.
            for n in 0..<5 {
                let wrong = try await [one, two][n % 2].execute(
                    uri: "/en/login", method: .post, headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                    body: formBody([("_csrf", csrf), ("email", "viewer@krakow.test"), ("password", "not the password \(n)")]))
                #expect(wrong.status == .unauthorized)
            }
            for client in [one, two] {
                let blocked = try await client.execute(
                    uri: "/en/login", method: .post, headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                    body: formBody([("_csrf", csrf), ("email", "viewer@krakow.test"), ("password", TestApp.goodPassword)]))
                #expect(blocked.status == .tooManyRequests)
            }
        }
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Behind a trusted proxy each client is counted by the address the proxy forwarded. Fails
    /// before issue 15: every request counted as the proxy's, so the second client was refused.
    @Test func behindATrustedProxyEachClientHasItsOwnLimit() async throws {
        try await Self.withInstances(1, setup: .live, configure: {
            $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1, ::1")
        }) { (_: TestClock, _: [AppServices], clients: [any TestClientProtocol]) async throws in
            let proxy = clients[0]
            for _ in 0..<5 {
                #expect(try await Self.report(proxy, headers: [Self.forwardedFor: "203.0.113.1"]).status == .created)
            }
            #expect(try await Self.report(proxy, headers: [Self.forwardedFor: "203.0.113.1"]).status == .tooManyRequests)
            // The client cannot slip out by writing an address of its own to the left: the
            // proxy appends the address it saw, and only that (the rightmost untrusted one) counts.
            #expect(try await Self.report(proxy, headers: [Self.forwardedFor: "198.51.100.99, 203.0.113.1"]).status == .tooManyRequests)
            #expect(try await Self.report(proxy, headers: [Self.forwardedFor: "203.0.113.2"]).status == .created)
        }
    }

    /// A peer that is not a trusted proxy cannot choose its identity with X-Forwarded-For (a
    /// guard for the feature: believing the header from anyone would lift the limit for everyone).
    @Test(arguments: ["", "10.0.0.0/8, fd00::/8"])
    func anUntrustedPeerCannotSpoofXForwardedFor(trusted: String) async throws {
        try await Self.withInstances(1, setup: .live, configure: {
            $0.trustedProxies = try! TrustedProxies(parsing: trusted)
        }) { _, _, clients in
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<7 {
                statuses.append(try await Self.report(clients[0], headers: [Self.forwardedFor: "203.0.113.\(n)"]).status)
            }
            #expect(statuses == Array(repeating: .created, count: 5) + [.tooManyRequests, .tooManyRequests])
        }
    }

    @Test func theLimitFactorMultipliesTheLimits() async throws {
        try await Self.withInstances(1, configure: { $0.anonymousLimitFactor = 2 }) { _, _, clients in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<11 { statuses.append(try await Self.report(clients[0]).status) }
            #expect(statuses == Array(repeating: .created, count: 10) + [.tooManyRequests])
        }
    }
}

/// `OTWARTY_TRUSTED_PROXIES` and how the client address is chosen.
@Suite struct ClientAddressTests {
    let trusted = try! TrustedProxies(parsing: " 10.0.0.0/8,192.0.2.7 , fd00::/8,,::1")

    @Test func theClientIsThePeerUnlessThePeerIsATrustedProxy() {
        #expect(ClientAddress.resolve(peer: "198.51.100.4", forwardedFor: ["203.0.113.9"], trusted: trusted) == "198.51.100.4")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["203.0.113.9"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "192.0.2.7", forwardedFor: ["203.0.113.9"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "192.0.2.8", forwardedFor: ["203.0.113.9"], trusted: trusted) == "192.0.2.8")
        #expect(ClientAddress.resolve(peer: "::ffff:10.0.0.1", forwardedFor: ["203.0.113.9"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "unknown", forwardedFor: ["203.0.113.9"], trusted: trusted) == "unknown")
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["203.0.113.9"], trusted: .none) == "10.1.2.3")
    }

    @Test func theRightmostUntrustedHopIsTheClient() {
        // A chain of proxies: the client's own claim on the left is ignored.
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["1.2.3.4, 203.0.113.9, 10.0.0.2"], trusted: trusted) == "203.0.113.9")
        // Several header lines read as one list, in order.
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["1.2.3.4", "203.0.113.9,fd00::1"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["[2001:DB8::1]"], trusted: trusted) == "2001:db8:0:0:0:0:0:1")
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["::ffff:203.0.113.9"], trusted: trusted) == "203.0.113.9")
        // Only proxies in the header: the leftmost is the client.
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["10.9.9.9, 10.0.0.2"], trusted: trusted) == "10.9.9.9")
        // Junk left of the client does not matter.
        #expect(ClientAddress.resolve(peer: "::1", forwardedFor: ["unknown, <script>, 203.0.113.9"], trusted: trusted) == "203.0.113.9")
    }

    @Test func aMalformedOrMissingHeaderGivesThePeer() {
        for header in [[], [""], ["203.0.113.9 "], ["203.0.113.9:443"], ["203.0.113.300"], ["unknown"], ["203.0.113.9, "],
                       ["203.0.113.9, 10.0.0.2, nonsense"], ["1.2.3.4 5.6.7.8"], [String(repeating: "1", count: 5_000)]] {
            let client = ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: header, trusted: trusted)
            #expect(client == (header == ["203.0.113.9 "] ? "203.0.113.9" : "10.0.0.1"), "\(header)")
        }
    }

    @Test func theListIsReadOrRefusedNamingTheItem() throws {
        #expect(try TrustedProxies(parsing: "").isEmpty)
        #expect(try TrustedProxies(parsing: "127.0.0.1").contains([127, 0, 0, 1]))
        #expect(try !TrustedProxies(parsing: "10.0.0.0/31").contains([10, 0, 0, 2]))
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").contains([8, 8, 8, 8]))
        for bad in ["10.0.0.0/33", "localhost", "10.0.0.1/", "10.0.0.1/-1", "::1/129", "10.0.0.0/8/8", "10.0.0.0/ 8"] {
            #expect(throws: TrustedProxies.Invalid.self, "\(bad)") { try TrustedProxies(parsing: "127.0.0.1, \(bad)") }
        }
        for (variable, value) in [("OTWARTY_TRUSTED_PROXIES", "10.0.0.0/40"), ("OTWARTY_ANONYMOUS_LIMIT_FACTOR", "0"),
                                  ("OTWARTY_ANONYMOUS_LIMIT_FACTOR", "1001"), ("OTWARTY_ANONYMOUS_LIMIT_FACTOR", "many")] {
            do {
                _ = try AppConfiguration.fromEnvironment([variable: value])
                Issue.record("\(variable)=\(value) was accepted")
            } catch let error as AppConfiguration.Invalid {
                #expect(error.variable == variable && error.description.contains(value))
            }
        }
        let configured = try AppConfiguration.fromEnvironment(["OTWARTY_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
                                                               "OTWARTY_ANONYMOUS_LIMIT_FACTOR": "1000"])
        #expect(configured.trustedProxies.ranges.count == 2 && configured.anonymousLimitFactor == 1000)
    }
}
