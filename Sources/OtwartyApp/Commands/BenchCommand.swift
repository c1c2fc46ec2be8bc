import ArgumentParser
import Foundation
import OtwartyCore

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure import, indicator and dashboard speed on synthetic data, beside sqlite3 floors.",
        discussion: """
            For each size, in a fresh SQLite database in a temporary folder: the import rate of a CSV of demo records \
            against `sqlite3 .import`; the indicator engine for one year and for all years against hand-written SQL \
            run by the sqlite3 CLI; and the engine work of the dashboard. Prints figures, asserts nothing. \
            Needs a release build: swift run -c release --scratch-path .build-release otwarty bench. \
            Uses DATABASE_URL not at all. See docs/performance.md.
            """)

    @Option(help: "Record counts, comma-separated.") var records: String = "100000,1000000"
    @Option(help: "Runs per timing; the median is shown.") var runs: Int = 5
    @Flag(help: "Keep the temporary databases and CSV files (their folder is printed).") var keep = false
    @Option(help: "data (import, indicators, dashboard), report (the annual report for one year of N records), http (wrk on the public progress page beside a bare route), keys (scrypt and a handler's sign-in at OTWARTY_INCIDENT_SCRYPT_LOG_N and OTWARTY_BCRYPT_COST) or load (h2load at fixed rates through nginx to two instances on PostgreSQL; needs --postgres).")
    var suite: String = "data"
    @Option(help: "http suite: seconds per wrk run (default 10); load suite: seconds per rate (default 5).") var seconds: Int?
    @Option(help: "http suite: wrk connections.") var connections: Int = 32
    @Option(help: "load suite: a scratch PostgreSQL database (postgres://…), never taken from DATABASE_URL: demo records are added when it has none.")
    var postgres: String?
    @Option(help: "load suite: request rates per second, comma-separated; each route climbs until p99 passes 100 ms.")
    var rates: String = "100,200,500,1000,2000,3000,4000,6000,8000"
    @Option(help: "load suite: at most this many requests per rate.") var maxRequests: Int = 40_000
    @Option(help: "load suite: the folder with the nginx site configuration (deploy/ of the repository).") var deploy: String = "deploy"

    func validate() throws {
        guard let sizes = parsedSizes, !sizes.isEmpty, sizes.allSatisfy({ (1...ActivityCSV.maxRows).contains($0) }) else {
            throw ValidationError("--records must be counts of 1–1,000,000 separated by commas, e.g. 100000,1000000")
        }
        guard (1...50).contains(runs) else { throw ValidationError("--runs must be 1–50") }
        guard ["data", "report", "http", "keys", "load"].contains(suite) else { throw ValidationError("--suite must be data, report, http, keys or load") }
        if let seconds, !(1...600).contains(seconds) { throw ValidationError("--seconds must be 1–600") }
        if suite == "load" {
            guard let postgres, postgres.hasPrefix("postgres://") || postgres.hasPrefix("postgresql://") else {
                throw ValidationError("--suite load needs --postgres postgres://USER:PASSWORD@HOST:PORT/DATABASE (a scratch database: two instances share it)")
            }
            guard LoadFigures.parseLadder(rates) != nil else { throw ValidationError("--rates must be request rates of 1–100,000 per second separated by commas, e.g. 100,500,1000") }
            guard (1...1_000_000).contains(maxRequests) else { throw ValidationError("--max-requests must be 1–1,000,000") }
        }
    }

    var parsedSizes: [Int]? {
        let parts = records.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }

    func run() async throws {
        #if DEBUG
        printError("this is a debug build: its figures say nothing. Run: swift run -c release --scratch-path .build-release otwarty bench")
        #endif
        print("Machine: \(Benchmark.machine())")
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let options = Benchmark.Options(sizes: parsedSizes ?? [], runs: runs, keep: keep)
        if suite == "http" {
            print(try await PublicPageBenchmark.run(records: parsedSizes?.first ?? 10_000, seconds: seconds ?? 10, connections: connections, log: log))
            return
        }
        if suite == "load" {
            let options = LoadBenchmark.Options(postgresURL: postgres ?? "", records: parsedSizes?.first ?? 10_000,
                                                ladder: LoadFigures.parseLadder(rates) ?? [], seconds: seconds ?? 5,
                                                maxRequests: maxRequests, deploy: URL(fileURLWithPath: deploy), keep: keep)
            print(try await LoadBenchmark.run(options, log: log))
            return
        }
        if suite == "keys" {
            let outcome = try await KeyBenchmark.run(runs: runs, log: log)
            print("")
            print(KeyBenchmark.table(outcome.rows, runs: runs))
            print("")
            for note in outcome.notes { print("- \(note)") }
            return
        }
        if suite == "report" {
            let outcome = try await ReportBenchmark.run(options, log: log)
            print("")
            print(Benchmark.table(outcome))
            print("")
            for note in outcome.notes { print("- \(note)") }
            return
        }
        let outcome = try await Benchmark.run(options, log: log)
        print("")
        print(Benchmark.table(outcome))
        print("")
        for note in outcome.notes { print("- \(note)") }
        print("- Dashboard data, engine: what the dashboard page asks of the indicator engine (the year's report, each "
            + "result's trend, the events result by district and by quarter), in process. GET /pl/dashboard: the whole page "
            + "through the router and HTTP server on the loopback interface, signed in as a viewer.")
    }
}
