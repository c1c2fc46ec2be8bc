import Foundation
import Logging
import OtwartyCore
import OtwartyDemo
import OtwartyStorage

/// What `otwarty bench` measures, for each size, in a fresh SQLite database in a temporary folder:
///
/// 1. **import**: a CSV of N demo records (`ActivityCSV.export`, no status columns) through
///    `ActivityImporter.run` (parse, check, store), in records/s; the floor is the same file
///    loaded by `sqlite3 .import --csv --skip 1` into a plain table with the same columns.
/// 2. **indicators**: `IndicatorEngine` over `SQLActivityAggregator` for one year and for every
///    year of the programme, median of `runs`; the floor is hand-written SQL computing the same
///    numbers (`HandSQL`), run by the `sqlite3` CLI on the same file, minus the time of a
///    `sqlite3` process that runs `SELECT 1`.
/// 3. **dashboard data**: what the dashboard page asks of the engine (the year's report, the
///    trend of each result, each result by district), median of `runs`.
///
/// Figures only: nothing is asserted. Run a release build.
public enum Benchmark {
    public struct Options: Sendable {
        public var sizes: [Int]
        public var runs: Int
        public var keep: Bool
        public var seed: UInt64
        public init(sizes: [Int] = [100_000, 1_000_000], runs: Int = 5, keep: Bool = false, seed: UInt64 = DemoData.defaultSeed) {
            self.sizes = sizes
            self.runs = runs
            self.keep = keep
            self.seed = seed
        }
    }

    /// One line of the figures table.
    public struct Row: Sendable {
        public var records: Int
        public var metric: String
        public var otwarty: Double
        public var floor: Double?
        /// How Otwarty compares with the floor, in the metric's direction (share for rates, multiple for times).
        public var ratio: String
        public var target: String
        public var met: Bool?
    }

    public struct Outcome: Sendable {
        public var rows: [Row] = []
        public var notes: [String] = []
    }

    /// The year the one-year figures and the dashboard are computed for: the middle year of the
    /// demo history, a full year of records.
    static let year = 2025

    public static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        var outcome = Outcome()
        let cli = SQLiteCLI.find()
        if cli == nil {
            outcome.notes.append("sqlite3 is not installed (apt-get install -y sqlite3): the floors are skipped.")
        }
        for size in options.sizes {
            try await measure(size: size, options: options, cli: cli, into: &outcome, log: log)
        }
        return outcome
    }

    static func measure(size: Int, options: Options, cli: SQLiteCLI?, into outcome: inout Outcome,
                        log: @escaping @Sendable (String) -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bench-\(size)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            if options.keep { log("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) }
        }
        let databasePath = folder.appendingPathComponent("otwarty.sqlite").path
        var logger = Logger(label: "otwarty-bench")
        logger.logLevel = .warning
        let services = try await AppServices.open(AppConfiguration(database: .sqlite(path: databasePath), bcryptCost: 10,
                                                                   logLevel: .warning), logger: logger)
        do {
            try await measure(size: size, options: options, cli: cli, folder: folder, databasePath: databasePath,
                              services: services, into: &outcome, log: log)
            try await services.shutdown()
        } catch {
            try? await services.shutdown()
            throw error
        }
    }

    static func measure(size: Int, options: Options, cli: SQLiteCLI?, folder: URL, databasePath: String, services: AppServices,
                        into outcome: inout Outcome, log: @escaping @Sendable (String) -> Void) async throws {
        let n = size.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        try await services.loadDefaultProgrammeIfEmpty()
        let programme = try await services.programme(slug: nil)
        let demo = DemoData(programme: programme, records: size, seed: options.seed)
        let prepared = try await services.demoLoader.prepare(demo)

        // The file: demo records as an import file (one status for all: the import sets it).
        log("[\(n)] writing the CSV…")
        let csv = folder.appendingPathComponent("activities.csv")
        let bytes = try writeCSV(demo, organisationIDs: prepared.organisationIDs, slug: programme.slug, to: csv)
        log("[\(n)] \(String(format: "%.0f", Double(bytes) / 1_048_576)) MB; checking it (parse and validate only)…")
        let importOptions = ActivityImporter.Options(status: .approved)
        // Parsing and checking alone, for the notes: the whole text in memory, every row kept.
        let validateMS: Double
        do {
            let text = try String(contentsOf: csv, encoding: .utf8)
            validateMS = try await time { _ = try await services.importer.validate(text, programme: programme, options: importOptions) }
        }

        log("[\(n)] importing…")
        let bar = ProgressBar(label: "import")
        var stored = 0
        // What `otwarty import activities FILE` does: the file read a chunk at a time, each batch
        // of checked rows stored while the next is read (ActivityImporter.run(file:)).
        let importMS = try await time {
            stored = try await services.importer.run(file: csv, programme: programme, options: importOptions, by: nil) { done, total in
                bar.update(done, of: total)
            }.records
        }
        bar.finish()
        precondition(stored == size, "imported \(stored) of \(size)")
        let importRate = Double(size) / (importMS / 1000)
        outcome.notes.append("[\(n)] import: \(ms(importMS)) ms in all, reading the file as it goes; parsing and checking alone "
            + "(the whole text in memory) take \(ms(validateMS)) ms (\(rate(Double(size) / (validateMS / 1000))) rows/s) and overlap "
            + "with storing, which runs on a thread of its own; \(String(format: "%.0f", Double(bytes) / 1_048_576)) MB of CSV.")

        var floorRate: Double?
        var baselineMS: Double?
        if let cli {
            let floorPath = folder.appendingPathComponent("floor.sqlite").path
            let columns = ActivityCSV.columns.map { "\"\($0)\" TEXT" }.joined(separator: ", ")
            _ = try cli.run(database: floorPath, script: "CREATE TABLE activities_csv (\(columns));")
            baselineMS = try median(options.runs) { try cli.run(database: databasePath, script: "SELECT 1;").milliseconds }
            let load = try cli.run(database: floorPath, script: ".import --csv --skip 1 '\(csv.path)' activities_csv\n")
            let loaded = try cli.run(database: floorPath, script: "SELECT COUNT(*) FROM activities_csv;").output
            precondition(Int(loaded.trimmingCharacters(in: .whitespacesAndNewlines)) == size, "sqlite3 loaded \(loaded) rows")
            floorRate = Double(size) / (max(load.milliseconds - baselineMS!, 1) / 1000)
            outcome.notes.append("[\(n)] sqlite3 .import: \(ms(load.milliseconds)) ms for the process, "
                + "\(ms(load.milliseconds - baselineMS!)) ms less the \(ms(baselineMS!)) ms of a `SELECT 1` process.")
        }
        outcome.rows.append(Row(records: size, metric: "import (records/s)", otwarty: importRate, floor: floorRate,
                                ratio: floorRate.map { String(format: "%.1f %%", 100 * importRate / $0) } ?? "—",
                                target: "≥ 50 % of sqlite3 .import", met: floorRate.map { importRate >= 0.5 * $0 }))

        // Indicators.
        log("[\(n)] indicators…")
        // Uncached, so the figures compare the engine's SQL with the hand-written SQL; the cache
        // (CachingActivityAggregator) is measured separately through the dashboard page below.
        let engine = IndicatorEngine(aggregator: SQLActivityAggregator(database: try services.database),
                                     references: services.repositories.references,
                                     sources: services.repositories.measureSources)
        let years = programme.period.years
        let checkReport = try await engine.report(for: programme, year: year) // warms the page cache too
        let oneYearMS = try await median(options.runs) { _ = try await engine.report(for: programme, year: year) }
        var allReports: [IndicatorReport] = []
        let allYearsMS = try await median(options.runs) {
            allReports = []
            for y in years { allReports.append(try await engine.report(for: programme, year: y)) }
        }
        // The same numbers without achievement and index: a trend of every measure and result.
        let seriesMS = try await median(options.runs) {
            for measure in programme.tasks.flatMap(\.measures) where measure.rule != nil {
                _ = try await engine.series(of: .measure(measure), in: programme)
            }
            for result in programme.results { _ = try await engine.series(of: .result(result), in: programme) }
        }
        _ = checkReport

        var floors: [String: (one: Double, all: Double)] = [:]
        if let cli, let baselineMS {
            for (form, sql) in [("one pass", HandSQL.onePass), ("per rule", HandSQL.perRule)] {
                let one = try median(options.runs) { try cli.run(database: databasePath, script: sql(programme, year...year)).milliseconds }
                let all = try median(options.runs) { try cli.run(database: databasePath, script: sql(programme, years)).milliseconds }
                floors[form] = (one - baselineMS, all - baselineMS)
            }
            let check = try cli.run(database: databasePath, script: HandSQL.onePass(programme, years: years))
            let agreement = agree(HandSQL.parseOnePass(check.output, rules: programme.distinctRules.count), allReports, programme)
            outcome.notes.append("[\(n)] hand SQL, ms less the `SELECT 1` process: "
                + floors.sorted { $0.key < $1.key }.map { "\($0.key) \(ms($0.value.one)) (one year), \(ms($0.value.all)) (all years)" }
                    .joined(separator: "; ")
                + ". " + agreement)
        }
        let floorOne = floors.values.map(\.one).min(), floorAll = floors.values.map(\.all).min()
        outcome.rows.append(Row(records: size, metric: "indicators, one year (ms)", otwarty: oneYearMS, floor: floorOne,
                                ratio: floorOne.map { String(format: "%.1f×", oneYearMS / max($0, 0.1)) } ?? "—",
                                target: "≤ 2× hand SQL", met: floorOne.map { oneYearMS <= 2 * max($0, 0.1) }))
        for (metric, value) in [("indicators, \(years.count) years as \(years.count) reports (ms)", allYearsMS),
                                ("indicators, \(years.count) years as series (ms)", seriesMS)] {
            outcome.rows.append(Row(records: size, metric: metric, otwarty: value, floor: floorAll,
                                    ratio: floorAll.map { String(format: "%.1f×", value / max($0, 0.1)) } ?? "—",
                                    target: "≤ 2× hand SQL", met: floorAll.map { value <= 2 * max($0, 0.1) }))
        }

        // The dashboard: the engine's work in process, then the page through the router and HTTP server.
        log("[\(n)] dashboard…")
        let dashboardMS = try await median(options.runs) { try await dashboardData(engine, programme: programme, year: year) }
        outcome.rows.append(Row(records: size, metric: "dashboard data, engine, uncached (ms)", otwarty: dashboardMS, floor: nil,
                                ratio: "—", target: "—", met: nil))
        if let coldMS = try await DashboardRequest.time(services: services, year: year, runs: options.runs, afterAChange: true),
           let pageMS = try await DashboardRequest.time(services: services, year: year, runs: options.runs) {
            outcome.rows.append(Row(records: size, metric: "GET /pl/dashboard, first view after a change (ms)", otwarty: coldMS,
                                    floor: nil, ratio: "—", target: "—", met: nil))
            outcome.rows.append(Row(records: size, metric: "GET /pl/dashboard (ms)", otwarty: pageMS, floor: nil, ratio: "—",
                                    target: "≤ 100 ms at 1M", met: size >= 1_000_000 ? pageMS <= 100 : nil))
        } else {
            outcome.notes.append("[\(n)] the app has no /pl/dashboard route: the page was not timed.")
        }
    }

    /// What the dashboard page (DashboardBuilder) asks of the engine for a year: the report, each
    /// result's trend, and the events result (the first without a denominator) by district and by quarter.
    static func dashboardData(_ engine: IndicatorEngine, programme: Programme, year: Int) async throws {
        _ = try await engine.report(for: programme, year: year)
        for result in programme.results {
            _ = try await engine.series(of: .result(result), in: programme)
        }
        if let subject = programme.results.first(where: { $0.rule?.denominator == nil }) ?? programme.results.first {
            _ = try await engine.breakdown(of: .result(subject), in: programme, year: year, by: .district)
            _ = try await engine.breakdown(of: .result(subject), in: programme, year: year, by: .quarter)
        }
    }

    /// Writes the demo records as an import file in chunks; returns its size in bytes.
    static func writeCSV(_ demo: DemoData, organisationIDs: [OrganisationID], slug: String, to url: URL) throws -> Int {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let names = Dictionary(uniqueKeysWithValues: zip(organisationIDs, demo.organisations.map(\.name)))
        var bytes = 0
        for start in stride(from: 0, to: demo.count, by: 50_000) {
            let records = demo.records(start..<min(start + 50_000, demo.count), organisationIDs: organisationIDs).map {
                ActivityRecord(id: 0, programmeSlug: slug, input: $0.input, status: .approved, createdBy: nil,
                               createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
            }
            var text = ActivityCSV.export(records: records, organisationName: { names[$0] ?? "" }, includeStatus: false)
            if start > 0, let headerEnd = text.range(of: "\r\n") { text.removeSubrange(text.startIndex..<headerEnd.upperBound) }
            let data = Data(text.utf8)
            try handle.write(contentsOf: data)
            bytes += data.count
        }
        return bytes
    }

    /// Whether the hand SQL gives the engine's numbers.
    static func agree(_ hand: [Int: (rules: [Double], results: [Double?])], _ reports: [IndicatorReport],
                      _ programme: Programme) -> String {
        let rules = programme.distinctRules
        var compared = 0, differing: [String] = []
        func same(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case let (x?, y?): return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
            case (nil, nil): return true
            default: return (a ?? 0) == 0 && (b ?? 0) == 0
            }
        }
        for report in reports {
            let row = hand[report.year]
            for measure in report.measures {
                guard let rule = programme.measure(code: measure.code)?.rule, let column = rules.firstIndex(of: rule) else { continue }
                compared += 1
                if !same(measure.value, row?.rules[column] ?? 0) { differing.append("\(measure.code) \(report.year)") }
            }
            for (i, result) in report.results.enumerated() {
                compared += 1
                let handValue = row.flatMap { i < $0.results.count ? $0.results[i] : nil }
                if !same(result.actual, handValue) { differing.append("result \(result.goal) \(report.year)") }
            }
        }
        return differing.isEmpty ? "It gives the engine's \(compared) numbers exactly."
            : "It differs from the engine in \(differing.count) of \(compared) numbers: \(differing.prefix(8).joined(separator: ", "))."
    }

    // MARK: Timing

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        try await body()
        return (clock.now - started).milliseconds
    }

    static func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, runs) { times.append(try await time(body)) }
        return times.sorted()[times.count / 2]
    }

    static func median(_ runs: Int, _ body: () throws -> Double) throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, runs) { times.append(try body()) }
        return times.sorted()[times.count / 2]
    }

    static func ms(_ value: Double) -> String { value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value) }
    static func rate(_ value: Double) -> String { Int(value.rounded()).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }

    // MARK: The table

    /// The figures as a Markdown table (it reads as well in a terminal).
    public static func table(_ outcome: Outcome) -> String {
        var lines = ["| records | metric | Otwarty | floor | ratio | target | met |", "|---:|---|---:|---:|---:|---|---|"]
        for row in outcome.rows {
            let isRate = row.metric.hasPrefix("import")
            func value(_ x: Double) -> String { isRate ? rate(x) : ms(x) }
            let floor = row.floor.map(value) ?? "—"
            let met = row.met.map { $0 ? "yes" : "**no**" } ?? "—"
            lines.append("| \(rate(Double(row.records))) | \(row.metric) | \(value(row.otwarty)) | \(floor) | \(row.ratio) | \(row.target) | \(met) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The machine, for the record.
    public static func machine() -> String {
        let cli = SQLiteCLI.find()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "?"
        let memory = ProcessInfo.processInfo.physicalMemory / 1_073_741_824
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), \(memory) GB RAM, "
            + "\(ProcessInfo.processInfo.operatingSystemVersionString); sqlite3 CLI \(cli?.version() ?? "not installed")"
    }
}
