import Foundation
import OtwartyCore

// Programmes, organisations, coordinators, reference statistics, the audit trail and activity
// records in memory, answering as their SQL twins in OtwartyStorage do.

public struct InMemoryProgrammeRepository: ProgrammeRepository {
    struct Stored: Sendable {
        var programme: Programme
        /// The canonical JSON the SQL repository compares to tell an unchanged file.
        var document: Data
        var updatedAt: Date
    }

    let clock: OfficeClock
    /// In the order of saving: the first is the instance's default.
    let programmes = Locked<[Stored]>([])
    /// Moved by every change, as the SQL repository does (public pages and the API are cached by it).
    let dataVersion: InMemoryDataVersion?

    public init(clock: OfficeClock, dataVersion: InMemoryDataVersion? = nil) {
        self.clock = clock
        self.dataVersion = dataVersion
    }

    public func save(_ programme: Programme) async throws -> ProgrammeSaveOutcome {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = try encoder.encode(programme)
        let at = clock.now()
        let outcome = programmes.withLock { rows -> ProgrammeSaveOutcome in
            if let index = rows.firstIndex(where: { $0.programme.slug == programme.slug }) {
                if rows[index].document == document { return .unchanged }
                rows[index] = Stored(programme: programme, document: document, updatedAt: at)
                return .updated
            }
            rows.append(Stored(programme: programme, document: document, updatedAt: at))
            return .created
        }
        if outcome != .unchanged { dataVersion?.bump() }
        return outcome
    }

    public func programme(slug: String) async throws -> Programme? {
        programmes.current.first { $0.programme.slug == slug }?.programme
    }

    public func summaries() async throws -> [ProgrammeSummary] {
        programmes.current.map { stored in
            ProgrammeSummary(slug: stored.programme.slug, title: stored.programme.title, resolution: stored.programme.resolution,
                             period: stored.programme.period, updatedAt: stored.updatedAt)
        }
    }
}

public struct InMemoryOrganisationRepository: OrganisationRepository {
    let organisations = Locked<(numbers: RowNumbers, rows: [Organisation])>((RowNumbers(), []))

    public init() {}

    public func create(name: String, kind: OrganisationKind) async throws -> Organisation {
        try organisations.withLock { state in
            if state.rows.contains(where: { $0.name == name }) {
                throw DomainError.conflict("An organisation named \(name) already exists.")
            }
            let organisation = Organisation(id: state.numbers.next(), name: name, kind: kind)
            state.rows.append(organisation)
            return organisation
        }
    }

    /// For the activity import: the named organisation, created when missing; whether it was.
    func findOrCreate(name: String, kind: OrganisationKind) -> (Organisation, created: Bool) {
        organisations.withLock { state in
            if let existing = state.rows.first(where: { $0.name == name }) { return (existing, false) }
            let organisation = Organisation(id: state.numbers.next(), name: name, kind: kind)
            state.rows.append(organisation)
            return (organisation, true)
        }
    }

    public func organisation(id: OrganisationID) async throws -> Organisation? {
        organisations.current.rows.first { $0.id == id }
    }

    public func organisation(named name: String) async throws -> Organisation? {
        organisations.current.rows.first { $0.name == name }
    }

    public func all() async throws -> [Organisation] { organisations.current.rows.sorted { $0.name < $1.name } }
}

public struct InMemoryCoordinatorRepository: CoordinatorRepository {
    let coordinators = Locked<(numbers: RowNumbers, rows: [CooperationCoordinator])>((RowNumbers(), []))

    public init() {}

    public func add(_ coordinator: CooperationCoordinator) async throws -> CooperationCoordinator {
        coordinators.withLock { state in
            var stored = coordinator
            stored.id = state.numbers.next()
            state.rows.append(stored)
            return stored
        }
    }

    public func coordinators(organisationID: OrganisationID?) async throws -> [CooperationCoordinator] {
        coordinators.current.rows.filter { organisationID == nil || $0.organisationID == organisationID }
            .sorted { $0.name < $1.name }
    }
}

/// Each `set` is a new revision; the newest (latest `recordedAt`, then the later set) is current.
public struct InMemoryReferenceRepository: ReferenceRepository {
    let values = Locked<[ReferenceValue]>([])
    let dataVersion: InMemoryDataVersion

    public init(dataVersion: InMemoryDataVersion) { self.dataVersion = dataVersion }

    public func set(_ value: ReferenceValue, by: UserID?) async throws {
        values.withLock { $0.append(value) }
        dataVersion.bump()
    }

    public func current(key: String, year: Int) async throws -> ReferenceValue? {
        try await revisions(key: key, year: year).first
    }

    public func revisions(key: String, year: Int) async throws -> [ReferenceValue] {
        Self.newestFirst(values.current.filter { $0.key == key && $0.year == year })
    }

    public func allCurrent() async throws -> [ReferenceValue] {
        var seen: Set<String> = []
        return Self.newestFirst(values.current)
            .filter { seen.insert("\($0.key)\u{1}\($0.year)").inserted }
            .sorted { ($0.key, $0.year) < ($1.key, $1.year) }
    }

    /// Latest `recordedAt` first; of two recorded at once, the one set later.
    static func newestFirst(_ values: [ReferenceValue]) -> [ReferenceValue] {
        values.enumerated().sorted { a, b in
            a.element.recordedAt != b.element.recordedAt ? a.element.recordedAt > b.element.recordedAt : a.offset > b.offset
        }.map(\.element)
    }
}

/// The audit trail as a list with its hash chain computed as `SQLAuditLog` does, so `verify`
/// reports the same count and head hash; held entries wait apart until released.
public struct InMemoryAuditLog: AuditLog {
    struct Chained: Sendable {
        var entry: AuditEntry
        var hash: String
    }

    struct State: Sendable {
        var chain: [Chained] = []
        var held: [AuditEntry] = []
    }

    let state = Locked(State())

    public init() {}

    public func record(_ entry: AuditEntry) async throws { state.withLock { Self.append([entry], to: &$0) } }

    public func hold(_ entry: AuditEntry) async throws { state.withLock { $0.held.append(entry) } }

    @discardableResult
    public func releaseHeld(before cutOff: Date) async throws -> Int {
        state.withLock { state in
            let due = state.held.filter { $0.at < cutOff }
                .sorted { ($0.at, $0.subject, $0.action, $0.detail) < ($1.at, $1.subject, $1.action, $1.detail) }
            state.held.removeAll { $0.at < cutOff }
            Self.append(due, to: &state)
            return due.count
        }
    }

    public func entries(subject: String?, limit: Int) async throws -> [AuditEntry] {
        Array(state.current.chain.reversed().map(\.entry).filter { subject == nil || $0.subject == subject }.prefix(limit))
    }

    public func verify(tail: Int?) async throws -> AuditChainReport {
        let state = state.current
        let checked = tail.map { min($0, state.chain.count) } ?? state.chain.count
        return AuditChainReport(count: Int64(checked), headHash: state.chain.last?.hash ?? AuditChain.genesis, problem: nil,
                                held: state.held.count)
    }

    static func append(_ entries: [AuditEntry], to state: inout State) {
        for entry in entries {
            let previous = state.chain.last?.hash ?? AuditChain.genesis
            let hash = AuditChain.hash(sequence: Int64(state.chain.count + 1), at: entry.at.timeIntervalSince1970,
                                       actorUserID: entry.actorUserID, action: entry.action, subject: entry.subject,
                                       detail: entry.detail, previousHash: previous)
            state.chain.append(Chained(entry: entry, hash: hash))
        }
    }
}

/// Activity records in memory; the aggregator (`records` → `InMemoryActivityAggregator`) and the
/// data version see every write at once.
public struct InMemoryActivityRepository: ActivityRepository {
    let records = Locked<(numbers: RowNumbers, rows: [ActivityID: ActivityRecord])>((RowNumbers(), [:]))
    /// Uploaded files between preview and confirmation (InMemoryPendingImports.swift).
    let pendingImports = Locked<(numbers: RowNumbers, rows: [PendingImportID: PendingImport])>((RowNumbers(), [:]))
    let organisations: InMemoryOrganisationRepository
    let dataVersion: InMemoryDataVersion

    public init(organisations: InMemoryOrganisationRepository, dataVersion: InMemoryDataVersion) {
        self.organisations = organisations
        self.dataVersion = dataVersion
    }

    /// An organisation id that names no organisation is the input's fault, as the foreign key
    /// makes it in SQL (`ConstraintViolation.unknownOrganisation`).
    func checkOrganisation(_ id: OrganisationID) async throws {
        guard try await organisations.organisation(id: id) != nil else {
            throw DomainError.invalid([FieldError(field: "organisation", messageKey: "error.organisation.required",
                                                  message: "no organisation has this id")])
        }
    }

    public func create(programmeSlug: String, input: ActivityInput, status: ActivityStatus, by: UserID?,
                       at: Date) async throws -> ActivityRecord {
        try await checkOrganisation(input.organisationID)
        let record = records.withLock { state in
            let record = ActivityRecord(id: state.numbers.next(), programmeSlug: programmeSlug, input: input, status: status,
                                        reviewComment: nil, createdBy: by, createdAt: at, updatedAt: at,
                                        submittedAt: status == .submitted ? at : nil)
            state.rows[record.id] = record
            return record
        }
        dataVersion.bump()
        return record
    }

    public func importAll(programmeSlug: String, records pending: [PendingActivity], newOrganisationKind: OrganisationKind,
                          status: ActivityStatus, by: UserID?, at: Date,
                          progress: @escaping @Sendable (Int) -> Void) async throws -> ImportOutcome {
        guard !pending.isEmpty else { return ImportOutcome(records: 0, organisationsCreated: []) }
        var created: [String] = []
        var ids: [String: OrganisationID] = [:]
        for name in Set(pending.compactMap(\.newOrganisationName)).sorted() {
            let (organisation, isNew) = organisations.findOrCreate(name: name, kind: newOrganisationKind)
            ids[name] = organisation.id
            if isNew { created.append(name) }
        }
        let inputs = pending.map { pending -> ActivityInput in
            var input = pending.input
            if let name = pending.newOrganisationName, let id = ids[name] { input.organisationID = id }
            return input
        }
        for input in Set(inputs.map(\.organisationID)) { try await checkOrganisation(input) }
        records.withLock { state in
            for input in inputs {
                let record = ActivityRecord(id: state.numbers.next(), programmeSlug: programmeSlug, input: input, status: status,
                                            reviewComment: nil, createdBy: by, createdAt: at, updatedAt: at,
                                            submittedAt: status == .submitted ? at : nil)
                state.rows[record.id] = record
            }
        }
        progress(inputs.count)
        dataVersion.bump()
        return ImportOutcome(records: inputs.count, organisationsCreated: created)
    }

    public func record(id: ActivityID) async throws -> ActivityRecord? { records.current.rows[id] }

    public func update(id: ActivityID, input: ActivityInput, status: ActivityStatus, reviewComment: String?, at: Date) async throws {
        try await checkOrganisation(input.organisationID)
        records.withLock { state in
            guard var record = state.rows[id] else { return }
            record.input = input
            // As in SQL: entering `submitted` starts the wait (SQLActivityRepository.update).
            if status == .submitted, record.status != .submitted { record.submittedAt = at }
            record.status = status
            record.reviewComment = reviewComment
            record.updatedAt = at
            state.rows[id] = record
        }
        dataVersion.bump()
    }

    public func list(_ filter: ActivityFilter, limit: Int, offset: Int) async throws -> [ActivityRecord] {
        let sorted = matching(filter).sorted { a, b in
            switch filter.order {
            case .newestFirst:
                return a.startDate != b.startDate ? a.startDate > b.startDate : a.id > b.id
            case .longestWaiting:
                let (x, y) = (a.submittedAt ?? a.updatedAt, b.submittedAt ?? b.updatedAt)
                return x != y ? x < y : a.id < b.id
            }
        }
        return Array(sorted.dropFirst(offset).prefix(limit))
    }

    public func count(_ filter: ActivityFilter) async throws -> Int { matching(filter).count }

    public func reportedActivities(programmeSlug: String, throughYear: Int) async throws -> [ReportedActivity] {
        records.current.rows.values
            .filter { $0.programmeSlug == programmeSlug && $0.status == .approved && $0.year <= throughYear }
            .map(ReportedActivity.init)
    }

    /// Every record, for the aggregator.
    var all: [ActivityRecord] { Array(records.current.rows.values) }

    func matching(_ filter: ActivityFilter) -> [ActivityRecord] {
        records.current.rows.values.filter { record in
            record.programmeSlug == filter.programmeSlug
                && filter.statuses.contains(record.status)
                && (filter.organisationID.map { $0 == record.organisationID } ?? true)
                && (filter.taskCode.map { $0 == record.taskCode } ?? true)
                && (filter.year.map { $0 == record.year } ?? true)
                && (filter.quarter.map { $0 == record.quarter } ?? true)
                && (filter.district.map { $0?.number == record.district?.number } ?? true)
                && (filter.rule.map { $0.matches(record) } ?? true)
                && (filter.kind.map { $0 == record.kind } ?? true)
                && (filter.kinds.map { $0.contains(record.kind) } ?? true)
                && (filter.language.map { l in l.isEmpty || record.languages.contains { $0.lowercased() == l.lowercased() } } ?? true)
                && (filter.startsFrom.map { record.startDate >= $0 } ?? true)
                && (filter.startsThrough.map { record.startDate <= $0 } ?? true)
                && filter.searchWords.allSatisfy { ActivityRecord.searchText(record.input).contains($0) }
        }
    }
}

/// Answers aggregate queries over the in-memory records as they are at the moment of asking.
public struct InMemoryLiveAggregator: ActivityAggregator {
    let activities: InMemoryActivityRepository

    public func values(_ query: AggregateQuery) async throws -> [AggregateGroup: Double] {
        try await InMemoryActivityAggregator(records: activities.all).values(query)
    }

    public func coverage(_ query: AggregateQuery) async throws -> AggregateCoverage {
        try await InMemoryActivityAggregator(records: activities.all).coverage(query)
    }
}
