import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

/// A record's change and its audit entry are stored together or not at all (`AuditLog.atomically`).
/// The crash cycles (Tests/crash/crash.py, docs/reliability.md) found records changed without their
/// entry: the change committed, then the process died before the entry's own transaction. Here an
/// audit trail whose appends fail stands for that death, deterministically, on both engines.
@Suite struct AuditAtomicityTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func aChangeWhoseEntryIsNotWrittenIsNotStored(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let repositories = Repositories.sql(database, clock: clock.office)
            _ = try await repositories.programmes.save(try EmbeddedProgrammes.krakow())
            let organisation = try await F.organisations(database, count: 1)[0]
            func user(_ role: Role, _ email: String, _ organisation: OrganisationID?) async throws -> User {
                let id = try await repositories.users.create(
                    NewUser(email: email, displayName: email, role: role, organisationID: organisation, passwordHash: nil), at: F.t0).id
                return try #require(try await repositories.users.user(id: id))
            }
            let partner = try await user(.partner, "partner@example.org", organisation)
            let coordinator = try await user(.programmeCoordinator, "pk@example.org", nil)
            let service = ActivityService(activities: repositories.activities, programmes: repositories.programmes,
                                          audit: repositories.audit, clock: clock.office)
            let dying = ActivityService(activities: repositories.activities, programmes: repositories.programmes,
                                        audit: DyingAudit(base: SQLAuditLog(database: database), holdFails: false), clock: clock.office)
            let input = ActivityInput(taskCode: "1.1", kind: .event, title: "Spotkanie", startDate: F.day("2025-03-01"),
                                      organisationID: organisation)
            func stored() async throws -> [ActivityRecord] {
                try await repositories.activities.list(ActivityFilter(programmeSlug: F.slug), limit: 100, offset: 0)
            }

            await #expect(throws: DyingAudit.Died.self) { try await dying.create(programmeSlug: F.slug, input: input, as: partner) }
            #expect(try await stored().isEmpty, "a record was stored without its activity.created entry")

            let record = try await service.create(programmeSlug: F.slug, input: input, as: partner)
            var edited = input
            edited.title = "Spotkanie sąsiedzkie"
            await #expect(throws: DyingAudit.Died.self) { try await dying.update(id: record.id, input: edited, as: partner) }
            await #expect(throws: DyingAudit.Died.self) { try await dying.submit(id: record.id, as: partner) }
            #expect(try await stored().map { [$0.status.rawValue, $0.input.title] } == [["draft", "Spotkanie"]])

            _ = try await service.submit(id: record.id, as: partner)
            await #expect(throws: DyingAudit.Died.self) { try await dying.approve(id: record.id, as: coordinator) }
            await #expect(throws: DyingAudit.Died.self) {
                try await dying.returnForChanges(id: record.id, comment: "Proszę uzupełnić", as: coordinator)
            }
            #expect(try await stored().map(\.status) == [.submitted])

            _ = try await service.approve(id: record.id, as: coordinator)
            #expect(try await stored().map(\.status) == [.approved])
            // One entry per stored change, and the chain whole after the rolled-back attempts.
            #expect(try await repositories.audit.entries(subject: "activity:\(record.id)", limit: 10).map(\.action)
                == ["activity.approved", "activity.submitted", "activity.created"])
            let report = try await repositories.audit.verify(tail: nil)
            #expect(report.problem == nil)
        }
    }

    /// Units nest (the inner one joins the outer), and what a unit wrote is gone when it throws.
    @Test(arguments: DatabaseEngine.allCases)
    func aUnitJoinsAndRollsBackAsOne(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let organisations = SQLOrganisationRepository(database: database, clock: OfficeClock(now: { F.t0 }))
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await database.atomically {
                    _ = try await organisations.create(name: "Zewnętrzna", kind: .ngo)
                    try await database.atomically { _ = try await organisations.create(name: "Wewnętrzna", kind: .ngo) }
                    // Read back inside the unit: its own connection sees its uncommitted rows.
                    #expect(try await organisations.all().map(\.name).sorted() == ["Wewnętrzna", "Zewnętrzna"])
                    throw Abandoned()
                }
            }
            #expect(try await organisations.all().isEmpty)
            try await database.atomically { _ = try await organisations.create(name: "Trwała", kind: .ngo) }
            #expect(try await organisations.all().map(\.name) == ["Trwała"])
        }
    }
}
