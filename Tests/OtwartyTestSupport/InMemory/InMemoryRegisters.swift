import Foundation
import OtwartyCore

/// Dialogue bodies and assistants in memory (issue 13 D); the SQL is tested against the same
/// expectations on both engines in OtwartyStorageTests.
public struct InMemoryRegisterRepository: RegisterRepository {
    let state = Locked<(numbers: RowNumbers, bodies: [DialogueBody], assistants: [InterculturalAssistant])>((RowNumbers(), [], []))

    public init() {}

    public func dialogueBodies() async throws -> [DialogueBody] { state.current.bodies.sorted { ($0.name, $0.id) < ($1.name, $1.id) } }

    public func dialogueBody(id: Int64) async throws -> DialogueBody? { state.current.bodies.first { $0.id == id } }

    public func saveDialogueBody(_ body: DialogueBody) async throws -> DialogueBody {
        state.withLock { state in
            var stored = body
            if let index = state.bodies.firstIndex(where: { $0.id == body.id }) {
                state.bodies[index] = stored
            } else {
                stored.id = state.numbers.next()
                state.bodies.append(stored)
            }
            return stored
        }
    }

    public func deleteDialogueBody(id: Int64) async throws { state.withLock { $0.bodies.removeAll { $0.id == id } } }

    public func assistants(organisationID: OrganisationID?) async throws -> [InterculturalAssistant] {
        state.current.assistants.filter { organisationID == nil || $0.organisationID == organisationID }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func assistant(id: Int64) async throws -> InterculturalAssistant? { state.current.assistants.first { $0.id == id } }

    public func saveAssistant(_ assistant: InterculturalAssistant) async throws -> InterculturalAssistant {
        state.withLock { state in
            var stored = assistant
            if let index = state.assistants.firstIndex(where: { $0.id == assistant.id }) {
                state.assistants[index] = stored
            } else {
                stored.id = state.numbers.next()
                state.assistants.append(stored)
            }
            return stored
        }
    }

    public func deleteAssistant(id: Int64) async throws { state.withLock { $0.assistants.removeAll { $0.id == id } } }

    /// The registers as the reference reader sees them: counted dialogue bodies and every assistant.
    public func measureSources() -> InMemoryMeasureSources {
        let current = state.current
        return InMemoryMeasureSources(registers: [
            .dialogueBodies: current.bodies.filter(\.countsForMeasure).map { ($0.validFrom, $0.validUntil) },
            .interculturalAssistants: current.assistants.map { ($0.validFrom, $0.validUntil) },
        ])
    }
}

public struct InMemoryDataImportLog: DataImportLogRepository {
    let rows = Locked<[DataImportEntry]>([])

    public init() {}

    public func record(_ entry: DataImportEntry) async throws { rows.withLock { $0.append(entry) } }

    public func entries(of kind: DataImportKind) async throws -> [DataImportEntry] {
        rows.current.filter { $0.kind == kind }.reversed()
    }

    public func lastImport(of kind: DataImportKind, year: Int) async throws -> Date? {
        rows.current.filter { $0.kind == kind && $0.years.contains(year) }.map(\.importedAt).max()
    }
}
