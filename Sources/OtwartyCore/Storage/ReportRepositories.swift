import Foundation

// Storage interfaces for the annual report: budget entries, the narrative, risk reassessments and
// frozen versions.

public protocol BudgetRepository: Sendable {
    /// The programme's entries, of one year or all years, ordered by year, task and source.
    func entries(programme: String, year: Int?) async throws -> [BudgetEntry]
    /// Inserts or replaces the entry with the same programme, year, task and source.
    func save(_ entry: BudgetEntry) async throws
    /// Saves all entries in one transaction: all or none.
    func saveAll(_ entries: [BudgetEntry]) async throws
    /// false when there was no such entry.
    func delete(programme: String, year: Int, taskCode: String, source: Int) async throws -> Bool
}

public protocol ReportNarrativeRepository: Sendable {
    /// `.empty` when nothing was saved yet.
    func narrative(programme: String, year: Int) async throws -> ReportNarrative
    /// Replaces every section of the year's narrative.
    func save(_ narrative: ReportNarrative, programme: String, year: Int) async throws
}

public protocol RiskAssessmentRepository: Sendable {
    func add(_ assessment: RiskAssessment) async throws
    /// The programme's assessments, by date then recording time.
    func assessments(programme: String) async throws -> [RiskAssessment]
}

public protocol ReportVersionRepository: Sendable {
    /// Stores the files as version `number` of the year's report. The files print their number, so
    /// the caller picks it (the latest + 1); when another freeze took it meanwhile this throws
    /// `DomainError.conflict` and nothing is stored.
    func freeze(programme: String, year: Int, number: Int, files: [ReportFile], at: Date,
                by: UserID?) async throws -> ReportVersion
    /// The year's versions, newest first.
    func versions(programme: String, year: Int) async throws -> [ReportVersion]
    /// Every version of the programme, newest first.
    func versions(programme: String) async throws -> [ReportVersion]
    func file(programme: String, year: Int, number: Int, format: ReportFormat) async throws -> ReportFile?
    /// Adds a file a version did not have yet (a PDF rendered after freezing, when no renderer was
    /// installed then). Never replaces: returns the stored file when one exists.
    func addFile(_ file: ReportFile, programme: String, year: Int, number: Int) async throws -> ReportFile
}
