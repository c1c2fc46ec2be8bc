import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// A real application driven through the router without sockets, over a SQLite file in its own
/// temporary folder or over in-memory repositories (`TestStorage`). bcrypt runs at its lowest
/// cost so tests stay quick.
struct TestApp: Sendable {
    let services: AppServices
    let configuration: AppConfiguration
    let clock: TestClock
    /// The temporary folder holding the SQLite file (and its WAL), and the keys' files.
    let folder: URL

    static func withApp<R: Sendable>(storage: TestStorage = .sqlite, loadProgramme: Bool = true, throttle: LoginThrottlePolicy = .init(),
                                     logs: LogCapture? = nil, configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
                           _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> R) async throws -> R {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = AppConfiguration(
            publicBaseURL: "http://otwarty.test", database: .sqlite(path: folder.appendingPathComponent("test.sqlite").path),
            throttlePolicy: throttle, logLevel: .warning)
        // PDFs need a program on the machine; the router tests see the "not installed" answer
        // everywhere alike (ExternalPDFRendererTests drive the real process plumbing).
        configuration.pdfRenderer = "none"
        // Cheap scrypt for the hundreds of handler sign-ins in tests; the standard cost is measured by `otwarty bench --suite keys`.
        configuration.incidentKeyScrypt = .testing
        configure(&configuration)
        var logger = logs.map { capture in Logger(label: "test") { _ in capture.handler() } } ?? Logger(label: "test")
        logger.logLevel = logs == nil ? .warning : .trace
        let clock = TestClock()
        let services = switch storage {
        case .sqlite: try await AppServices.open(configuration, logger: logger, hasher: BcryptPasswordHasher(cost: 4),
                                                 now: clock.function)
        case .memory: try AppServices.over(Repositories.inMemory(clock:), configuration: configuration, logger: logger,
                                           hasher: BcryptPasswordHasher(cost: 4), now: clock.function)
        }
        do {
            if loadProgramme { try await services.loadDefaultProgrammeIfEmpty() }
            let app = try await buildApplication(configuration, services: services, logger: logger)
            let testApp = TestApp(services: services, configuration: configuration, clock: clock, folder: folder)
            let result = try await app.test(.router) { client in try await body(testApp, client) }
            try await services.shutdown()
            return result
        } catch {
            try? await services.shutdown()
            throw error
        }
    }

    /// A user who can sign in at once, with a session cookie ready to send.
    func signedIn(_ role: Role, email: String? = nil) async throws -> SignedInUser {
        var organisationID: OrganisationID?
        if role.requiresOrganisation {
            let name = "Organisation for \(role.rawValue) \(UUID().uuidString.prefix(6))"
            organisationID = try await services.repositories.organisations.create(name: name, kind: .ngo).id
        }
        let user = try await services.accounts.createUser(
            email: email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.org", displayName: "Test \(role.rawValue)",
            role: role, organisationID: organisationID, password: TestApp.goodPassword)
        // As at sign-in: the password unlocks a handler's key, and the session keeps it.
        let key = try await services.incidentKeys.unlock(user: user, password: TestApp.goodPassword)
        let token = try await services.accounts.startSession(for: user, incidentKey: key)
        let session = try #require(try await services.repositories.sessions.session(tokenHash: SecretToken.digest(token)))
        return SignedInUser(user: user, sessionToken: token, csrfToken: session.csrfToken, incidentKey: key)
    }

    static let goodPassword = "zielony rower nad Wisłą"
}

/// Where a `TestApp` keeps its data.
enum TestStorage: Sendable {
    /// A migrated SQLite file: for tests of what the database does (transactions, constraints,
    /// bytes on disk, commands that work on SQL).
    case sqlite
    /// `Repositories.inMemory` (OtwartyTestSupport): for tests of pages, access and workflows,
    /// without a file, migrations or SQL per request. A write to a store it has no double for
    /// fails the test and names the method.
    case memory
}

struct SignedInUser {
    let user: User
    let sessionToken: String
    let csrfToken: String
    /// An incident handler's private key (nil for other roles), as the session holds it.
    var incidentKey: HandlerPrivateKey? = nil

    var cookie: HTTPFields { [.cookie: "otwarty_session=\(sessionToken)"] }

    func formHeaders() -> HTTPFields {
        [.cookie: "otwarty_session=\(sessionToken)", .contentType: "application/x-www-form-urlencoded"]
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var setCookies: [String] { headers[values: .setCookie] }

    func cookie(_ name: String) -> String? {
        for header in setCookies {
            let first = header.split(separator: ";").first ?? ""
            let parts = first.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }
}

/// Form bodies as a browser sends them.
func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    return ByteBuffer(string: text)
}

/// An anonymous visitor's CSRF cookie and token, as a first GET would give them.
func anonymousCSRF(_ client: any TestClientProtocol, page: String = "/pl/login") async throws -> String {
    let response = try await client.execute(uri: page, method: .get)
    return try #require(response.cookie("otwarty_csrf"))
}

extension TestApp {
    /// A bearer token for a user who can sign in.
    func apiToken(for user: User) async throws -> String {
        try await services.accounts.createAPIToken(for: user, name: "test", apiTokens: services.repositories.apiTokens)
    }

    /// Stores a record of Kraków's programme straight through the repository (no workflow, no audit
    /// entry): for tests that need data on the pages.
    @discardableResult
    func store(_ input: ActivityInput, status: ActivityStatus) async throws -> ActivityRecord {
        try await services.repositories.activities.create(programmeSlug: Fixtures.krakowSlug, input: input, status: status,
                                                          by: nil, at: clock.now)
    }

    /// A signed-in reporter bound to an existing organisation.
    func reporter(_ role: Role, organisation: OrganisationID, email: String) async throws -> User {
        try await services.accounts.createUser(email: email, displayName: "Reporter \(email)", role: role,
                                               organisationID: organisation, password: TestApp.goodPassword)
    }
}

func bearer(_ token: String, json: Bool = false) -> HTTPFields {
    var headers: HTTPFields = [.authorization: "Bearer \(token)"]
    if json { headers[.contentType] = "application/json" }
    return headers
}

func jsonBody(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

/// Every log line at every level, with its metadata, as text: for tests that prove something is
/// never logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    func handler() -> any LogHandler { CapturingLogHandler(capture: self) }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { _, new in new }
        capture.append("\(level) \(message) \(all)")
    }
}
