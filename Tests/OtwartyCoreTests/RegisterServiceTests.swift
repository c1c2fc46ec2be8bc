import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// Issue 13 D: keeping the registers — every mistake named by its field, who may read and write
/// what (the assistants' contacts are personal data), an audit entry for every write and every
/// reading of contacts, and what measure 3.4.a counts.
@Suite struct RegisterServiceTests {
    let registers = InMemoryRegisterRepository()
    let organisations = InMemoryOrganisationRepository()
    let audit = InMemoryAuditLog()
    let clock = TestClock()
    var service: RegisterService { RegisterService(registers: registers, organisations: organisations, audit: audit, clock: clock.office) }

    func user(_ id: UserID, _ role: Role, organisation: OrganisationID? = nil) -> User {
        User(id: id, email: "u\(id)@example.org", displayName: "U\(id)", role: role, organisationID: organisation, passwordHash: nil,
             isDisabled: false, createdAt: Date(timeIntervalSince1970: 0))
    }

    func actions() async throws -> [String] { try await audit.entries(subject: nil, limit: 100).map(\.action).sorted() }

    func fields(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch let DomainError.invalid(problems) {
            return problems.map(\.field)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aBodyCountsOnlyWithMinoritiesOrMigrantsAmongItsMembers() {
        #expect(DialogueBody(name: "Rada", memberKinds: [.minorities]).countsForMeasure)
        #expect(DialogueBody(name: "Forum", memberKinds: [.migrants, .ngos]).countsForMeasure)
        #expect(!DialogueBody(name: "Zespół", memberKinds: [.cityUnits, .ngos, .academia, .other]).countsForMeasure)
    }

    @Test func dialogueBodiesAreValidatedFieldByFieldAndAudited() async throws {
        let coordinator = user(1, .programmeCoordinator)
        let problems = await fields {
            try await service.saveDialogueBody(id: 0, DialogueBodyInput(name: "  ", memberKinds: ["minorities", "aliens"],
                                                                      validFrom: "2025-13-01", validUntil: "2024-01-01",
                                                                      note: String(repeating: "x", count: 1001)), by: coordinator)
        }
        #expect(problems == ["name", "memberKinds", "note", "validFrom"])
        let reversed = await fields {
            try await service.saveDialogueBody(id: 0, DialogueBodyInput(name: "Rada", memberKinds: ["minorities"],
                                                                      validFrom: "2025-02-01", validUntil: "2025-01-31"), by: coordinator)
        }
        #expect(reversed == ["validUntil"])
        #expect(await fields {
            try await service.saveDialogueBody(id: 0, DialogueBodyInput(name: "Rada", memberKinds: []), by: coordinator)
        } == ["memberKinds"])
        #expect(try await registers.dialogueBodies().isEmpty, "nothing stored from a refused form")

        let body = try await service.saveDialogueBody(id: 0, DialogueBodyInput(name: " Rada ds. Mniejszości ", memberKinds: ["minorities", "city-units"],
                                                                              validFrom: "2019-01-01"), by: coordinator)
        #expect(body.name == "Rada ds. Mniejszości" && body.memberKinds == [.minorities, .cityUnits] && body.validUntil == nil)
        _ = try await service.saveDialogueBody(id: body.id, DialogueBodyInput(name: "Rada", memberKinds: ["minorities"], validFrom: "2019-01-01"),
                                               by: coordinator)
        #expect(await fields { _ = try await service.endDialogueBody(id: body.id, until: "", by: coordinator) } == ["validUntil"])
        #expect(await fields { _ = try await service.endDialogueBody(id: body.id, until: "2018-12-31", by: coordinator) } == ["validUntil"])
        let ended = try await service.endDialogueBody(id: body.id, until: "2025-06-30", by: coordinator)
        #expect(ended.validUntil == Fixtures.day("2025-06-30") && ended.validFrom == Fixtures.day("2019-01-01"))
        try await service.deleteDialogueBody(id: body.id, by: coordinator)
        #expect(try await registers.dialogueBodies().isEmpty)
        #expect(try await actions() == ["dialogue-body.added", "dialogue-body.changed", "dialogue-body.deleted", "dialogue-body.ended"])
    }

    @Test func whoMayReadAndKeepDialogueBodies() async throws {
        let input = DialogueBodyInput(name: "Rada", memberKinds: ["minorities"])
        for role in [Role.partner, .viewer, .unitCoordinator, .incidentHandler] {
            await #expect(throws: DomainError.self, "\(role) does not keep the register") {
                try await service.saveDialogueBody(id: 0, input, by: user(2, role, organisation: 5))
            }
        }
        _ = try await service.saveDialogueBody(id: 0, input, by: user(3, .administrator))
        #expect(try await service.dialogueBodies(by: user(4, .viewer)).count == 1)
        #expect(try await service.dialogueBodies(by: user(5, .partner, organisation: 5)).count == 1)
        await #expect(throws: DomainError.self) { try await service.dialogueBodies(by: user(6, .incidentHandler)) }
    }

    @Test func assistantsAreValidatedFieldByField() async throws {
        let organisation = try await organisations.create(name: "Wydział Edukacji", kind: .cityOfficeUnit)
        let coordinator = user(1, .programmeCoordinator)
        let problems = await fields {
            try await service.saveAssistant(id: 0, AssistantInput(
                organisationID: nil, name: "", kind: "teacher", languages: (1...11).map { "język \($0)" }.joined(separator: ", "),
                schools: (1...31).map { "Szkoła \($0)" }.joined(separator: "\n"), email: "not-an-address", phone: "12 345 abc",
                validFrom: "jutro"), by: coordinator)
        }
        #expect(problems == ["organisation", "name", "kind", "languages", "schools", "email", "phone", "validFrom"])
        #expect(await fields {
            try await service.saveAssistant(id: 0, AssistantInput(organisationID: organisation.id, name: "Anna", kind: "roma"), by: coordinator)
        } == ["email"], "a contact base entry needs a way to reach the person")
        #expect(await fields {
            try await service.saveAssistant(id: 0, AssistantInput(organisationID: organisation.id + 99, name: "Anna", kind: "roma", phone: "123 456"),
                                            by: coordinator)
        } == ["organisation"])

        let saved = try await service.saveAssistant(id: 0, AssistantInput(
            organisationID: organisation.id, name: "Anna Przykładowa", kind: "roma", languages: "polski; romani,\n ", schools: "SP 12\n\n Szkoła nr 5 \n",
            email: " Anna@Example.org ", validFrom: "2025-09-01"), by: coordinator)
        #expect(saved.languages == ["polski", "romani"] && saved.schools == ["SP 12", "Szkoła nr 5"])
        #expect(saved.email == "anna@example.org" && saved.kind == .roma && saved.organisationID == organisation.id)
    }

    @Test func contactsAreSeenByTheCoordinatorAndTheKeepingOrganisationOnlyAndEveryReadingIsAudited() async throws {
        let education = try await organisations.create(name: "Wydział Edukacji", kind: .cityOfficeUnit)
        let ngo = try await organisations.create(name: "Fundacja", kind: .ngo)
        let coordinator = user(1, .programmeCoordinator)
        let educationStaff = user(2, .unitCoordinator, organisation: education.id)
        let ngoStaff = user(3, .partner, organisation: ngo.id)
        // The unit's staff add an entry: it is theirs whatever organisation the form names.
        let ours = try await service.saveAssistant(id: 0, AssistantInput(organisationID: ngo.id, name: "Olena", kind: "intercultural",
                                                                           email: "olena@example.org"), by: educationStaff)
        #expect(ours.organisationID == education.id)
        _ = try await service.saveAssistant(id: 0, AssistantInput(organisationID: ngo.id, name: "Jan", kind: "roma", phone: "600 000 000"),
                                            by: coordinator)

        #expect(try await service.assistants(by: coordinator).map(\.name) == ["Jan", "Olena"])
        #expect(try await service.assistants(by: educationStaff).map(\.name) == ["Olena"])
        #expect(try await service.assistants(by: ngoStaff).map(\.name) == ["Jan"])
        await #expect(throws: DomainError.notFound("Assistant \(ours.id)"), "another organisation's entry does not exist for them") {
            try await service.assistant(id: ours.id, by: ngoStaff)
        }
        await #expect(throws: DomainError.self) { try await service.endAssistant(id: ours.id, until: "2025-12-31", by: ngoStaff) }
        await #expect(throws: DomainError.self) { try await service.deleteAssistant(id: ours.id, by: ngoStaff) }
        for role in [Role.administrator, .viewer, .incidentHandler] {
            await #expect(throws: DomainError.self, "\(role) sees no contacts") { try await service.assistants(by: user(9, role)) }
        }
        _ = try await service.assistant(id: ours.id, by: educationStaff)
        _ = try await service.endAssistant(id: ours.id, until: "2025-12-31", by: educationStaff)
        try await service.deleteAssistant(id: ours.id, by: coordinator)

        let entries = try await audit.entries(subject: nil, limit: 100)
        let listReaders: [UserID] = entries.filter { $0.action == "intercultural-assistants.viewed" }.compactMap(\.actorUserID).sorted()
        #expect(listReaders == [1, 2, 3])
        let entryReaders: [UserID] = entries.filter { $0.action == "intercultural-assistant.viewed" }.compactMap(\.actorUserID)
        #expect(entryReaders == [2])
        #expect(Set(entries.map(\.action)).isSuperset(of: ["intercultural-assistant.added", "intercultural-assistant.ended",
                                                            "intercultural-assistant.deleted"]))
        #expect(!entries.contains { $0.detail.contains("Olena") || $0.detail.contains("olena@") }, "the trail names entries by id only")
    }

    @Test func theReferenceReaderCountsWhatTheRegistersHold() async throws {
        // 2025: Rada (minorities, open) and Forum (migrants, ends 2025-01-01) count; Zespół (city
        // units only) does not; Komisja ended 2024-12-31. → 2. Assistants: one open, one from 2026 → 1.
        let coordinator = user(1, .programmeCoordinator)
        for (name, kinds, from, until) in [("Rada", ["minorities"], "", ""), ("Forum", ["migrants"], "2020-01-01", "2025-01-01"),
                                           ("Zespół", ["city-units"], "", ""), ("Komisja", ["minorities"], "2023-01-01", "2024-12-31")] {
            try await service.saveDialogueBody(id: 0, DialogueBodyInput(name: name, memberKinds: kinds, validFrom: from, validUntil: until),
                                               by: coordinator)
        }
        let organisation = try await organisations.create(name: "Wydział Edukacji", kind: .cityOfficeUnit)
        for from in ["", "2026-01-01"] {
            try await service.saveAssistant(id: 0, AssistantInput(organisationID: organisation.id, name: "A \(from)", kind: "roma",
                                                                  phone: "600 000 000", validFrom: from), by: coordinator)
        }
        let sources = registers.measureSources()
        #expect(try await sources.activeEntries(in: .dialogueBodies, year: 2025) == 2)
        #expect(try await sources.activeEntries(in: .dialogueBodies, year: 2024) == 3)
        #expect(try await sources.activeEntries(in: .interculturalAssistants, year: 2025) == 1)
        #expect(try await sources.activeEntries(in: .interculturalAssistants, year: 2026) == 2)
    }
}
