import Foundation
import Hummingbird
import Logging
import OtwartyCore
import OtwartyWeb

/// `otwarty bench --suite http`: `wrk` on the loopback interface against the public progress page
/// (served from its cache, as anonymous visitors get it) and, in the same run, against a bare
/// Hummingbird route with no middleware answering a fixed short text. Prints both throughputs and
/// the page's share of the bare route's (goal ≥ 25 %). wrk shares the two cores with the server,
/// so compare the ratio, not the absolute numbers.
enum PublicPageBenchmark {
    static func run(records: Int, seconds: Int, connections: Int, log: @escaping @Sendable (String) -> Void) async throws -> String {
        guard let wrk = ExternalPDFRenderer.which("wrk") else {
            throw BenchError("wrk is not installed: apt-get install -y wrk")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bench-http-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "otwarty-bench-http")
        logger.logLevel = .critical
        let configuration = AppConfiguration(host: "127.0.0.1", port: 0,
                                             database: .sqlite(path: folder.appendingPathComponent("otwarty.sqlite").path),
                                             bcryptCost: 10, logLevel: .critical)
        let services = try await AppServices.open(configuration, logger: logger)
        defer { Task { try? await services.shutdown() } }
        try await services.loadDefaultProgrammeIfEmpty()
        log("loading \(records) demo records…")
        _ = try await DemoLoading.run(.init(records: records), services: services)
        let (router, _) = try await buildRouter(configuration, services: services)

        let bare = Router()
        bare.get("/bare") { _, _ in "ok" }

        let appPort = DashboardRequest.PortBox(), barePort = DashboardRequest.PortBox()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { appPort.set($0.localAddress?.port) }, logger: logger)
        let bareApp = Application(router: bare, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { barePort.set($0.localAddress?.port) }, logger: logger)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try await app.run(); return nil }
            group.addTask { try await bareApp.run(); return nil }
            defer { group.cancelAll() }
            for _ in 0..<1000 where appPort.get() == nil || barePort.get() == nil { try await Task.sleep(for: .milliseconds(10)) }
            guard let a = appPort.get(), let b = barePort.get() else { throw BenchError("the HTTP servers did not start") }
            let page = "http://127.0.0.1:\(a)" + SiteURL.progress.path("pl", query: [.year(2025)])
            let bareURL = "http://127.0.0.1:\(b)/bare"
            func measure(_ url: String) throws -> (Double, String) {
                let out = try capture(wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", url])
                guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
                      let rate = Double(line.split(separator: " ").last ?? "") else { throw BenchError("wrk printed no rate:\n\(out)") }
                let p99 = out.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                return (rate, p99)
            }
            _ = try capture(wrk, ["-t1", "-c4", "-d1s", page]) // warm-up: fills the page cache
            log("wrk against the bare route…")
            let (bareRate, bareP99) = try measure(bareURL)
            log("wrk against the progress page…")
            let (pageRate, pageP99) = try measure(page)
            let bytes = try capture("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}", page])
            return """
                | route | requests/s | latency 99 % |
                |---|---:|---|
                | bare Hummingbird route (`/bare`, no middleware, "ok") | \(Int(bareRate)) | \(bareP99) |
                | public progress page (`/pl/progress?year=2025`, cached, \(bytes) bytes) | \(Int(pageRate)) | \(pageP99) |

                progress page / bare route: \(String(format: "%.1f", 100 * pageRate / bareRate)) % (goal ≥ 25 %) — \(records) demo records, \
                wrk -t2 -c\(connections) -d\(seconds)s
                """
        }
    }

    static func capture(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
