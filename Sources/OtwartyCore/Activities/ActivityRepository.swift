import Foundation

/// Which records a list shows.
public struct ActivityFilter: Hashable, Sendable {
    public var programmeSlug: String
    public var statuses: Set<ActivityStatus>
    public var organisationID: OrganisationID?
    public var taskCode: String?
    public var year: Int?
    public var quarter: Int?
    /// `.some(nil)` selects city-wide records.
    public var district: District??
    /// Records whose kind and audience match this rule (drill-down from a measure).
    public var rule: MeasureRule?
    public var kind: ActivityKind?
    /// Words the record's title or institution contain, each of them, in any case and with or
    /// without Polish diacritics (`searchWords`); `%` and `_` are plain characters. nil or blank: any record.
    public var search: String?
    public var order: ActivityOrder
    /// Records of one of these kinds (nil: any kind). The public events list asks for the kinds
    /// the public can attend, so the database counts and pages them instead of the page reading them all.
    public var kinds: Set<ActivityKind>? = nil
    /// Records one of whose languages is this code, in any case (nil or blank: any).
    public var language: String? = nil
    /// Records starting on or after, and on or before, these days.
    public var startsFrom: CalendarDate? = nil
    public var startsThrough: CalendarDate? = nil

    public init(programmeSlug: String, statuses: Set<ActivityStatus> = Set(ActivityStatus.allCases),
                organisationID: OrganisationID? = nil, taskCode: String? = nil, year: Int? = nil, quarter: Int? = nil,
                district: District?? = nil, rule: MeasureRule? = nil, kind: ActivityKind? = nil, search: String? = nil,
                order: ActivityOrder = .newestFirst) {
        self.programmeSlug = programmeSlug
        self.statuses = statuses
        self.organisationID = organisationID
        self.taskCode = taskCode
        self.year = year
        self.quarter = quarter
        self.district = district
        self.rule = rule
        self.kind = kind
        self.search = search
        self.order = order
    }

    /// The search's words, folded as stored text is (`ActivityRecord.searchKey`): a record matches
    /// when its text contains every one of them, in any order ("poezji wieczór" finds "Wieczór
    /// polskiej poezji"). Empty when there is no search.
    public var searchWords: [String] {
        guard let search else { return [] }
        return ActivityRecord.searchKey(search).split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

/// The order of a list of records.
public enum ActivityOrder: Hashable, Sendable {
    /// By start date, newest first, then by id (lists, drill-downs).
    case newestFirst
    /// By the time of submission, oldest first, then by id: the review queue, where who waited
    /// longest is looked at first.
    case longestWaiting
}

extension ActivityRecord {
    /// The text a search looks in: title and institution, lowercased, with diacritics removed
    /// (so "swiata" finds "świata"; "ł" is not a letter with a diacritic to Unicode and is mapped
    /// by hand). Storage keeps it as `search_text` (migration 18); the search's words are folded
    /// the same way. Notes are left out on purpose: long free text, where a common word would
    /// match records that are not about it.
    public static func searchText(_ input: ActivityInput) -> String {
        searchText(title: input.title, institution: input.institution)
    }

    public static func searchText(title: String, institution: String?) -> String {
        PlainText.fold(title.trimmingWhitespace(), newline: (institution ?? "").trimmingWhitespace())
    }

    public static func searchKey(_ text: String) -> String {
        PlainText.fold(text.trimmingWhitespace())
    }
}

public protocol ActivityRepository: Sendable {
    func create(programmeSlug: String, input: ActivityInput, status: ActivityStatus, by: UserID?, at: Date) async throws -> ActivityRecord
    /// Stores every record, and creates the organisations they name that do not exist yet, in one
    /// transaction: all or nothing. `progress` hears the number of records stored so far.
    func importAll(programmeSlug: String, records: [PendingActivity], newOrganisationKind: OrganisationKind,
                   status: ActivityStatus, by: UserID?, at: Date,
                   progress: @escaping @Sendable (Int) -> Void) async throws -> ImportOutcome
    /// A streamed import (`ActivityImporter.run`): opens one transaction and calls `body`, which
    /// hands the records to the sink in batches as it reads and checks them; the organisations
    /// they name that do not exist yet are created as they first appear. When `body` returns,
    /// everything is committed; when it (or storing) throws, nothing is: all or nothing, as
    /// `importAll`. The SQL version writes while `body` reads on (docs/performance.md, "Import").
    /// `beforeCommit` runs last inside the transaction, with what was stored: the import's audit
    /// entry is written there, so the records and their entry commit together or not at all.
    func importStreaming(programmeSlug: String, newOrganisationKind: OrganisationKind, status: ActivityStatus,
                         by: UserID?, at: Date,
                         _ body: @escaping @Sendable (any ActivityImportSink) async throws -> Void,
                         beforeCommit: @escaping @Sendable (ImportOutcome) async throws -> Void) async throws -> ImportOutcome
    func record(id: ActivityID) async throws -> ActivityRecord?
    func update(id: ActivityID, input: ActivityInput, status: ActivityStatus, reviewComment: String?, at: Date) async throws
    /// Newest first.
    func list(_ filter: ActivityFilter, limit: Int, offset: Int) async throws -> [ActivityRecord]
    func count(_ filter: ActivityFilter) async throws -> Int
    /// The programme's approved records that started in or before `throughYear`, with only the
    /// columns the annual report prints, in no particular order.
    func reportedActivities(programmeSlug: String, throughYear: Int) async throws -> [ReportedActivity]

    // Data-quality checks of the review queue (`QualityCheck`), each one query for a whole page.
    /// For each of `checked`, the first `limit` (by id) of the programme's submitted and approved
    /// records of other organisations with its task, start date and district (both city-wide, or
    /// the same district): what `QualityCheck` compares titles with. One list without repeats, in
    /// no particular order. At most `checked.count × limit` rows, whatever the number of records
    /// (issue 15: the check once read every record of the page's tasks on any of its days).
    func duplicateCandidates(programmeSlug: String, of checked: [DuplicateCandidate], limit: Int) async throws -> [DuplicateCandidate]
    /// For each of `kinds`, the participants and beneficiaries of its approved records: how many
    /// records report each, its median and 99th percentile by nearest rank (`CountProfile`).
    func countProfiles(programmeSlug: String, kinds: Set<ActivityKind>) async throws -> CountProfiles

    // Uploaded files between preview and confirmation (`PendingImport`, migration 20).
    /// Stores the file and returns its id; first removes every pending import that expired before `now`.
    func stagePendingImport(_ pending: PendingImport, now: Date) async throws -> PendingImportID
    func pendingImport(id: PendingImportID) async throws -> PendingImport?
    /// Takes the file for importing: true only for the one call that finds it neither taken nor
    /// expired (a double click or a second tab does not import it twice).
    func claimPendingImport(id: PendingImportID, at: Date) async throws -> Bool
    /// After a failed import: the file may be confirmed again.
    func releasePendingImport(id: PendingImportID) async throws
    /// After a successful import: keeps the count, drops the text.
    func finishPendingImport(id: PendingImportID, records: Int) async throws
}

/// Where a streamed import puts its records (`ActivityRepository.importStreaming`).
public protocol ActivityImportSink: Sendable {
    /// Stores a batch in the import's transaction (or queues it for storing: a failure may then
    /// come from a later call, or when the import ends).
    func write(_ batch: [PendingActivity]) async throws
}

extension ActivityRepository {
    /// For repositories without a streaming path (the in-memory ones of the tests): keeps the
    /// batches and stores them with `importAll` when `body` has returned.
    /// (In memory there is no transaction: `beforeCommit` runs after the records are stored.)
    public func importStreaming(programmeSlug: String, newOrganisationKind: OrganisationKind, status: ActivityStatus,
                                by user: UserID?, at: Date,
                                _ body: @escaping @Sendable (any ActivityImportSink) async throws -> Void,
                                beforeCommit: @escaping @Sendable (ImportOutcome) async throws -> Void) async throws -> ImportOutcome {
        let sink = CollectingImportSink()
        try await body(sink)
        let outcome = try await importAll(programmeSlug: programmeSlug, records: sink.records, newOrganisationKind: newOrganisationKind,
                                          status: status, by: user, at: at, progress: { _ in })
        try await beforeCommit(outcome)
        return outcome
    }

    /// A streamed import with nothing to do before it commits (tests).
    public func importStreaming(programmeSlug: String, newOrganisationKind: OrganisationKind, status: ActivityStatus,
                                by user: UserID?, at: Date,
                                _ body: @escaping @Sendable (any ActivityImportSink) async throws -> Void) async throws -> ImportOutcome {
        try await importStreaming(programmeSlug: programmeSlug, newOrganisationKind: newOrganisationKind, status: status, by: user, at: at,
                                  body, beforeCommit: { _ in })
    }
}

/// Keeps every batch (`importStreaming`'s default).
final class CollectingImportSink: ActivityImportSink, @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [PendingActivity] = []
    var records: [PendingActivity] { lock.withLock { kept } }
    func write(_ batch: [PendingActivity]) async throws { lock.withLock { kept.append(contentsOf: batch) } }
}

/// A validated record waiting to be stored by an import.
public struct PendingActivity: Hashable, Sendable {
    public var input: ActivityInput
    /// Set when the record's organisation is to be created by the import; `input.organisationID` is then ignored.
    public var newOrganisationName: String?

    public init(input: ActivityInput, newOrganisationName: String? = nil) {
        self.input = input
        self.newOrganisationName = newOrganisationName
    }
}

public struct ImportOutcome: Hashable, Sendable {
    public var records: Int
    public var organisationsCreated: [String]
    public init(records: Int, organisationsCreated: [String]) {
        self.records = records
        self.organisationsCreated = organisationsCreated
    }
}
