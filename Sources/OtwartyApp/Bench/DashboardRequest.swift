import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import OtwartyCore
import OtwartyWeb

/// Times `GET /pl/dashboard` through the real router and HTTP server on the loopback interface,
/// signed in as a viewer: the whole request (session lookup, engine, template, HTTP), as a
/// browser would see it less the network.
enum DashboardRequest {
    /// Median milliseconds of `runs` requests, or nil when the app has no dashboard route.
    /// With `afterAChange`, a reference value is recorded before each request, so the indicator
    /// cache is invalid and every request computes from the records (the first view after an approval).
    static func time(services: AppServices, year: Int, runs: Int, afterAChange: Bool = false) async throws -> Double? {
        let configuration = AppConfiguration(host: "127.0.0.1", port: 0, database: try services.database.location, bcryptCost: 10,
                                             logLevel: .warning)
        let (router, routes) = try await buildRouter(configuration, services: services)
        guard routes.contains(where: { $0.method == .get && $0.pattern == SiteURL.dashboard.pattern }) else { return nil }

        let user = try await services.accounts.createUser(
            email: "bench-\(UUID().uuidString.prefix(8).lowercased())@example.org", displayName: "Bench", role: .viewer,
            organisationID: nil, password: "Zielone-Błonia-\(UUID().uuidString)")
        let token = try await services.accounts.startSession(for: user)

        var logger = Logger(label: "otwarty-bench-http")
        // Quiet: the server is stopped by cancelling its task, which it reports as an error.
        logger.logLevel = .critical
        let port = PortBox()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.set(channel.localAddress?.port) }, logger: logger)
        return try await withThrowingTaskGroup(of: Double?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            defer { group.cancelAll() }
            var waited = 0
            while port.get() == nil {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
                if waited > 1000 { throw BenchError("the HTTP server did not start") }
            }
            guard let url = URL(string: "http://127.0.0.1:\(port.get()!)" + SiteURL.dashboard.path("pl", query: [.year(year)])) else { return nil }
            var request = URLRequest(url: url)
            request.setValue("otwarty_session=\(token)", forHTTPHeaderField: "Cookie")
            let fetch = { () async throws -> Double in
                let clock = ContinuousClock()
                let started = clock.now
                let (status, bytes) = try await get(request)
                let elapsed = (clock.now - started).milliseconds
                guard status == 200, bytes > 1000 else { throw BenchError("GET \(url) answered \(status) (\(bytes) bytes)") }
                return elapsed
            }
            _ = try await fetch() // warm-up: templates, the connection
            var times: [Double] = []
            for run in 0..<max(1, runs) {
                if afterAChange {
                    try await services.repositories.references.set(
                        ReferenceValue(key: "bench-invalidation", year: year, value: Double(run), source: "otwarty bench"), by: nil)
                }
                times.append(try await fetch())
            }
            return times.sorted()[times.count / 2]
        }
    }

    static func get(_ request: URLRequest) async throws -> (Int, Int) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                continuation.resume(returning: ((response as? HTTPURLResponse)?.statusCode ?? 0, data?.count ?? 0))
            }.resume()
        }
    }

    final class PortBox: @unchecked Sendable {
        private let lock = NSLock()
        private var port: Int?
        func set(_ value: Int?) { lock.withLock { port = value } }
        func get() -> Int? { lock.withLock { port } }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
