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
    @Option(help: "data (import, indicators, dashboard), report (the annual report for one year of N records), http (wrk on the public progress page beside a bare route) or keys (scrypt and a handler's sign-in at OTWARTY_INCIDENT_SCRYPT_LOG_N and OTWARTY_BCRYPT_COST).")
    var suite: String = "data"
    @Option(help: "http suite: seconds per wrk run.") var seconds: Int = 10
    @Option(help: "http suite: wrk connections.") var connections: Int = 32

    func validate() throws {
        guard let sizes = parsedSizes, !sizes.isEmpty, sizes.allSatisfy({ (1...ActivityCSV.maxRows).contains($0) }) else {
            throw ValidationError("--records must be counts of 1–1,000,000 separated by commas, e.g. 100000,1000000")
        }
        guard (1...50).contains(runs) else { throw ValidationError("--runs must be 1–50") }
        guard ["data", "report", "http", "keys"].contains(suite) else { throw ValidationError("--suite must be data, report, http or keys") }
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
            print(try await PublicPageBenchmark.run(records: parsedSizes?.first ?? 10_000, seconds: seconds, connections: connections, log: log))
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
