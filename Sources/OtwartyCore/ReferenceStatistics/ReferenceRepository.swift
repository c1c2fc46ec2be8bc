import Foundation

/// Reference statistics with their revisions: every `set` adds a revision; the newest one counts.
public protocol ReferenceRepository: ReferenceStatistics {
    func set(_ value: ReferenceValue, by: UserID?) async throws
    func revisions(key: String, year: Int) async throws -> [ReferenceValue]
    /// The current value of every key and year, ordered by key then year.
    func allCurrent() async throws -> [ReferenceValue]
}
