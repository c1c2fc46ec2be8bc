import Foundation

// Storage interfaces of the annual report: its narrative and frozen versions.

public protocol ReportNarrativeRepository: Sendable {
    /// `.empty` when nothing was saved yet.
    func narrative(programme: String, year: Int) async throws -> ReportNarrative
    /// Replaces every section of the year's narrative.
    func save(_ narrative: ReportNarrative, programme: String, year: Int) async throws
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
