import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OtwartyCore
import OtwartyStorage
@testable import OtwartyWeb
import Testing

/// While the database does not answer (PostgreSQL restarting after a crash, a failover), requests
/// get 503 with Retry-After, not 500: the crash cycles (docs/reliability.md) saw 500s before.
@Suite struct StorageUnavailableTests {
    @Test func aServerThatRefusesConnectionsIsStorageUnavailable() async throws {
        // A port nothing listens on: bind one, note it, close it.
        let port = try Self.closedPort()
        let database = try await Database.open(
            .postgres(url: "postgres://otwarty:nothing@127.0.0.1:\(port)/none?sslmode=disable"), logger: Logger(label: "test"))
        var caught: (any Error)?
        do { _ = try await database.withConnection { db in try await db.raw("SELECT 1").run() } } catch { caught = error }
        try? await database.shutdown()
        #expect(caught is StorageUnavailable, "\(String(describing: caught))")
    }

    @Test func pagesAndTheAPIAnswer503WithRetryAfter() async throws {
        let renderer = try await PageRenderer.bundled(localiser: try Localiser.bundled())
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(renderer: renderer))
        router.get("/api/v1/records") { _, _ -> String in throw StorageUnavailable(reason: "connection refused") }
        router.get("/pl/dashboard") { _, _ -> String in throw StorageUnavailable(reason: "connection refused") }
        try await Application(router: router).test(.router) { client in
            for path in ["/api/v1/records", "/pl/dashboard"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    #expect(response.headers[.retryAfter] == "5", "\(path)")
                    #expect(!String(buffer: response.body).contains("connection refused"), "the driver's words stay in the log")
                }
            }
        }
    }

    /// A file that is not a SQLite database is refused with an error, and the pool opened for it is
    /// shut down: before, the process (here, the test runner) stopped on AsyncKit's "shutdown() was
    /// not called before deinit" (found by the restore command's tests).
    @Test func aFileThatIsNotADatabaseIsAnErrorNotACrash() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-notdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("damaged.sqlite").path
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: path))
        var caught: (any Error)?
        do { _ = try await Database.open(.sqlite(path: path), logger: Logger(label: "test")) } catch { caught = error }
        #expect(caught != nil)
    }

    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
