import Foundation
import OtwartyCore

/// Task products in memory: the reference for `SQLProductRepository` (tested on both engines).
public struct InMemoryProductRepository: ProductRepository {
    struct Key: Hashable { var slug: String, task: String, index: Int }
    let state = Locked([Key: ProductRecord]())

    public init() {}

    public func products(programmeSlug: String) async throws -> [ProductRecord] {
        state.current.values.filter { $0.programmeSlug == programmeSlug }.sorted { $0.key < $1.key }
    }

    public func product(programmeSlug: String, taskCode: String, index: Int) async throws -> ProductRecord? {
        state.current[Key(slug: programmeSlug, task: taskCode, index: index)]
    }

    public func save(_ record: ProductRecord) async throws {
        state.withLock { $0[Key(slug: record.programmeSlug, task: record.taskCode, index: record.index)] = record }
    }

    public func deliveredWithoutEvidence(programmeSlug: String) async throws -> [ProductRecord] {
        try await products(programmeSlug: programmeSlug).filter { $0.status == .delivered && $0.evidence == nil }
    }
}
