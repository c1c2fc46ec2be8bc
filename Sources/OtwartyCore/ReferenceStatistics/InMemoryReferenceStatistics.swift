import Foundation

/// Reference statistics held in memory, for tests and for tools that read figures from a file.
/// Several revisions of one key and year may be given; the current one is the latest recorded
/// (and, among equal times, the later in the list), as in storage.
public struct InMemoryReferenceStatistics: ReferenceStatistics {
    public var values: [ReferenceValue]

    public init(values: [ReferenceValue] = []) { self.values = values }

    public func current(key: String, year: Int) async throws -> ReferenceValue? {
        var latest: ReferenceValue?
        for value in values where value.key == key && value.year == year {
            if let found = latest, found.recordedAt > value.recordedAt { continue }
            latest = value
        }
        return latest
    }
}
