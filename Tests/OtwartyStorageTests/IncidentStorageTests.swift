import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

@Suite struct IncidentStorageTests {
    typealias F = ActivityFixtures

    static func incident(_ code: String, received: String = "2026-03-01", occurred: String? = "2026-02-27",
                         status: IncidentStatus = .received) -> StoredIncident {
        StoredIncident(metadata: IncidentMetadata(caseCode: code, receivedOn: F.day(received), occurredOn: occurred.map(F.day),
                                                  district: F.district(4), category: .onlineHate, motivations: [.religion, .skinColour],
                                                  reporterRole: .onBehalf, policeInformed: .unknown, language: "ru",
                                                  consentToContact: true, status: status),
                       passphraseDigest: String(repeating: "a", count: 64), sealedNarrative: "v1:n", sealedPlace: nil, sealedContact: "v1:c")
    }

    /// Issue 12: the queue's search by code fragment and its order, how a case ended (kept out of
    /// the facts' count when spam, a test or a duplicate), and the help contacts with their seeds.
    @Test(arguments: DatabaseEngine.allCases)
    func queueOutcomesAndHelpContacts(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let incidents = SQLIncidentRepository(database: database)
            let first = try await incidents.create(Self.incident("KR-7QX4-M9PT", received: "2026-03-01"), grants: [])
            let second = try await incidents.create(Self.incident("KR-ABCD-EFGH", received: "2026-03-04"), grants: [])
            func ids(_ text: String, oldestFirst: Bool = true, statuses: Set<IncidentStatus> = []) async throws -> [IncidentID] {
                try await incidents.queue(IncidentQueueQuery(statuses: statuses, codeFragment: IncidentQueueQuery.codeFragment(from: text),
                                                             oldestFirst: oldestFirst)).map(\.id)
            }
            #expect(try await ids("") == [first, second])
            #expect(try await ids("", oldestFirst: false) == [second, first])
            for typed in ["KR-7QX4-M9PT", "kr-7qx4-m9pt", "7QX4M9PT", "7qx4-m9pt", "X4M9", "kr 7qx4"] {
                #expect(try await ids(typed) == [first], "\(typed)")
            }
            #expect(try await ids("cdef") == [second], "across the dash")
            #expect(try await ids("7QX4", statuses: [.closed]).isEmpty)
            #expect(IncidentQueueQuery.codeFragment(from: "%';") == nil && IncidentQueueQuery.codeFragment(from: "KR-7QX4-M9PT-X") == nil)

            var stored = try #require(try await incidents.incident(id: first))
            stored.status = .closed
            stored.classification = .crime
            stored.outcomeKind = .duplicate
            stored.duplicateOf = "KR-ABCD-EFGH"
            try await incidents.update(stored)
            #expect(try await incidents.incident(id: first) == stored)
            let facts = try await incidents.facts(year: 2026)
            #expect(facts.count == 2 && facts.contains { $0.outcome == .duplicate && !$0.countsInPublicFigures })

            // Migration 16 seeds 112 (public) and two examples without numbers (never public).
            let contacts = SQLHelpContactRepository(database: database)
            let seeded = try await contacts.all()
            #expect(seeded.count == 3 && seeded.filter(\.isPublished).map(\.phone) == ["112"])
            #expect(seeded.filter(\.isExample).allSatisfy { $0.phone.isEmpty && $0.name(in: "uk").contains("ПРИКЛАД") })
            let added = try await contacts.save(HelpContact(position: 5, names: ["pl": "Poradnia", "ru": "Консультация"], phone: "+48 12 1",
                                                            hours: ["pl": "pn"], languagesSpoken: "polski"))
            #expect(try await contacts.all().first == added && added.name(in: "ru") == "Консультация" && added.name(in: "en") == "Poradnia")
            var changed = added
            changed.isExample = true
            changed.names["en"] = "Legal aid"
            #expect(try await contacts.save(changed) == changed)
            try await contacts.delete(id: added.id)
            #expect(try await contacts.contact(id: added.id) == nil)
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func casesEventsPurgeAndFacts(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let incidents = SQLIncidentRepository(database: database)
            let user = try await F.user(database)
            let id = try await incidents.create(Self.incident("KR-AAAA-0001"), grants: [])
            var stored = try #require(try await incidents.incident(id: id))
            var expected = Self.incident("KR-AAAA-0001")
            expected.id = id
            #expect(stored == expected)
            #expect(try await incidents.incident(caseCode: "KR-AAAA-0001") == expected)
            await #expect(throws: DomainError.self) { _ = try await incidents.create(Self.incident("KR-AAAA-0001"), grants: []) }

            stored.status = .closed
            stored.classification = .hateSpeech
            stored.category = .threat
            // Triage corrects the district and the motivations; the statistics use them.
            stored.district = F.district(9)
            stored.motivations = [.language, .ethnicity]
            stored.closedOn = F.day("2026-03-10")
            stored.sealedOutcome = "v1:o"
            try await incidents.update(stored)
            #expect(try await incidents.incident(id: id) == stored)
            try await incidents.addEvent(StoredIncidentEvent(incidentID: id, kind: .referral, on: F.day("2026-03-05"), sealedText: "v1:e",
                                                             referral: .ombudsman, isPublic: true, by: user))
            try await incidents.addEvent(StoredIncidentEvent(incidentID: id, kind: .reporterNote, on: F.day("2026-03-06"), sealedText: "v1:f"))
            #expect(try await incidents.events(incidentID: id).map(\.kind) == [.referral, .reporterNote])
            #expect(try await incidents.events(incidentID: id).first?.referral == .ombudsman)

            let open = try await incidents.create(Self.incident("KR-AAAA-0002", received: "2025-12-30", occurred: nil), grants: [])
            #expect(try await incidents.list(statuses: [.received], limit: 10, offset: 0).map(\.id) == [open])
            #expect(try await incidents.list(statuses: [], limit: 10, offset: 0).map(\.id) == [open, id])

            // Facts by the statistics year: occurrence date, else the day received.
            #expect(try await incidents.facts(year: 2026).map(\.category) == [.threat])
            #expect(try await incidents.facts(year: 2026).map(\.district) == [F.district(9)])
            #expect(try await incidents.facts(year: 2026).map(\.motivations) == [[.language, .ethnicity]])
            #expect(try await incidents.facts(year: 2025).map(\.date) == [F.day("2025-12-30")])

            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-09"), today: F.day("2027-03-09")) == 0)
            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-10"), today: F.day("2027-03-10")) == 1)
            #expect(try await incidents.purge(closedOnOrBefore: F.day("2026-03-10"), today: F.day("2027-03-11")) == 0, "once only")
            let purged = try #require(try await incidents.incident(id: id))
            #expect(purged.purgedOn == F.day("2027-03-10") && purged.sealedNarrative == nil && purged.sealedContact == nil
                    && purged.sealedOutcome == nil)
            #expect(try await incidents.events(incidentID: id).allSatisfy { $0.sealedText == nil })
            #expect(try await incidents.incident(id: open)?.sealedNarrative == "v1:n")
        }
    }

    @Test(arguments: DatabaseEngine.allCases)
    func policeStatisticsReplaceTheirYearsAndRiskDetailsUpsert(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let police = SQLPoliceStatisticsRepository(database: database)
            let a = PoliceStatistic(year: 2024, district: F.district(1), offenceCategory: "art. 257", count: 3)
            let b = PoliceStatistic(year: 2025, district: nil, offenceCategory: "art. 119", count: 5)
            try await police.replace(years: [2024, 2025], with: [a, b])
            let c = PoliceStatistic(year: 2025, district: F.district(2), offenceCategory: "art. 256", count: 1)
            try await police.replace(years: [2025], with: [c])
            #expect(try await police.rows(years: 2024...2025) == [a, c])
            #expect(try await police.years() == [2024, 2025])

            let details = SQLRiskDetailsRepository(database: database)
            let first = RiskDetails(programmeSlug: "p", number: 7, added: .init(goal: 6, name: "Nowe", score: 5, response: .tolerate,
                                                                               responseDetail: "d"),
                                    owner: "Biuro", linkedTasks: ["6.1", "6.2"], reviewEveryMonths: 3)
            try await details.save(first)
            var changed = first
            changed.owner = "Wydział"
            try await details.save(changed)
            try await details.save(RiskDetails(programmeSlug: "p", number: 1, owner: "X"))
            #expect(try await details.details(programme: "p") == [RiskDetails(programmeSlug: "p", number: 1, owner: "X"), changed])
            #expect(try await details.details(programme: "q").isEmpty)
        }
    }
}
