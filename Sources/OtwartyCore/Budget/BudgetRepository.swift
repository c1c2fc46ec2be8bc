import Foundation

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
