import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct OrganisationServiceTests {
    let organisations = InMemoryOrganisationRepository()
    let coordinators = InMemoryCoordinatorRepository()
    let audit = InMemoryAuditLog()
    let clock = TestClock()
    var service: OrganisationService {
        OrganisationService(organisations: organisations, coordinators: coordinators, audit: audit, clock: clock.office)
    }

    func fields(_ input: CoordinatorInput, to id: OrganisationID) async -> [String]? {
        do { try await service.addCoordinator(input, to: id, by: 1) } catch let DomainError.invalid(errors) {
            return errors.map(\.field)
        } catch { return nil }
        return []
    }

    @Test func aCoordinatorIsAddedWithANormalisedAddressAndAudited() async throws {
        let ngo = try await organisations.create(name: "Fundacja Dialog", kind: .ngo)
        let added = try await service.addCoordinator(
            CoordinatorInput(name: "Anna Kowalska", function: "koordynatorka", email: "Anna@Dialog.TEST", phone: "555 123 456",
                             validFrom: "2025-01-01"), to: ngo.id, by: 2)
        #expect(added.email == "anna@dialog.test" && added.validFrom == CalendarDate(year: 2025, month: 1, day: 1) && added.validUntil == nil)
        #expect(try await coordinators.coordinators(organisationID: ngo.id) == [added])
        #expect(try await audit.all == [AuditEntry(at: TestClock.defaultStart, actorUserID: 2, action: "coordinator.added",
                                         subject: "organisation:\(ngo.id)", detail: "coordinator:\(added.id)")])
    }

    @Test func badFieldsAreNamedAndNothingIsStored() async throws {
        let ngo = try await organisations.create(name: "Fundacja Dialog", kind: .ngo)
        #expect(await fields(CoordinatorInput(name: "", email: "not an address", validFrom: "2025-01-01", validUntil: "2024-12-31"),
                             to: ngo.id) == ["name", "email", "validUntil"])
        #expect(await fields(CoordinatorInput(name: String(repeating: "n", count: 201)), to: ngo.id) == ["name"])
        // A date that cannot be read is named on its own field (issue 12).
        #expect(await fields(CoordinatorInput(name: "A", validFrom: "1.1.2025"), to: ngo.id) == ["validFrom"])
        #expect(await fields(CoordinatorInput(name: "A", validUntil: "2025-02-30"), to: ngo.id) == ["validUntil"])
        #expect(await fields(CoordinatorInput(name: "A", validFrom: "2025-01-01", validUntil: "2025-01-01"), to: ngo.id) == [])
        #expect(try await coordinators.coordinators(organisationID: nil).count == 1)
        #expect(try await audit.all.count == 1)
    }

    @Test func anUnknownOrganisationIsNotFoundBeforeTheFormIsChecked() async throws {
        await #expect(throws: DomainError.notFound("Organisation 42")) {
            try await service.addCoordinator(CoordinatorInput(name: ""), to: 42, by: 1)
        }
        #expect(try await audit.all.isEmpty)
    }
}
