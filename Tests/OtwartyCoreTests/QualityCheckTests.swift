import Foundation
import OtwartyCore
import Testing

/// The review queue's data-quality flags (issue 13), on hand-made records: what flags, and what
/// must not.
@Suite struct QualityCheckTests {
    static let day = CalendarDate(year: 2026, month: 6, day: 13)!

    static func record(_ id: ActivityID, org: OrganisationID, title: String, task: String = "4.1", kind: ActivityKind = .event,
                       date: CalendarDate = day, district: Int? = 18, participants: Int? = nil, beneficiaries: Int? = nil,
                       status: ActivityStatus = .submitted) -> ActivityRecord {
        ActivityRecord(id: id, programmeSlug: "p", taskCode: task, kind: kind, title: title, startDate: date, organisationID: org,
                       district: district.flatMap(District.init(number:)), participants: participants,
                       beneficiaries: beneficiaries, status: status)
    }

    // MARK: Titles

    @Test func titlesAreComparedByTheirFoldedLongerWords() {
        // "Festyn „Sąsiedzi z całego świata”" → {festyn, sasiedzi, calego, swiata} ("z" is too short);
        // "Sąsiedzi z całego świata – festyn w Nowej Hucie" → the same four + {nowej, hucie}:
        // 4 shared of 6 distinct = 0.67 ≥ 0.5.
        #expect(QualityCheck.titleWords("Festyn „Sąsiedzi z całego świata”") == ["festyn", "sasiedzi", "calego", "swiata"])
        #expect(QualityCheck.similarTitles("Festyn „Sąsiedzi z całego świata”", "Sąsiedzi z całego świata – festyn w Nowej Hucie"))
        // {warsztaty, kulinarne} and {warsztaty, jezykowe}: 1 shared of 3 = 0.33 < 0.5.
        #expect(!QualityCheck.similarTitles("Warsztaty kulinarne", "Warsztaty językowe"))
        // Every word of one in the other: one organisation wrote less.
        #expect(QualityCheck.similarTitles("Festyn", "Festyn rodzinny na Plantach"))
        // {dzien, kultury, ukrainskiej} and {dzien, kultury, gruzinskiej}: 2 of 4 = 0.5, just similar.
        #expect(QualityCheck.similarTitles("Dzień kultury ukraińskiej", "Dzień kultury gruzińskiej"))
        // Case, diacritics and "ł" do not matter.
        #expect(QualityCheck.similarTitles("SPOTKANIE ŁĄCZY", "spotkanie laczy"))
        // Nothing of three letters: no basis to compare.
        #expect(!QualityCheck.similarTitles("Dzień", "W i z"))
    }

    // MARK: Duplicates

    @Test func aSimilarRecordOfAnotherOrganisationTheSameDayTaskAndDistrictIsFlagged() {
        let checked = Self.record(1, org: 10, title: "Festyn „Sąsiedzi z całego świata”")
        let approved = Self.record(2, org: 20, title: "Sąsiedzi z całego świata – festyn w Nowej Hucie", status: .approved)
        let submitted = Self.record(3, org: 30, title: "Festyn Sąsiedzi", status: .submitted)
        let draft = Self.record(4, org: 40, title: "Festyn Sąsiedzi z całego świata", status: .draft)
        let inputs = QualityInputs(candidates: [checked, approved, submitted, draft].map(DuplicateCandidate.init))
        let flags = QualityCheck.flags(for: [checked], inputs: inputs)
        // The approved and the submitted one; a draft is not yet reported, the record is not its own duplicate.
        #expect(flags[1] == [.possibleDuplicate([DuplicateCandidate(approved), DuplicateCandidate(submitted)])])
        #expect(flags[1]?.first?.relatedRecordIDs == [2, 3])
        #expect(flags[1]?.first?.messageKey == "quality.possible-duplicate.text")
    }

    @Test func bothCityWideCountsAsTheSameDistrict() {
        let checked = Self.record(1, org: 10, title: "Konferencja o wielokulturowości", district: nil)
        let other = Self.record(2, org: 20, title: "Konferencja o wielokulturowości", district: nil, status: .approved)
        let flags = QualityCheck.flags(for: [checked], inputs: QualityInputs(candidates: [DuplicateCandidate(other)]))
        #expect(flags[1]?.map(\.kind) == [.possibleDuplicate])
    }

    @Test func whatIsNotADuplicate() {
        let checked = Self.record(1, org: 10, title: "Festyn Sąsiedzi z całego świata")
        let others: [ActivityRecord] = [
            // Same title, another district.
            Self.record(2, org: 20, title: "Festyn Sąsiedzi z całego świata", district: 14, status: .approved),
            // Same title, city-wide against district XVIII.
            Self.record(3, org: 20, title: "Festyn Sąsiedzi z całego świata", district: nil, status: .approved),
            // Same organisation (two records of one organisation are its own business: not co-organising).
            Self.record(4, org: 10, title: "Festyn Sąsiedzi z całego świata", status: .approved),
            // Another task.
            Self.record(5, org: 20, title: "Festyn Sąsiedzi z całego świata", task: "4.2", status: .approved),
            // Another day.
            Self.record(6, org: 20, title: "Festyn Sąsiedzi z całego świata", date: CalendarDate(year: 2026, month: 6, day: 14)!,
                        status: .approved),
            // A different title (1 of 5 words shared: 0.2).
            Self.record(7, org: 20, title: "Festyn szkolny", status: .approved),
            // Returned: sent back, not reported as it stands.
            Self.record(8, org: 20, title: "Festyn Sąsiedzi z całego świata", status: .returned),
        ]
        let flags = QualityCheck.flags(for: [checked], inputs: QualityInputs(candidates: others.map(DuplicateCandidate.init)))
        #expect(flags.isEmpty)
    }

    // MARK: Frozen year

    @Test func aRecordDatedInAFrozenYearIsFlaggedWithTheLatestVersion() {
        let frozenAt = Date(timeIntervalSince1970: 1_768_000_000)
        let versions = [
            ReportVersion(id: 1, programmeSlug: "p", year: 2025, number: 1, frozenAt: Date(timeIntervalSince1970: 1_767_000_000),
                          frozenBy: nil, digests: [:]),
            ReportVersion(id: 2, programmeSlug: "p", year: 2025, number: 2, frozenAt: frozenAt, frozenBy: nil, digests: [:]),
        ]
        let in2025 = Self.record(1, org: 10, title: "Spotkanie", date: CalendarDate(year: 2025, month: 12, day: 30)!)
        let in2026 = Self.record(2, org: 10, title: "Spotkanie", date: CalendarDate(year: 2026, month: 1, day: 2)!)
        let flags = QualityCheck.flags(for: [in2025, in2026], inputs: QualityInputs(versions: versions))
        #expect(flags[1] == [.frozenYear(year: 2025, version: 2, frozenAt: frozenAt)])
        #expect(flags[2] == nil) // 2026 has no frozen report
    }

    @Test func onlySubmittedRecordsAreChecked() {
        let versions = [ReportVersion(id: 1, programmeSlug: "p", year: 2026, number: 1, frozenAt: Date(), frozenBy: nil, digests: [:])]
        let approved = Self.record(1, org: 10, title: "Spotkanie", status: .approved)
        let draft = Self.record(2, org: 10, title: "Spotkanie", status: .draft)
        #expect(QualityCheck.flags(for: [approved, draft], inputs: QualityInputs(versions: versions)).isEmpty)
    }

    // MARK: Unusual counts

    @Test func theProfileIsTakenAtNearestRanks() {
        // 20 values 1…20: median at rank ⌈0.5·20⌉ = 10 → 10; 99th at ⌈0.99·20⌉ = ⌈19.8⌉ = 20 → 20.
        #expect(CountProfile(values: Array(1...20).shuffled()) == CountProfile(records: 20, median: 10, percentile99: 20))
        // 201 values 0…200: median at rank 101 → 100; 99th at ⌈198.99⌉ = 199 → 198.
        #expect(CountProfile(values: Array(0...200)) == CountProfile(records: 201, median: 100, percentile99: 198))
        #expect(CountProfile.rank(99, of: 100) == 99)
        #expect(CountProfile.rank(50, of: 1) == 1)
        #expect(CountProfile(values: []) == nil)
    }

    @Test func aCountAboveTenTimesTheMedianAndThe99thPercentileIsFlagged() {
        // 30 workshops: 29 with 12…40 participants, one with 150. Sorted, rank ⌈15⌉ = 15 is 26
        // (12 + 14), rank ⌈29.7⌉ = 30 is 150. Threshold max(10 × 26, 150) = 260.
        let values = Array(12...40) + [150]
        let profile = CountProfile(values: values)!
        #expect(profile == CountProfile(records: 30, median: 26, percentile99: 150))
        #expect(profile.threshold == 260)
        let profiles: CountProfiles = [.workshop: [.participants: profile]]
        let huge = Self.record(1, org: 10, title: "Warsztaty", kind: .workshop, participants: 2_600)
        let atThreshold = Self.record(2, org: 10, title: "Warsztaty", kind: .workshop, participants: 260)
        let usualBig = Self.record(3, org: 10, title: "Warsztaty", kind: .workshop, participants: 150)
        let flags = QualityCheck.flags(for: [huge, atThreshold, usualBig], inputs: QualityInputs(profiles: profiles))
        #expect(flags[1] == [.unusualCount(field: .participants, value: 2_600, threshold: 260, median: 26, records: 30)])
        #expect(flags[1]?.first?.messageKey == "quality.unusual-count.participants")
        #expect(flags[2] == nil) // at the threshold is not above it
        #expect(flags[3] == nil)
    }

    @Test func theNinetyNinthPercentileKeepsAVariedKindFromFlagging() {
        // 100 events: 97 with 10, three festivals with 500, 800, 900. Median (rank 50) 10, 99th
        // percentile (rank 99) 800: threshold max(100, 800) = 800, so a 700-person festival is usual.
        let profile = CountProfile(values: Array(repeating: 10, count: 97) + [500, 800, 900])!
        #expect(profile.threshold == 800)
        let festival = Self.record(1, org: 10, title: "Festiwal", beneficiaries: 700)
        let flags = QualityCheck.flags(for: [festival], inputs: QualityInputs(profiles: [.event: [.beneficiaries: profile]]))
        #expect(flags.isEmpty)
    }

    @Test func aKindWithFewerThanTwentyRecordsHasNoThreshold() {
        // 19 consultations with 1 each: too few to say what is usual.
        let profile = CountProfile(values: Array(repeating: 1, count: 19))!
        #expect(profile.threshold == nil)
        let record = Self.record(1, org: 10, title: "Konsultacje", kind: .consultation, participants: 10_000)
        #expect(QualityCheck.flags(for: [record], inputs: QualityInputs(profiles: [.consultation: [.participants: profile]])).isEmpty)
    }

    @Test func anotherKindsProfileDoesNotApply() {
        let profile = CountProfile(values: Array(repeating: 5, count: 40))!
        let training = Self.record(1, org: 10, title: "Szkolenie", kind: .training, participants: 500)
        #expect(QualityCheck.flags(for: [training], inputs: QualityInputs(profiles: [.workshop: [.participants: profile]])).isEmpty)
    }

    // MARK: Products

    @Test func aDeliveredProductWithoutEvidenceIsFlagged() {
        let day = CalendarDate(year: 2025, month: 11, day: 30)!
        let products = [
            ProductRecord(programmeSlug: "p", taskCode: "5.5", index: 0, status: .delivered, deliveredOn: day),
            ProductRecord(programmeSlug: "p", taskCode: "2.2", index: 1, status: .delivered, deliveredOn: day,
                          evidence: .document(id: 4)),
            ProductRecord(programmeSlug: "p", taskCode: "2.2", index: 0, status: .delivered, deliveredOn: day,
                          evidence: .link(url: "https://example.org/raport", isPublic: false)),
            ProductRecord(programmeSlug: "p", taskCode: "1.1", index: 0, status: .inProgress),
            ProductRecord(programmeSlug: "p", taskCode: "1.1", index: 2, status: .delivered, deliveredOn: day),
        ]
        // Evidence of either kind clears it; in progress is not delivered. In the programme's order.
        #expect(QualityCheck.productFlags(products) == [
            .productWithoutEvidence(taskCode: "1.1", index: 2, deliveredOn: day),
            .productWithoutEvidence(taskCode: "5.5", index: 0, deliveredOn: day),
        ])
        #expect(QualityCheck.productFlags(products).first?.kind == .productWithoutEvidence)
    }
}
