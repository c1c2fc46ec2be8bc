import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import Testing

@Suite struct ActivityRepositoryTests {
    typealias F = ActivityFixtures
    static let slug = F.slug

    /// Every field set, and set to values that are easy to lose: a participant count of 0 (not
    /// nil), no district, an amount above 2^53 grosze (lost if it passed through a double), the
    /// last audience bit, languages not in alphabetical order, an end date in the next year.
    static func fullInput(organisation: OrganisationID) -> ActivityInput {
        ActivityInput(taskCode: "6.3", kind: .researchReport, title: "Szkolenie „Otwarty Kraków” — edycja 2",
                      startDate: F.day("2025-11-20"), endDate: F.day("2026-02-03"), organisationID: organisation,
                      district: nil, participants: 0, beneficiaries: 1_234_567,
                      audiences: [.municipalGuard, .minorities, .other], amountGrosze: 9_007_199_254_740_993,
                      institution: " Szkoła nr 5 ", languages: ["uk", "pl", "en"],
                      notes: "Pierwsza linia\nDruga; z średnikiem, przecinkiem i \"cudzysłowem\"",
                      evidenceURL: "https://example.org/sprawozdanie?rok=2025&czesc=2#s3")
    }

    @Test(arguments: DatabaseEngine.allCases)
    func createAndReadKeepEveryField(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisation = try await F.organisations(database, count: 1)[0]
            let user = try await F.user(database)

            let input = Self.fullInput(organisation: organisation)
            let created = try await repository.create(programmeSlug: Self.slug, input: input, status: .submitted, by: user,
                                                      at: F.t0)
            let expected = ActivityRecord(id: created.id, programmeSlug: Self.slug, input: input, status: .submitted,
                                          reviewComment: nil, createdBy: user, createdAt: F.t0, updatedAt: F.t0, submittedAt: F.t0)
            #expect(created == expected)
            #expect(try await repository.record(id: created.id) == expected)
            #expect(created.languages == ["uk", "pl", "en"])
            #expect(created.amountGrosze == 9_007_199_254_740_993)
            #expect(created.participants == 0 && created.district == nil)

            // The other extreme: every optional empty, no audience, no language; and every audience with district XVIII.
            let bare = ActivityInput(taskCode: "1.1", kind: .event, title: "Krótko", startDate: F.day("2024-01-01"),
                                     organisationID: organisation)
            let bareRecord = try await repository.create(programmeSlug: Self.slug, input: bare, status: .draft, by: nil,
                                                         at: F.t0.addingTimeInterval(1))
            #expect(bareRecord == ActivityRecord(id: bareRecord.id, programmeSlug: Self.slug, input: bare, status: .draft,
                                                 createdBy: nil, createdAt: F.t0.addingTimeInterval(1),
                                                 updatedAt: F.t0.addingTimeInterval(1)))
            var everyone = bare
            everyone.audiences = Set(Audience.allCases)
            everyone.district = F.district(18)
            everyone.languages = ["pl"]
            let everyoneRecord = try await repository.create(programmeSlug: "inny-program", input: everyone,
                                                             status: .approved, by: user, at: F.t0)
            #expect(try await repository.record(id: everyoneRecord.id)?.input == everyone)
            #expect(try await repository.record(id: everyoneRecord.id)?.programmeSlug == "inny-program")

            // Issue 13 (migration 17): a part for every audience, a part of 0 (given, unlike an absent
            // one), the largest count, and "of whom new"; then an update that drops the breakdown.
            var split = everyone
            split.participantsByAudience = AudienceBreakdown(Dictionary(uniqueKeysWithValues: Audience.allCases.enumerated().map {
                ($1, $0 == 0 ? 1_000_000_000 : $0 == 1 ? 0 : $0 * 7)
            }))
            split.participantsNew = 0
            let splitRecord = try await repository.create(programmeSlug: Self.slug, input: split, status: .approved, by: user, at: F.t0)
            #expect(try await repository.record(id: splitRecord.id)?.input == split)
            #expect(try await repository.record(id: splitRecord.id)?.participantsByAudience?.counts[.municipalGuard] == 0)
            #expect(try await repository.record(id: splitRecord.id)?.participantsByAudience?.counts[.cityOffice] == 1_000_000_000)
            var halfSplit = split
            halfSplit.participantsByAudience = AudienceBreakdown([.police: 20, .cityOffice: 12])
            halfSplit.participantsNew = 25
            try await repository.update(id: splitRecord.id, input: halfSplit, status: .approved, reviewComment: nil, at: F.t0)
            #expect(try await repository.record(id: splitRecord.id)?.input == halfSplit)
            try await repository.update(id: splitRecord.id, input: everyone, status: .approved, reviewComment: nil, at: F.t0)
            let unsplit = try await repository.record(id: splitRecord.id)
            #expect(unsplit?.input == everyone && unsplit?.participantsByAudience == nil && unsplit?.participantsNew == nil)

            #expect(Set([created.id, bareRecord.id, everyoneRecord.id]).count == 3)
            #expect(try await repository.record(id: everyoneRecord.id + 1000) == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func updateChangesFieldsStatusAndComment(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let aggregator = SQLActivityAggregator(database: database)
            let organisations = try await F.organisations(database, count: 2)
            let user = try await F.user(database)
            let before = ActivityInput(taskCode: "5.1", kind: .workshop, title: "Warsztaty", startDate: F.day("2024-12-31"),
                                       organisationID: organisations[0], district: F.district(1), participants: 10,
                                       audiences: [.teachers], institution: "SP 12", languages: ["pl"])
            let created = try await repository.create(programmeSlug: Self.slug, input: before, status: .draft, by: user, at: F.t0)

            let t1 = F.t0.addingTimeInterval(3600)
            let after = Self.fullInput(organisation: organisations[1])
            try await repository.update(id: created.id, input: after, status: .returned,
                                        reviewComment: "Proszę poprawić liczbę uczestników.", at: t1)
            let updated = try #require(try await repository.record(id: created.id))
            #expect(updated == ActivityRecord(id: created.id, programmeSlug: Self.slug, input: after, status: .returned,
                                              reviewComment: "Proszę poprawić liczbę uczestników.", createdBy: user,
                                              createdAt: F.t0, updatedAt: t1))

            // The derived columns follow: it is now a record of Q4 2025, no longer of 2024.
            func count(_ filter: ActivityFilter) async throws -> Int { try await repository.count(filter) }
            #expect(try await count(ActivityFilter(programmeSlug: Self.slug, year: 2025, quarter: 4)) == 1)
            #expect(try await count(ActivityFilter(programmeSlug: Self.slug, year: 2024)) == 0)
            #expect(try await count(ActivityFilter(programmeSlug: Self.slug, district: .some(nil))) == 1)
            #expect(try await count(ActivityFilter(programmeSlug: Self.slug, district: .some(F.district(1)))) == 0)

            // Approving clears the comment; now it counts, under its new task and institution key.
            let t2 = t1.addingTimeInterval(60)
            try await repository.update(id: created.id, input: after, status: .approved, reviewComment: nil, at: t2)
            let approved = try #require(try await repository.record(id: created.id))
            #expect(approved.status == .approved && approved.reviewComment == nil && approved.updatedAt == t2)
            let schools = MeasureRule(taskCode: "6.3", aggregate: .distinctInstitutions)
            func total(_ rule: MeasureRule, _ year: Int) async throws -> Double {
                try await aggregator.values(AggregateQuery(programmeSlug: Self.slug, rule: rule, years: year...year,
                                                           grouping: .total))[.total] ?? 0
            }
            #expect(try await total(schools, 2025) == 1)
            #expect(try await total(MeasureRule(taskCode: "5.1", aggregate: .count), 2024) == 0)

            // An institution removed by an edit is no longer counted.
            var noSchool = after
            noSchool.institution = nil
            try await repository.update(id: created.id, input: noSchool, status: .approved, reviewComment: nil, at: t2)
            #expect(try await total(schools, 2025) == 0)
            #expect(try await total(MeasureRule(taskCode: "6.3", aggregate: .count), 2025) == 1)
        }
    }

    // MARK: Lists

    /// What `list` must return for `filter`, worked out in Swift from the records.
    static func expected(_ filter: ActivityFilter, in records: [ActivityRecord]) -> [ActivityRecord] {
        records.filter { r in
            r.programmeSlug == filter.programmeSlug
                && filter.statuses.contains(r.status)
                && (filter.organisationID.map { $0 == r.organisationID } ?? true)
                && (filter.taskCode.map { $0 == r.taskCode } ?? true)
                && (filter.year.map { $0 == r.year } ?? true)
                && (filter.quarter.map { $0 == r.quarter } ?? true)
                && (filter.district.map { $0 == r.district } ?? true)
                && (filter.rule.map { $0.matches(r) } ?? true)
        }.sorted { ($0.startDate, $0.id) > ($1.startDate, $1.id) }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func listFiltersOrdersAndPages(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisations = try await F.organisations(database, count: 3)
            var rng = SeededRandom(seed: 7)
            // Few dates, so many records share a start date and the id decides their order.
            let dates = ["2024-03-31", "2024-04-01", "2024-12-31", "2025-01-01", "2025-06-15", "2025-06-15",
                         "2025-09-30", "2025-10-01", "2026-02-28"].map(F.day)
            var records: [ActivityRecord] = []
            for i in 0..<160 {
                let input = ActivityInput(
                    taskCode: rng.pick(["1.1", "4.1", "5.4", "6.3"]), kind: rng.pick([.event, .training, .workshop, .meeting]),
                    title: "Rekord \(i)", startDate: rng.pick(dates), organisationID: rng.pick(organisations),
                    district: rng.chance(0.4) ? nil : F.district(rng.pick([1, 3, 18])), participants: i,
                    audiences: Set(Audience.allCases.filter { _ in rng.chance(0.2) }))
                let slug = i % 10 == 9 ? "inny-program" : Self.slug
                records.append(try await repository.create(programmeSlug: slug, input: input,
                                                           status: rng.pick(ActivityStatus.allCases), by: nil, at: F.t0))
            }

            let teachersTraining = MeasureRule(taskCode: "5.4", aggregate: .count, kinds: [.training, .workshop],
                                               audiences: [.teachers, .parents])
            let filters: [ActivityFilter] = [
                ActivityFilter(programmeSlug: Self.slug),
                ActivityFilter(programmeSlug: "inny-program"),
                ActivityFilter(programmeSlug: "nie-ma-takiego"),
                ActivityFilter(programmeSlug: Self.slug, statuses: [.approved]),
                ActivityFilter(programmeSlug: Self.slug, statuses: [.draft, .returned]),
                ActivityFilter(programmeSlug: Self.slug, statuses: [.submitted, .approved, .returned]),
                ActivityFilter(programmeSlug: Self.slug, statuses: []),
                ActivityFilter(programmeSlug: Self.slug, organisationID: organisations[1]),
                ActivityFilter(programmeSlug: Self.slug, statuses: [.approved], organisationID: organisations[2]),
                ActivityFilter(programmeSlug: Self.slug, taskCode: "4.1"),
                ActivityFilter(programmeSlug: Self.slug, taskCode: "9.9"),
                ActivityFilter(programmeSlug: Self.slug, year: 2025),
                ActivityFilter(programmeSlug: Self.slug, year: 2025, quarter: 2),
                ActivityFilter(programmeSlug: Self.slug, year: 2024, quarter: 1),
                ActivityFilter(programmeSlug: Self.slug, quarter: 4),
                ActivityFilter(programmeSlug: Self.slug, district: .some(F.district(3))),
                ActivityFilter(programmeSlug: Self.slug, district: .some(nil)),
                ActivityFilter(programmeSlug: Self.slug, year: 2025, district: .some(nil)),
                ActivityFilter(programmeSlug: Self.slug, rule: teachersTraining),
                ActivityFilter(programmeSlug: Self.slug, rule: MeasureRule(taskCode: "4.1", aggregate: .count, kinds: [.event])),
                // The records behind a distinct-institution count: all that match, also those that
                // name no institution (the engine's own count reads only those that name one).
                ActivityFilter(programmeSlug: Self.slug, rule: MeasureRule(taskCode: "4.1", aggregate: .distinctInstitutions, kinds: [.event])),
                ActivityFilter(programmeSlug: Self.slug, rule: MeasureRule(taskCode: "6.3", aggregate: .sum(.participants),
                                                                           audiences: [.cityOffice, .municipalGuard])),
                ActivityFilter(programmeSlug: Self.slug, statuses: [.approved], organisationID: organisations[0],
                               taskCode: "5.4", year: 2025, district: .some(F.district(18)), rule: teachersTraining),
            ]
            var nonEmpty = 0
            for filter in filters {
                let expected = Self.expected(filter, in: records)
                let listed = try await repository.list(filter, limit: 1000, offset: 0)
                #expect(listed.map(\.id) == expected.map(\.id), "\(filter)")
                #expect(listed == expected)
                #expect(try await repository.count(filter) == expected.count, "\(filter)")
                if !expected.isEmpty { nonEmpty += 1 }

                // Pages of 7 put together are the whole list, in the same order.
                var paged: [ActivityID] = []
                var offset = 0
                while true {
                    let page = try await repository.list(filter, limit: 7, offset: offset)
                    #expect(page.count <= 7)
                    paged += page.map(\.id)
                    if page.count < 7 { break }
                    offset += 7
                }
                #expect(paged == expected.map(\.id), "\(filter) paged")
            }
            #expect(nonEmpty >= filters.count - 4, "the filters select something")

            // Order by start date, newest first; the same day by id, newest first.
            let all = try await repository.list(ActivityFilter(programmeSlug: Self.slug), limit: 1000, offset: 0)
            #expect(all.count == 144)
            #expect(zip(all, all.dropFirst()).allSatisfy { a, b in a.startDate > b.startDate || (a.startDate == b.startDate && a.id > b.id) })
            #expect(try await repository.list(ActivityFilter(programmeSlug: Self.slug), limit: 10, offset: 140).count == 4)
            #expect(try await repository.list(ActivityFilter(programmeSlug: Self.slug), limit: 10, offset: 144).isEmpty)
        }
    }

    // MARK: Import

    @Test(arguments: DatabaseEngine.allCases)
    func importAllCreatesMissingOrganisationsOnceAndReportsProgress(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisationRepository = SQLOrganisationRepository(database: database)
            let office = try await organisationRepository.create(name: "Urząd Miasta Krakowa", kind: .cityOfficeUnit)
            let user = try await F.user(database)

            let names: [String?] = [nil, nil, "Fundacja Nowa", "Stowarzyszenie Inne", "Urząd Miasta Krakowa"]
            let pending = (0..<1_234).map { i in
                PendingActivity(
                    input: ActivityInput(taskCode: "4.1", kind: .event, title: "Wydarzenie \(i)",
                                         startDate: F.day("2025-05-\(10 + i % 10)"), organisationID: office.id,
                                         participants: i),
                    newOrganisationName: names[i % names.count])
            }
            let progress = LockedBox<[Int]>([])
            let outcome = try await repository.importAll(programmeSlug: Self.slug, records: pending, newOrganisationKind: .ngo,
                                                         status: .submitted, by: user, at: F.t0,
                                                         progress: { n in progress.mutate { $0.append(n) } })
            #expect(outcome.records == 1_234)
            #expect(outcome.organisationsCreated.sorted() == ["Fundacja Nowa", "Stowarzyszenie Inne"])

            let organisations = try await organisationRepository.all()
            #expect(organisations.map(\.name).sorted() == ["Fundacja Nowa", "Stowarzyszenie Inne", "Urząd Miasta Krakowa"])
            #expect(organisations.first { $0.name == "Fundacja Nowa" }?.kind == .ngo)
            #expect(organisations.first { $0.name == "Urząd Miasta Krakowa" }?.kind == .cityOfficeUnit)

            // Each record belongs to the organisation it named (or to the one given by id).
            for organisation in organisations {
                let expected = pending.filter { ($0.newOrganisationName ?? "Urząd Miasta Krakowa") == organisation.name }
                let listed = try await repository.list(ActivityFilter(programmeSlug: Self.slug, organisationID: organisation.id),
                                                       limit: 10_000, offset: 0)
                #expect(Set(listed.map(\.title)) == Set(expected.map(\.input.title)), "\(organisation.name)")
            }
            let stored = try await repository.list(ActivityFilter(programmeSlug: Self.slug), limit: 10_000, offset: 0)
            #expect(stored.count == 1_234)
            #expect(stored.allSatisfy { $0.status == .submitted && $0.createdBy == user && $0.createdAt == F.t0 })
            let byTitle = Dictionary(uniqueKeysWithValues: stored.map { ($0.title, $0) })
            #expect(byTitle["Wydarzenie 1233"]?.participants == 1233)
            #expect(byTitle["Wydarzenie 7"]?.startDate == F.day("2025-05-17"))

            let heard = progress.value
            #expect(!heard.isEmpty)
            #expect(heard.last == 1_234)
            #expect(zip(heard, heard.dropFirst()).allSatisfy { $0 < $1 }, "progress only grows: \(heard)")
            #expect(heard.allSatisfy { $0 > 0 && $0 <= 1_234 })

            // A second import naming the same organisations creates none.
            let again = try await repository.importAll(programmeSlug: Self.slug, records: Array(pending.prefix(5)),
                                                       newOrganisationKind: .otherPartner, status: .draft, by: nil,
                                                       at: F.t0, progress: { _ in })
            #expect(again == ImportOutcome(records: 5, organisationsCreated: []))
            #expect(try await organisationRepository.all().count == 3)

            // Nothing to import: nothing happens.
            #expect(try await repository.importAll(programmeSlug: Self.slug, records: [], newOrganisationKind: .ngo,
                                                   status: .draft, by: nil, at: F.t0, progress: { _ in })
                        == ImportOutcome(records: 0, organisationsCreated: []))
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func importAllIsAllOrNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let repository = SQLActivityRepository(database: database)
            let organisationRepository = SQLOrganisationRepository(database: database)
            let office = try await organisationRepository.create(name: "Urząd Miasta Krakowa", kind: .cityOfficeUnit)
            _ = try await repository.create(programmeSlug: Self.slug,
                                            input: ActivityInput(taskCode: "1.1", kind: .event, title: "Było wcześniej",
                                                             startDate: F.day("2025-01-01"), organisationID: office.id),
                                        status: .approved, by: nil, at: F.t0)
            let organisationsBefore = try await organisationRepository.all()

            var pending = (0..<1_000).map { i in
                PendingActivity(input: ActivityInput(taskCode: "4.1", kind: .event, title: "Wydarzenie \(i)",
                                                     startDate: F.day("2025-05-10"), organisationID: office.id),
                                newOrganisationName: i % 3 == 0 ? "Fundacja Widmo" : nil)
            }
            // The 700th record names an organisation that does not exist: the foreign key refuses it,
            // after the first chunk of rows has already been inserted.
            pending[699].newOrganisationName = nil
            pending[699].input.organisationID = office.id + 987_654
            await #expect(throws: (any Error).self) {
                _ = try await repository.importAll(programmeSlug: Self.slug, records: pending, newOrganisationKind: .ngo,
                                                   status: .approved, by: nil, at: F.t0, progress: { _ in })
            }
            #expect(try await F.rowCount(database, "activities") == 1)
            #expect(try await repository.count(ActivityFilter(programmeSlug: Self.slug)) == 1)
            #expect(try await organisationRepository.all() == organisationsBefore)
            #expect(try await organisationRepository.organisation(named: "Fundacja Widmo") == nil)

            // The database is usable afterwards, and the corrected batch goes in whole.
            pending[699].input.organisationID = office.id
            let outcome = try await repository.importAll(programmeSlug: Self.slug, records: pending, newOrganisationKind: .ngo,
                                                         status: .approved, by: nil, at: F.t0, progress: { _ in })
            #expect(outcome == ImportOutcome(records: 1_000, organisationsCreated: ["Fundacja Widmo"]))
            #expect(try await repository.count(ActivityFilter(programmeSlug: Self.slug)) == 1_001)
        }
    }
}
