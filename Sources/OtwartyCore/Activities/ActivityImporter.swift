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
        var errors = ActivityCSVErrors()
        var pending: [PendingActivity] = []
        pending.reserveCapacity(rows.count)
        for row in rows {
            let input = row.input
            var newName: String?
            if case let .new(name) = row.organisation { newName = name }
            // The same rules as the form; the CSV parser has already checked each cell's format.
            for problem in input.problems(in: programme) {
                errors.append(ActivityCSVError(row: row.row, line: row.line, column: Self.column(for: problem.field),
                                               problem: .rule(key: problem.messageKey, message: problem.message)))
            }
            pending.append(PendingActivity(input: input.normalised(), newOrganisationName: newName))
        }
        if !errors.isEmpty { throw errors }
        return (pending, Dictionary(known.map { ($1, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    public func run(_ text: String, programme: Programme, options: Options, by user: UserID?,
                    progress: @escaping @Sendable (_ stored: Int, _ total: Int) -> Void = { _, _ in }) async throws -> ImportOutcome {
        let pending = try await validate(text, programme: programme, options: options)
        let total = pending.count
        let outcome = try await activities.importAll(
            programmeSlug: programme.slug, records: pending, newOrganisationKind: options.newOrganisationKind,
            status: options.status, by: user, at: clock.now(), progress: { progress($0, total) })
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: user, action: "activity.imported",
                                          subject: "programme:\(programme.slug)",
                                          detail: "\(outcome.records) records as \(options.status.rawValue); new organisations: \(outcome.organisationsCreated.joined(separator: ", "))"))
        return outcome
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
