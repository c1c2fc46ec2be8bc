import Foundation
import Logging
import OtwartyCore
import OtwartyDemo
import OtwartyStorage
import OtwartyWeb

/// `otwarty bench --suite report`: the annual report for one year holding N approved records, in
/// a fresh SQLite database. For each format, the median of `runs` of the whole job a download
/// does: gather and build the report (`AnnualReportSource`), then write the file. Figures only.
enum ReportBenchmark {
    static let year = 2025

    static func run(_ options: Benchmark.Options, log: @escaping @Sendable (String) -> Void) async throws -> Benchmark.Outcome {
        var outcome = Benchmark.Outcome()
        for size in options.sizes {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bench-report-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { if options.keep { log("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
            var logger = Logger(label: "otwarty-bench")
            logger.logLevel = .warning
            let services = try await AppServices.open(
                AppConfiguration(database: .sqlite(path: folder.appendingPathComponent("otwarty.sqlite").path), bcryptCost: 10,
                                 logLevel: .warning), logger: logger)
            do {
                try await measure(size: size, options: options, services: services, into: &outcome, log: log)
                try await services.shutdown()
            } catch {
                try? await services.shutdown()
                throw error
            }
        }
        return outcome
    }

    static func measure(size: Int, options: Benchmark.Options, services: AppServices, into outcome: inout Benchmark.Outcome,
                        log: @escaping @Sendable (String) -> Void) async throws {
        let n = Benchmark.rate(Double(size))
        try await services.loadDefaultProgrammeIfEmpty()
        let programme = try await services.programme(slug: nil)
        let demo = DemoData(programme: programme, records: size, seed: options.seed)
        let loader = services.demoLoader
        let prepared = try await loader.prepare(demo)
        log("[\(n)] storing \(n) approved records, all in \(year)…")
        for start in stride(from: 0, to: size, by: DemoDataLoader.chunk) {
            let pending = demo.records(start..<min(start + DemoDataLoader.chunk, size), organisationIDs: prepared.organisationIDs)
                .map { record -> PendingActivity in
                    // The demo spreads records over the period; the benchmark puts them all in one year.
                    var input = record.input
                    input.startDate = CalendarDate(year: year, month: input.startDate.month, day: min(input.startDate.day, 28)) ?? input.startDate
                    input.endDate = nil
                    return PendingActivity(input: input)
                }
            try await loader.store(pending, programmeSlug: programme.slug, status: .approved)
        }
        let source = AnnualReportSource(repositories: services.repositories)
        let generatedOn = CalendarDate(year: year + 1, month: 3, day: 31)!
        let writer = AnnualReportWriter(renderer: try await PageRenderer.bundled(localiser: try Localiser.bundled()))
        let organisations = Dictionary(try await services.repositories.organisations.all().map { ($0.id, $0.name) },
                                       uniquingKeysWith: { a, _ in a })
        var report = try await source.report(programme: programme, year: year, generatedOn: generatedOn)
        precondition(report.summary.approvedRecords == size, "the report holds \(report.summary.approvedRecords) of \(size) records")
        let buildMS = try await Benchmark.median(options.runs) {
            report = try await source.report(programme: programme, year: year, generatedOn: generatedOn)
        }
        let recordsMS = try await Benchmark.median(options.runs) {
            _ = try await services.repositories.activities.reportedActivities(programmeSlug: programme.slug, throughYear: year)
        }
        outcome.notes.append("[\(n)] of the build, reading the approved records (ReportedActivity, 9 columns): \(Benchmark.ms(recordsMS)) ms; "
            + "the rest is the indicator engine (the year's report and every measure's history) and grouping.")
        let inputs = AnnualReportWriter.Inputs(report: report, language: "pl", programmeLanguage: programme.language,
                                               organisations: organisations)
        var htmlBytes = 0, odtBytes = 0
        log("[\(n)] writing HTML…")
        let htmlMS = try await Benchmark.median(options.runs) { htmlBytes = try writer.html(inputs).count }
        log("[\(n)] writing ODT…")
        let odtMS = try await Benchmark.median(options.runs) { odtBytes = try writer.odt(inputs).count }
        for (format, writeMS, bytes, targetMS) in [("HTML", htmlMS, htmlBytes, 2000.0), ("ODT", odtMS, odtBytes, 5000.0)] {
            let total = buildMS + writeMS
            outcome.rows.append(Benchmark.Row(
                records: size, metric: "report \(format) (ms)", otwarty: total, floor: nil, ratio: "—",
                target: "≤ \(Int(targetMS / 1000)) s", met: total <= targetMS))
            outcome.notes.append("[\(n)] report \(format): build \(Benchmark.ms(buildMS)) ms + write \(Benchmark.ms(writeMS)) ms; "
                + "\(String(format: "%.1f", Double(bytes) / 1_048_576)) MB.")
        }
    }
}
