import ArgumentParser
import Foundation
import OtwartyCore
import OtwartyDemo

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the database with a synthetic, deterministic history so the dashboard has something to show.",
        discussion: """
            Adds about 40 invented organisations with their cooperation coordinators, reference statistics for \
            2023–2026 marked "dane syntetyczne", and activity records 2024–2026 across every task and district: \
            mostly approved, some awaiting review, a few returned; and the public side: service points, the welcome \
            pack and other documents in four languages, Ambassador editions and patronage requests. The same seed \
            always gives the same data. \
            Refuses a database that already has activity records unless --force.
            """)

    @Option(help: "How many activity records to generate.") var records: Int = DemoData.defaultRecordCount
    @Option(help: "Seed of the generator: the same seed gives the same data.") var seed: UInt64 = DemoData.defaultSeed
    @Flag(help: "Add the records even though the database already has activity records.") var force = false
    @Option(help: "Programme slug (default: the first loaded programme; Kraków's is loaded into an empty database).")
    var programme: String?

    func validate() throws {
        guard (1...ActivityCSV.maxRows * 10).contains(records) else { throw ValidationError("--records must be 1–10,000,000") }
    }

    func run() async throws {
        try await withServices { _, services, _ in
            let bar = ProgressBar(label: "storing")
            let summary = try await DemoLoading.run(.init(records: records, seed: seed, force: force, programmeSlug: programme),
                                                    services: services) { stored, total in bar.update(stored, of: total) }
            bar.finish()
            print(summary.description)
        }
    }
}

/// What `otwarty demo` does, callable from tests and from `otwarty bench`.
public enum DemoLoading {
    public struct Options: Sendable {
        public var records: Int
        public var seed: UInt64
        public var force: Bool
        public var programmeSlug: String?
        public init(records: Int = DemoData.defaultRecordCount, seed: UInt64 = DemoData.defaultSeed, force: Bool = false,
                    programmeSlug: String? = nil) {
            self.records = records
            self.seed = seed
            self.force = force
            self.programmeSlug = programmeSlug
        }
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public var programmeSlug: String
        public var seed: UInt64
        public var records: Int
        public var byStatus: [ActivityStatus: Int]
        public var byYear: [Int: Int]
        public var organisations: Int
        public var organisationsCreated: Int
        public var coordinatorsAdded: Int
        public var referencesSet: Int
        public var seconds: Double

        public var description: String {
            func n(_ value: Int) -> String { value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
            let statuses = ActivityStatus.allCases.sorted { (byStatus[$0] ?? 0) > (byStatus[$1] ?? 0) }
                .map { "\($0.rawValue) \(n(byStatus[$0] ?? 0))" }.joined(separator: " · ")
            let years = byYear.keys.sorted().map { "\($0): \(n(byYear[$0]!))" }.joined(separator: " · ")
            let span = byYear.keys.min().map { "\($0)–\(byYear.keys.max()!)" } ?? "—"
            return """
                Synthetic history for \(programmeSlug) (seed \(seed)): \(n(records)) activity records \(span) in \
                \(String(format: "%.1f", seconds)) s (\(n(Int(Double(records) / max(seconds, 0.001)))) records/s).
                  by status: \(statuses)
                  by year:   \(years)
                  organisations: \(organisations) (\(organisationsCreated) new), coordinators added: \(coordinatorsAdded), \
                reference statistics added: \(referencesSet)
                Every name, e-mail (@example.org), phone (555) and figure is invented. Sign in to see the dashboard.
                """
        }
    }

    /// The database already holds activity records and `--force` was not given.
    public struct NotEmpty: Error, CustomStringConvertible {
        public var records: Int
        public var description: String {
            "the database already has \(records) activity records; `otwarty demo` fills an empty one (add --force to add the synthetic records anyway)"
        }
    }

    public static func run(_ options: Options, services: AppServices,
                           progress: @escaping @Sendable (_ stored: Int, _ total: Int) -> Void = { _, _ in }) async throws -> Summary {
        let started = Date()
        try await services.loadDefaultProgrammeIfEmpty()
        let existing = try await existingRecords(services)
        if existing > 0, !options.force { throw NotEmpty(records: existing) }
        let programme = try await services.programme(slug: options.programmeSlug)
        let demo = DemoData(programme: programme, records: options.records, seed: options.seed)
        let loaded = try await services.demoLoader.load(demo, progress: progress)
        // The public pages too (service points, documents, the Ambassador, patronage): a newcomer
        // to the demo never meets "nothing published yet". Each part only where there is none.
        try await services.demoLoader.loadPublicSide(DemoPublicSideData.krakow(), programmeSlug: programme.slug)
        // The registers measures 3.4.a and 5.5.a count (dialogue bodies, assistants), where empty.
        try await DemoRegisters.load(into: services.repositories)
        // Some of Table 1's products delivered, with evidence (issue 13 C), where none are recorded.
        try await DemoProducts.load(into: services.repositories, programme: programme, today: services.clock.today)
        let prepared = loaded.prepared
        return Summary(programmeSlug: programme.slug, seed: options.seed, records: demo.count, byStatus: loaded.byStatus,
                       byYear: loaded.byYear, organisations: demo.organisations.count,
                       organisationsCreated: prepared.organisationsCreated, coordinatorsAdded: prepared.coordinatorsAdded,
                       referencesSet: prepared.referencesSet, seconds: Date().timeIntervalSince(started))
    }

    static func existingRecords(_ services: AppServices) async throws -> Int {
        var total = 0
        for summary in try await services.repositories.programmes.summaries() {
            total += try await services.repositories.activities.count(ActivityFilter(programmeSlug: summary.slug))
        }
        return total
    }
}
