import Foundation

// Storage interface of programmes; the SQL is in OtwartyStorage/Programme.

public struct ProgrammeSummary: Hashable, Sendable {
    public var slug: String
    public var title: String
    public var resolution: String
    public var period: Period
    public var updatedAt: Date
    public init(slug: String, title: String, resolution: String, period: Period, updatedAt: Date) {
        self.slug = slug
        self.title = title
        self.resolution = resolution
        self.period = period
        self.updatedAt = updatedAt
    }
}

public enum ProgrammeSaveOutcome: String, Sendable, Equatable {
    case created, updated, unchanged
}

public protocol ProgrammeRepository: Sendable {
    /// Inserts the programme or replaces the one with the same slug; a byte-identical programme is left alone.
    func save(_ programme: Programme) async throws -> ProgrammeSaveOutcome
    func programme(slug: String) async throws -> Programme?
    /// All programmes, oldest first: the first is the instance's default.
    func summaries() async throws -> [ProgrammeSummary]
}
