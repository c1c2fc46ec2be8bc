import Foundation

/// `otwarty import activities` and the upload page: read the file, check every row (the CSV
/// format and the same rules as the form), and store all rows in one transaction or none.
public struct ActivityImporter: Sendable {
    public let activities: any ActivityRepository
    public let organisations: any OrganisationRepository
    public let audit: any AuditLog
    public let clock: OfficeClock
    /// Names accepted beside the codes in `kind` and `audience` (the interface's labels in every
    /// language; the pages and the command line pass them, built from the catalogues).
    public let labels: ActivityCSVLabels

    public init(activities: any ActivityRepository, organisations: any OrganisationRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock(), labels: ActivityCSVLabels = .codesOnly) {
        self.activities = activities
        self.organisations = organisations
        self.audit = audit
        self.clock = clock
        self.labels = labels
    }

    public struct Options: Sendable {
        public var status: ActivityStatus
        public var createOrganisations: Bool
        public var newOrganisationKind: OrganisationKind
        public init(status: ActivityStatus = .draft, createOrganisations: Bool = false,
                    newOrganisationKind: OrganisationKind = .otherPartner) {
            self.status = status
            self.createOrganisations = createOrganisations
            self.newOrganisationKind = newOrganisationKind
        }
    }

    /// Checks every row first; throws `ActivityCSVErrors` listing all problems, storing nothing.
    public func validate(_ text: String, programme: Programme, options: Options) async throws -> [PendingActivity] {
        try await validated(text, programme: programme, options: options).records
    }

    /// The records, and the names of the organisations they name by id.
    func validated(_ text: String, programme: Programme, options: Options) async throws
        -> (records: [PendingActivity], names: [OrganisationID: String]) {
        let known = Dictionary(try await organisations.all().map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let rows = try ActivityCSV.parse(text: text, programme: programme, organisationID: { known[$0] },
                                         allowUnknownOrganisations: options.createOrganisations, labels: labels).get()
        // The same rules as the form, checked as a streamed import checks them (`RuleCheck`); the
        // CSV parser has already checked each cell's format.
        let rules = RuleCheck(programme: programme)
        let pending = rules.check(rows)
        if !rules.errors.isEmpty { throw rules.errors }
        return (pending, Dictionary(known.map { ($1, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// How many rows go to storage at a time.
    static let batchSize = 2048

    /// Imports a text already in memory (an upload being confirmed, tests); as `run(file:…)`.
    public func run(_ text: String, programme: Programme, options: Options, by user: UserID?,
                    progress: @escaping @Sendable (_ stored: Int, _ total: Int) -> Void = { _, _ in }) async throws -> ImportOutcome {
        try await run(programme: programme, options: options, by: user, progress: progress) { .text(text, parser: $0) }
    }

    /// `otwarty import activities`: reads the file a chunk at a time, checks each row and stores
    /// them in one transaction while reading on, so neither the file nor its rows are ever held
    /// whole. All or nothing as before: at the first problem the transaction is rolled back, the
    /// rest of the file is read for its problems, and every problem is thrown (`ActivityCSVErrors`:
    /// the same list, in the same order, as checking the whole file first gave). `progress`
    /// hears the records stored and an estimate of the total from the bytes read (exact at the end).
    public func run(file url: URL, programme: Programme, options: Options, by user: UserID?,
                    progress: @escaping @Sendable (_ stored: Int, _ total: Int) -> Void = { _, _ in }) async throws -> ImportOutcome {
        try await run(programme: programme, options: options, by: user, progress: progress) { try .file(url, parser: $0) }
    }

    private func run(programme: Programme, options: Options, by user: UserID?,
                     progress: @escaping @Sendable (_ stored: Int, _ total: Int) -> Void,
                     stream makeStream: (ActivityCSVParser) throws -> ActivityCSVStream) async throws -> ImportOutcome {
        let known = Dictionary(try await organisations.all().map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let stream = try makeStream(ActivityCSVParser(programme: programme, organisationID: { known[$0] },
                                                      allowUnknownOrganisations: options.createOrganisations, labels: labels))
        let rules = RuleCheck(programme: programme)
        let outcome: ImportOutcome
        do {
            outcome = try await activities.importStreaming(
                programmeSlug: programme.slug, newOrganisationKind: options.newOrganisationKind, status: options.status,
                by: user, at: clock.now()) { sink in
                    var stored = 0
                    while true {
                        let rows = try stream.next(Self.batchSize)
                        guard stream.errors.isEmpty else { throw Rejected() }
                        if rows.isEmpty { break }
                        let batch = rules.check(rows)
                        guard rules.errors.isEmpty else { throw Rejected() }
                        try await sink.write(batch)
                        stored += batch.count
                        progress(stored, stream.estimatedRows(stored: stored))
                    }
                    progress(stored, stored)
                } beforeCommit: { outcome in
                    // In the import's transaction: the records and their entry commit together.
                    try await audit.record(AuditEntry(
                        at: clock.now(), actorUserID: user, action: "activity.imported", subject: "programme:\(programme.slug)",
                        detail: "\(outcome.records) records as \(options.status.rawValue); new organisations: \(outcome.organisationsCreated.joined(separator: ", "))"))
                }
        } catch is Rejected {
            // Nothing was stored. The rest of the file, for every problem: a file's problems are
            // listed all at once, the format's first (the rules are checked only when it has none).
            while true {
                let rows = try stream.next(Self.batchSize)
                if rows.isEmpty { break }
                _ = rules.check(rows)
            }
            throw stream.errors.isEmpty ? rules.errors : stream.errors
        }
        return outcome
    }

    /// Stops a streamed import at its first problem (rolling its transaction back).
    private struct Rejected: Error {}

    /// The form's rules on each row (`ActivityInput.problems`), as `validated` checks them; the
    /// problems are kept, the rows that pass come back ready to store. Used by the import's one task.
    private final class RuleCheck: @unchecked Sendable {
        let programme: Programme
        /// The codes `programme.task(code:)` finds, asked once each here instead of once per row
        /// (it splits the code and reads two numbers).
        let taskCodes: Set<String>
        private(set) var errors = ActivityCSVErrors()
        init(programme: Programme) {
            self.programme = programme
            taskCodes = Set(programme.tasks.map(\.code).filter { programme.task(code: $0) != nil })
        }

        func check(_ rows: consuming [ActivityImportRow]) -> [PendingActivity] {
            var rows = rows
            var batch: [PendingActivity] = []
            batch.reserveCapacity(rows.count)
            for index in rows.indices {
                let isTask = taskCodes.contains(rows[index].input.taskCode)
                for problem in rows[index].input.problems(in: programme, isTask: isTask) {
                    errors.append(ActivityCSVError(row: rows[index].row, line: rows[index].line,
                                                   column: ActivityImporter.column(for: problem.field),
                                                   problem: .rule(key: problem.messageKey, message: problem.message)))
                }
                guard errors.isEmpty else { continue }
                var newName: String?
                if case let .new(name) = rows[index].organisation { newName = name }
                // The input moved out of the row, not copied (a copy retains each of its texts,
                // sets and lists, and freeing the rows releases them again).
                var input = Self.placeholder
                swap(&input, &rows[index].input)
                input.normalise()
                batch.append(PendingActivity(input: input, newOrganisationName: newName))
            }
            return batch
        }

        /// What a row holds once its input has been taken.
        private static let placeholder = ActivityInput(taskCode: "", kind: .event, title: "",
                                                       startDate: CalendarDate(year: 2000, month: 1, day: 1)!, organisationID: 0)
    }

    static func column(for field: String) -> String {
        switch field {
        case "task": return "task"
        case "startDate", "endDate": return "date"
        case "amount": return "amount"
        case "participantsNew": return ActivityCSV.Column.participantsNew.rawValue
        case _ where field.hasPrefix("participantsByAudience"): return ActivityCSV.Column.participantsByAudience.rawValue
        default: return field
        }
    }
}
