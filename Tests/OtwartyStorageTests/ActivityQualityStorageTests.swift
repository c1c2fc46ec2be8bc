import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import Testing

/// The reads of the review queue's data-quality checks (issue 13), on both engines, on hand-made records.
@Suite struct ActivityQualityStorageTests {
    typealias F = ActivityFixtures

    static func input(_ title: String, organisation: OrganisationID, task: String = "4.1", kind: ActivityKind = .workshop,
                      start: String = "2025-06-14", district: Int? = nil, participants: Int? = nil,
                      beneficiaries: Int? = nil) -> ActivityInput {
        ActivityInput(taskCode: task, kind: kind, title: title, startDate: F.day(start), organisationID: organisation,
                      district: district.map(F.district), participants: participants, beneficiaries: beneficiaries)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func countProfilesAreTakenAtNearestRanksOfApprovedRecords(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            func store(_ input: ActivityInput, _ status: ActivityStatus = .approved, slug: String = F.slug) async throws {
                _ = try await repository.create(programmeSlug: slug, input: input, status: status, by: nil, at: F.t0)
            }
            // 21 approved workshops with participants, stored out of order. Sorted: 5 7 7 9 12 15 20
            // 22 30 31 40 41 42 45 50 60 61 70 80 400 900. Median at rank ⌈0.5·21⌉ = 11 → 40;
            // 99th percentile at rank ⌈0.99·21⌉ = ⌈20.79⌉ = 21 → 900.
            let participants = [900, 5, 42, 7, 61, 7, 9, 400, 12, 15, 20, 22, 80, 30, 31, 40, 41, 45, 50, 60, 70]
            for (i, p) in participants.enumerated() {
                // Three of them give beneficiaries 3, 1, 2: n 3, median at rank ⌈1.5⌉ = 2 → 2, 99th at ⌈2.97⌉ = 3 → 3.
                let beneficiaries = i < 3 ? [3, 1, 2][i] : nil
                try await store(Self.input("Warsztat \(i)", organisation: organisation, participants: p, beneficiaries: beneficiaries))
            }
            // Not counted: a workshop with no count, one waiting for review, one of another programme.
            try await store(Self.input("Bez liczby", organisation: organisation))
            try await store(Self.input("Czeka", organisation: organisation, participants: 5_000), .submitted)
            try await store(Self.input("Gdzie indziej", organisation: organisation, participants: 7_000), slug: F.otherSlugs[0])
            // One approved event with 10 participants and no beneficiaries.
            try await store(Self.input("Festyn", organisation: organisation, kind: .event, participants: 10))

            let profiles = try await repository.countProfiles(programmeSlug: F.slug, kinds: [.workshop, .event, .training])
            #expect(profiles[.workshop]?[.participants] == CountProfile(records: 21, median: 40, percentile99: 900))
            #expect(profiles[.workshop]?[.participants] == CountProfile(values: participants))
            #expect(profiles[.workshop]?[.beneficiaries] == CountProfile(records: 3, median: 2, percentile99: 3))
            #expect(profiles[.event] == [.participants: CountProfile(records: 1, median: 10, percentile99: 10)])
            #expect(profiles[.training] == nil)
            // 21 records: a threshold of max(10 × 40, 900) = 900.
            #expect(profiles[.workshop]?[.participants]?.threshold == 900)
            #expect(try await repository.countProfiles(programmeSlug: F.slug, kinds: []).isEmpty)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func duplicateCandidatesShareTheCheckedRecordsTaskDayAndDistrictAndComeFromOtherOrganisations(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let orgs = try await F.organisations(database, count: 3)
            func store(_ title: String, _ status: ActivityStatus, org: Int = 1, task: String = "4.1", start: String = "2025-06-14",
                       district: Int? = 18, slug: String = F.slug) async throws -> ActivityRecord {
                try await repository.create(programmeSlug: slug, input: Self.input(title, organisation: orgs[org], task: task, kind: .event,
                                                                                  start: start, district: district),
                                            status: status, by: nil, at: F.t0)
            }
            let checked = try await store("Festyn", .submitted, org: 0)
            let cityWide = try await store("Festyn miejski", .submitted, org: 0, district: nil)
            let submitted = try await store("Festyn sąsiedzki", .submitted)
            let approved = try await store("Festyn rodzinny", .approved, org: 2)
            let approvedCityWide = try await store("Festyn", .approved, district: nil)
            // Not candidates of `checked`: its own organisation, a draft, a returned record, another
            // task, day, district or programme.
            let sameOrganisation = try await store("Festyn", .approved, org: 0)
            _ = try await store("Szkic", .draft)
            _ = try await store("Zwrócony", .returned)
            _ = try await store("Inne zadanie", .approved, task: "4.2")
            _ = try await store("Inny dzień", .approved, start: "2025-06-15")
            _ = try await store("Inna dzielnica", .approved, district: 17)
            _ = try await store("Inny program", .approved, slug: F.otherSlugs[0])
            func found(_ records: [ActivityRecord], limit: Int = QualityCheck.candidateLimit) async throws -> [DuplicateCandidate] {
                try await repository.duplicateCandidates(programmeSlug: F.slug, of: records.map(DuplicateCandidate.init), limit: limit)
                    .sorted { $0.id < $1.id }
            }
            #expect(try await found([checked]) == [DuplicateCandidate(submitted), DuplicateCandidate(approved)])
            // City-wide matches city-wide only (NULL districts, compared alike on both engines).
            #expect(try await found([cityWide]) == [DuplicateCandidate(approvedCityWide)])
            #expect(try await found([cityWide]).first?.district == nil)
            #expect(try await found([checked]).first?.district == F.district(18))
            // Several checked records: one list, no repeats (`submitted` is a candidate of `checked`
            // and of `approved`, `checked` of both others; `sameOrganisation` of the other organisations').
            #expect(try await found([checked, submitted, approved]).map(\.id)
                        == [checked.id, submitted.id, approved.id, sameOrganisation.id])
            // The first `limit` by id of each checked record.
            #expect(try await found([checked], limit: 1) == [DuplicateCandidate(submitted)])
            #expect(try await found([checked, approved], limit: 1).map(\.id) == [checked.id, submitted.id].sorted())
            #expect(try await found([]).isEmpty)
        }
    }
}
