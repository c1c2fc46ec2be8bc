import Foundation
import Logging
import OtwartyCore

/// `otwarty bench --suite keys`: what incident keys cost at sign-in (docs/incidents.md,
/// "Parameters"). For scrypt at the configured cost (`OTWARTY_INCIDENT_SCRYPT_LOG_N`, default 16)
/// and at 2^14, 2^15 and 2^17, one key derivation; then a whole handler sign-in
/// (`AccountService.signIn`: the throttle check, bcrypt at `OTWARTY_BCRYPT_COST`, the scrypt
/// unwrap of the handler's key and the session's copy of it) on a fresh SQLite database, its parts
/// one by one, and two sign-ins at once (the machines have two cores). Median and max of `runs`.
/// Figures only: nothing is asserted, no test times anything.
enum KeyBenchmark {
    struct Row {
        var measure: String
        var median: Double
        var max: Double
        var target: String = "—"
        var met: Bool?
    }

    static let signInTarget = 1000.0

    static func run(runs: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
                    log: @escaping @Sendable (String) -> Void) async throws -> (rows: [Row], notes: [String]) {
        let configured = try AppConfiguration.fromEnvironment(environment)
        let scrypt = configured.incidentKeyScrypt
        var rows: [Row] = []
        var notes: [String] = []
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        for logN in Set([14, 15, 16, 17, scrypt.logN]).sorted() {
            let parameters = ScryptParameters(logN: logN, blockSize: scrypt.blockSize, parallelism: scrypt.parallelism)
            log("scrypt \(parameters)…")
            let times = try await timings(runs) { _ = try parameters.deriveKey(from: "zielony rower nad Wisłą", salt: salt) }
            let mark = logN == scrypt.logN ? " (configured)" : ""
            rows.append(Row(measure: "scrypt \(parameters), \(parameters.memoryBytes / 1_048_576) MiB\(mark)",
                            median: median(times), max: times.max() ?? 0))
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bench-keys-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = AppConfiguration(database: .sqlite(path: folder.appendingPathComponent("otwarty.sqlite").path),
                                             bcryptCost: configured.bcryptCost, logLevel: .warning)
        configuration.incidentKeyScrypt = scrypt
        var logger = Logger(label: "otwarty-bench")
        logger.logLevel = .warning
        let services = try await AppServices.open(configuration, logger: logger)
        do {
            let password = "zielony rower nad Wisłą"
            let hasher = BcryptPasswordHasher(cost: configured.bcryptCost)
            var handlers: [User] = []
            for n in 1...2 {
                handlers.append(try await services.accounts.createUser(
                    email: "handler\(n)@bench.test", displayName: "Handler \(n)", role: .incidentHandler, organisationID: nil,
                    password: password))
            }
            // The first sign-in makes the key pair; the ones measured unwrap it, as every later one does.
            for user in handlers { _ = try await services.incidentKeys.unlock(user: user, password: password) }
            guard let pair = try await services.incidentKeys.keys.handlerKey(userID: handlers[0].id),
                  let hash = handlers[0].passwordHash else { throw BenchFailure("the benchmark handler has no key pair") }

            log("bcrypt cost \(configured.bcryptCost)…")
            let bcrypt = try await timings(runs) { _ = try await hasher.verify(password, hash: hash) }
            rows.append(Row(measure: "bcrypt verify, cost \(configured.bcryptCost)", median: median(bcrypt), max: bcrypt.max() ?? 0))

            log("handler key unwrap…")
            var key = HandlerPrivateKey.generate()
            let unwrap = try await timings(runs) {
                key = try IncidentCrypto.unwrap(pair.wrappedPrivateKey, password: password, context: "user:\(handlers[0].id)")
            }
            rows.append(Row(measure: "handler key unwrap (scrypt \(scrypt) + AES-GCM)", median: median(unwrap), max: unwrap.max() ?? 0))

            let token = SecretToken.generate()
            let session = try await timings(max(runs, 20)) { _ = try IncidentCrypto.wrap(key, sessionToken: token) }
            rows.append(Row(measure: "session copy of the key (HKDF + AES-GCM)", median: median(session), max: session.max() ?? 0))

            log("whole sign-ins…")
            let whole = try await timings(runs) {
                guard case .signedIn = try await services.accounts.signIn(email: handlers[0].email, password: password, client: "bench") else {
                    throw BenchFailure("the benchmark handler could not sign in")
                }
            }
            rows.append(Row(measure: "whole handler sign-in (throttle, bcrypt, unwrap, session)", median: median(whole),
                            max: whole.max() ?? 0, target: "< 1 s", met: (whole.max() ?? 0) < signInTarget))

            log("two sign-ins at once…")
            var pairs: [Double] = []
            let (email0, email1) = (handlers[0].email, handlers[1].email)
            for _ in 0..<runs {
                async let first = time {
                    _ = try await services.accounts.signIn(email: email0, password: password, client: "bench-a")
                }
                async let second = time {
                    _ = try await services.accounts.signIn(email: email1, password: password, client: "bench-b")
                }
                pairs.append(max(try await first, try await second))
            }
            rows.append(Row(measure: "two handler sign-ins at once (the slower of the two)", median: median(pairs),
                            max: pairs.max() ?? 0, target: "< 1 s", met: (pairs.max() ?? 0) < signInTarget))
            try await services.shutdown()
        } catch {
            try? await services.shutdown()
            throw error
        }
        notes.append("Configured: OTWARTY_INCIDENT_SCRYPT_LOG_N=\(scrypt.logN) (scrypt \(scrypt)), OTWARTY_BCRYPT_COST=\(configured.bcryptCost); "
            + "\(runs) run(s) each (the session copy at least 20).")
        notes.append("A whole sign-in is AccountService.signIn on a fresh SQLite file: the throttle's reservation, bcrypt, the "
            + "unwrap of the handler's key, and the session row with its copy of the key. The HTTP round trip adds a few ms.")
        return (rows, notes)
    }

    struct BenchFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        try await body()
        let elapsed = clock.now - started
        return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func timings(_ runs: Int, _ body: () async throws -> Void) async throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<max(1, runs) { times.append(try await time(body)) }
        return times
    }

    static func median(_ times: [Double]) -> Double {
        let sorted = times.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func table(_ rows: [Row], runs: Int) -> String {
        var lines = ["| measure | median ms | max ms | target | met |", "|---|---:|---:|---|---|"]
        for row in rows {
            let met = row.met.map { $0 ? "yes" : "**no**" } ?? "—"
            lines.append("| \(row.measure) | \(Benchmark.ms(row.median)) | \(Benchmark.ms(row.max)) | \(row.target) | \(met) |")
        }
        return lines.joined(separator: "\n")
    }
}
