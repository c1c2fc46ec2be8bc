import Foundation
import OtwartyCore

/// Pending imports in memory, answering as `SQLActivityRepository`'s `pending_imports` does.
extension InMemoryActivityRepository {
    public func stagePendingImport(_ pending: PendingImport, now: Date) async throws -> PendingImportID {
        pendingImports.withLock { state in
            state.rows = state.rows.filter { $0.value.expiresAt > now }
            var stored = pending
            stored.id = state.numbers.next()
            state.rows[stored.id] = stored
            return stored.id
        }
    }

    public func pendingImport(id: PendingImportID) async throws -> PendingImport? {
        pendingImports.current.rows[id]
    }

    public func claimPendingImport(id: PendingImportID, at: Date) async throws -> Bool {
        pendingImports.withLock { state in
            guard var pending = state.rows[id], pending.importedAt == nil, pending.expiresAt > at else { return false }
            pending.importedAt = at
            state.rows[id] = pending
            return true
        }
    }

    public func releasePendingImport(id: PendingImportID) async throws {
        pendingImports.withLock { state in
            if state.rows[id]?.importedRecords == nil { state.rows[id]?.importedAt = nil }
        }
    }

    public func finishPendingImport(id: PendingImportID, records: Int) async throws {
        pendingImports.withLock { state in
            state.rows[id]?.importedRecords = records
            state.rows[id]?.text = ""
        }
    }
}
