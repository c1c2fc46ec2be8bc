import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// Issue 10 (attack suite finding): an organisation id that names no organisation was a 500 from
/// the foreign key; it is the input's fault, a 422 naming the field, on both engines.
@Suite struct ActivityUnknownOrganisationTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func anUnknownOrganisationIsAFieldError(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            var input = ActivityInput(taskCode: "1.1", kind: .event, title: "Spotkanie", startDate: F.day("2025-01-01"),
                                      organisationID: Int64.max)
            for id in [Int64.max, organisation + 1_000, 2_147_483_648] {
                input.organisationID = id
                await #expect(throws: DomainError.self) {
                    _ = try await repository.create(programmeSlug: F.slug, input: input, status: .draft, by: nil, at: F.t0)
                }
                do {
                    _ = try await repository.create(programmeSlug: F.slug, input: input, status: .draft, by: nil, at: F.t0)
                } catch let DomainError.invalid(errors) {
                    #expect(errors.map(\.field) == ["organisation"])
                }
            }
            input.organisationID = organisation
            let record = try await repository.create(programmeSlug: F.slug, input: input, status: .draft, by: nil, at: F.t0)
            input.organisationID = Int64.max
            await #expect(throws: DomainError.self) {
                try await repository.update(id: record.id, input: input, status: .draft, reviewComment: nil, at: F.t0)
            }
            #expect(try await repository.record(id: record.id)?.organisationID == organisation)
        }
    }
}
