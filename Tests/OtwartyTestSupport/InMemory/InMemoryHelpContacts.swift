import Foundation
import OtwartyCore

/// Help contacts in memory (starting empty, unlike a migrated database, which has the seeds).
public struct InMemoryHelpContactRepository: HelpContactRepository {
    struct State: Sendable {
        var rows: [Int64: HelpContact] = [:]
        var numbers = RowNumbers()
    }
    let state = Locked(State())
    /// Moved by every change, as the SQL repository does (the incident form is cached by it).
    let dataVersion: InMemoryDataVersion?

    public init(dataVersion: InMemoryDataVersion? = nil) { self.dataVersion = dataVersion }

    public func all() async throws -> [HelpContact] {
        state.current.rows.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    public func contact(id: Int64) async throws -> HelpContact? { state.current.rows[id] }

    public func save(_ contact: HelpContact) async throws -> HelpContact {
        let saved = try state.withLock { state in
            var contact = contact
            if contact.id == 0 {
                contact.id = state.numbers.next()
            } else if state.rows[contact.id] == nil {
                throw DomainError.notFound("Help contact \(contact.id)")
            }
            state.rows[contact.id] = contact
            return contact
        }
        dataVersion?.bump()
        return saved
    }

    public func delete(id: Int64) async throws {
        state.withLock { _ = $0.rows.removeValue(forKey: id) }
        dataVersion?.bump()
    }
}
