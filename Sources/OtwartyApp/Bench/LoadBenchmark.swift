import Foundation
import Logging
import OtwartyCore
import OtwartyWeb

/// `otwarty bench --suite load`: two instances of this program (`otwarty serve`) on one PostgreSQL
/// database behind nginx, all on the loopback interface, and h2load (Debian's nghttp2-client)
/// sending requests at fixed rates — a ladder of rates per route — to the public progress page, the
/// incident form, the indicator API and `/healthz` (the base of the ratio: the same proxy and
/// server with no application work), then the same through one instance directly. Per rung:
/// p50/p99/p99.9 from h2load's per-request log (h2load itself prints only min/max/mean/sd), and per
/// route the highest rate whose p99 stays within 100 ms. Every rung is bounded in time and count,
/// and a route stops climbing at its first rung that misses. Prints figures, asserts nothing.
enum LoadBenchmark {
    struct Options: Sendable {
        /// A scratch PostgreSQL database (never DATABASE_URL implicitly: demo records are added to it).
        var postgresURL: String
        var records: Int
        var ladder: [Int]
        var seconds: Int
        var maxRequests: Int
        /// The folder holding the nginx site configuration a city copies (`deploy/`).
        var deploy: URL
        var keep: Bool
    }

    struct Route: Sendable {
        var name: String
        var path: String
    }

    /// `/healthz` first: it is the base every other route is compared with.
    static let routes: [Route] = [
        Route(name: "/healthz (base)", path: SharedURL.health.path()),
        Route(name: "progress page", path: SiteURL.progress.path("pl", query: [.year(2025)])),
        Route(name: "incident form", path: SiteURL.reportIncident.path("pl")),
        Route(name: "indicator API", path: SharedURL.apiIndicators.path(query: [.year(2025)])),
    ]

    static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws -> String {
        guard let h2load = ExternalPDFRenderer.which("h2load") else {
            throw BenchError("h2load is not installed: apt-get install -y nghttp2-client")
        }
        guard let nginx = ExternalPDFRenderer.which("nginx", path: (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin") else {
            throw BenchError("nginx is not installed: apt-get install -y nginx")
        }
        let script = options.deploy.appendingPathComponent("instances.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw BenchError("\(script.path) is missing or not executable: run from the repository's folder, or pass --deploy FOLDER")
        }
        guard let executable = Bundle.main.executableURL else { throw BenchError("cannot find this program's own path to start instances") }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bench-load-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            if !options.keep { try? FileManager.default.removeItem(at: folder) } else { log("kept \(folder.path) (instance and nginx logs)") }
        }

        // Both instances read the same key files, as a real deployment's do; made here so nothing
        // lands in ./data, where a server on PostgreSQL would make its own.
        let keys = (incident: folder.appendingPathComponent("incident.key").path, otp: folder.appendingPathComponent("otp.key").path)
        for path in [keys.incident, keys.otp] {
            guard FileManager.default.createFile(atPath: path, contents: Data((FieldCipher.newKeyBase64() + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else { throw BenchError("cannot write \(path)") }
        }
        try await prepareData(options, keys: keys, log: log)

        // deploy/instances.sh starts the instances and nginx with the site file a city copies, as
        // the CI test does: the bench measures the shipped configuration, not one of its own.
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = options.postgresURL
        environment["LOG_LEVEL"] = "error"
        environment["OTWARTY_BIN"] = executable.path
        environment["OTWARTY_INCIDENT_KEY_FILE"] = keys.incident
        environment["OTWARTY_OTP_KEY_FILE"] = keys.otp
        environment["OTWARTY_INSTANCES_DIR"] = folder.appendingPathComponent("instances").path
        environment["KEEP"] = "1" // the folder above is removed (or kept) as a whole
        // Not through NGINX, which the script reads: nginx itself takes that variable for sockets
        // inherited in a binary upgrade, stays in the foreground and the script never returns.
        environment["PATH"] = ((environment["PATH"] ?? "/usr/bin:/bin") + ":" + ((nginx as NSString).deletingLastPathComponent))
        log("starting two instances and nginx with \(script.path)…")
        let started = try Script.run(script.path, ["start", "2"], environment: environment, timeout: 180)
        guard started.status == 0, let deployment = InstancesScript.parse(started.output), deployment.instances.count == 2 else {
            throw BenchError("\(script.path) start 2 failed (exit \(started.status)):\n\(started.errors.suffix(3000))\n\(started.output.suffix(1000))")
        }
        defer { _ = try? Script.run(script.path, ["stop", deployment.folder], environment: environment, timeout: 60) }
        let proxyPort = deployment.proxy, instancePorts = deployment.instances
        log("nginx on 127.0.0.1:\(proxyPort), instances on \(instancePorts.map(String.init).joined(separator: ", "))")

        var runs: [LoadFigures.RouteRun] = []
        let targets = [("nginx → 2 instances", proxyPort), ("1 instance directly", instancePorts[0])]
        for (via, port) in targets {
            for route in routes {
                let url = "http://127.0.0.1:\(port)\(route.path)"
                // Fills the page caches of both instances (nginx alternates) before any rung counts.
                _ = try H2Load.run(h2load, ["--h1", "-n", "200", "-c", "4", url], timeout: 60)
                var rungs: [LoadFigures.Rung] = []
                for rate in options.ladder {
                    let requests = LoadFigures.requests(rate: rate, seconds: options.seconds, cap: options.maxRequests)
                    let logFile = folder.appendingPathComponent("h2load-\(port)-\(rungs.count)-\(runs.count).tsv")
                    log("\(via), \(route.name): \(LoadFigures.number(rate)) req/s, \(LoadFigures.number(requests)) requests…")
                    let schedule = LoadFigures.Schedule(rate: rate)
                    let output = try H2Load.run(h2load, H2Load.arguments(schedule: schedule, requests: requests, logFile: logFile.path, url: url),
                                                timeout: Double(requests) / Double(rate) + 30)
                    let entries: [LoadFigures.Entry]
                    do {
                        entries = try LoadFigures.parseLog(try String(contentsOf: logFile, encoding: .utf8))
                    } catch {
                        throw BenchError("h2load left no readable log (\(error)); its output:\n\(output)")
                    }
                    let rung = LoadFigures.rung(rate: rate, asked: requests, entries: entries)
                    rungs.append(rung)
                    if !options.keep { try? FileManager.default.removeItem(at: logFile) }
                    guard LoadFigures.shouldClimb(after: rung) else { break }
                    try await Task.sleep(for: .seconds(1)) // lets the last connections close before the next rung
                }
                runs.append(.init(route: route.name, via: via, rungs: rungs, ladder: options.ladder))
            }
        }

        let example = H2Load.arguments(schedule: .init(rate: 1000), requests: 1000 * options.seconds, logFile: "LOG.tsv",
                                       url: "http://127.0.0.1:PORT\(routes[1].path)")
        return """
            \(LoadFigures.table(runs))

            \(LoadFigures.summary(runs, base: routes[0].name))

            - Routes: \(routes.map { "\($0.name) `\($0.path)`" }.joined(separator: ", ")); \(LoadFigures.number(options.records)) \
            demo records or more on PostgreSQL; two `otwarty serve` instances behind nginx, started by \(options.deploy.lastPathComponent)/instances.sh \
            with deploy/nginx/otwarty.conf (its upstream servers, listen and TLS lines replaced), everything on 127.0.0.1.
            - One request per connection at a fixed rate (open loop); each rung \(options.seconds) s or \(LoadFigures.number(options.maxRequests)) \
            requests, whichever is fewer; a route stops at its first rung that misses. A rung is within the target when p99 ≤ 100 ms, \
            no request failed, and requests started at ≥ 95 % of the asked rate. Percentiles are nearest-rank over the successful requests, \
            from h2load's --log-file (request sent → response complete, connect time excluded).
            - h2load for 1,000 req/s: \(h2load) \(example.joined(separator: " "))
            - h2load, nginx and both instances share the machine's cores: compare the shares, not the absolute rates.
            """
    }

    /// Kraków's programme and `records` demo records, unless the database already has records
    /// (then those are used as they are: the bench only reads).
    static func prepareData(_ options: Options, keys: (incident: String, otp: String), log: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "otwarty-bench-load")
        logger.logLevel = .critical
        var configuration = AppConfiguration(host: "127.0.0.1", port: 0, database: .postgres(url: options.postgresURL),
                                             bcryptCost: 10, logLevel: .critical)
        configuration.incidentKeyFile = keys.incident
        configuration.otpKeyFile = keys.otp
        let services = try await AppServices.open(configuration, logger: logger)
        do {
            try await services.loadDefaultProgrammeIfEmpty()
            let existing = try await DemoLoading.existingRecords(services)
            if existing == 0 {
                log("loading \(LoadFigures.number(options.records)) demo records into PostgreSQL…")
                _ = try await DemoLoading.run(.init(records: options.records), services: services)
            } else {
                log("the database already has \(LoadFigures.number(existing)) activity records: using them")
            }
        } catch {
            try? await services.shutdown()
            throw error
        }
        try await services.shutdown()
    }
}

/// h2load's command line and its run.
enum H2Load {
    /// One request per connection (`-c` = `-n`), connections made on the schedule, HTTP/1.1 as
    /// nginx and the instances speak it to browsers here; a connection silent for 10 s fails.
    static func arguments(schedule: LoadFigures.Schedule, requests: Int, logFile: String, url: String) -> [String] {
        ["--h1", "-t", "1", "-r", "\(schedule.perPeriod)", "--rate-period", "\(schedule.periodMilliseconds)ms",
         "-c", "\(requests)", "-n", "\(requests)", "-N", "10s", "--log-file", logFile, url]
    }

    /// Runs h2load; its output (stdout and stderr) says how far it got when it failed.
    static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> String {
        let result = try Script.run(executable, arguments, timeout: timeout)
        if result.status != 0 {
            throw BenchError("h2load \(arguments.joined(separator: " ")) exited with \(result.status):\n\(result.output.suffix(2000))\(result.errors.suffix(2000))")
        }
        return result.output + result.errors
    }
}

/// A child process run to its end, killed (SIGTERM) after `timeout` seconds. posix_spawn and
/// waitpid rather than Foundation's `Process`, which on Linux learns of the child's exit from a
/// socket the child inherits: instances.sh leaves the servers and nginx running with that socket
/// open, so `Process` would wait for them instead of the script.
enum Script {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Double) throws -> Result {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-run-\(UUID().uuidString.prefix(8))")
        let out = base.appendingPathExtension("out"), err = base.appendingPathExtension("err")
        defer { for file in [out, err] { try? FileManager.default.removeItem(at: file) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard code == 0 else { throw SpawnFailed(executable: executable, code: code) }

        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped == -1 && errno != EINTR) { break }
            if !killed, Date() >= deadline { kill(pid, SIGTERM); killed = true }
            usleep(20_000)
        }
        // WIFEXITED/WEXITSTATUS are macros Swift does not import: exited when the low 7 bits are 0.
        let exited = status & 0x7f == 0
        return Result(status: exited && !killed ? (status >> 8) & 0xff : -1,
                      output: (try? String(contentsOf: out, encoding: .utf8)) ?? "", errors: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// What `deploy/instances.sh start N` prints on standard output: shell assignments.
struct InstancesScript: Equatable {
    var proxy: Int
    var instances: [Int]
    var folder: String

    /// Nil when the proxy, the folder or instance 1 is missing, or an address is not http://127.0.0.1:PORT.
    static func parse(_ output: String) -> InstancesScript? {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        func port(_ key: String) -> Int? {
            guard let url = values[key], url.hasPrefix("http://127.0.0.1:"), let port = Int(url.dropFirst("http://127.0.0.1:".count)),
                  (1...65535).contains(port) else { return nil }
            return port
        }
        guard let proxy = port("OTWARTY_PROXY"), let folder = values["OTWARTY_INSTANCES_DIR"], !folder.isEmpty else { return nil }
        var instances: [Int] = []
        while let next = port("OTWARTY_INSTANCE_\(instances.count + 1)") { instances.append(next) }
        guard !instances.isEmpty else { return nil }
        return InstancesScript(proxy: proxy, instances: instances, folder: folder)
    }
}
