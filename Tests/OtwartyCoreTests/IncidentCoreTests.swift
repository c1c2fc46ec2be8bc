import Crypto
import Foundation
import OtwartySuppression
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite("Incident reports: credentials, sealing, statistics, police data, register")
struct IncidentCoreTests {
    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    @Test func credentialsAreWellFormedAndCheckedInConstantForm() {
        var codes: Set<String> = []
        for _ in 0..<200 {
            let c = CaseCredentials.generate()
            #expect(c.caseCode.wholeMatch(of: /KR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/) != nil)
            #expect(c.passphrase.wholeMatch(of: /([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}/) != nil)
            codes.insert(c.caseCode)
            let digest = CaseCredentials.digest(passphrase: c.passphrase, caseCode: c.caseCode)
            #expect(CaseCredentials.matches(passphrase: c.passphrase.lowercased(), caseCode: c.caseCode, digest: digest))
            #expect(!CaseCredentials.matches(passphrase: c.passphrase + "X", caseCode: c.caseCode, digest: digest))
            #expect(!CaseCredentials.matches(passphrase: c.passphrase, caseCode: "KR-0000-0000", digest: digest))
        }
        #expect(codes.count > 195, "codes are random")
        #expect(CaseCredentials.canonicalCode(" kr 7qx4-m9pt ") == "KR-7QX4-M9PT")
        #expect(CaseCredentials.canonicalCode("KR-7QX4-M9P") == nil)
        #expect(CaseCredentials.canonicalCode("XX-7QX4-M9PT") == nil)
        #expect(CaseCredentials.canonicalCode("KR-7QX4-MOPT") == "KR-7QX4-M0PT", "O read as zero")
    }

    @Test func sealedTextOpensOnlyWithItsKeyAndContext() throws {
        let cipher = FieldCipher(key: SymmetricKey(size: .bits256))
        let sealed = try cipher.seal("Zażółć <gęślą> jaźń", context: "KR-AAAA-BBBB/narrative")
        #expect(sealed.hasPrefix("v1:") && !sealed.contains("Zażółć"))
        #expect(try cipher.open(sealed, context: "KR-AAAA-BBBB/narrative") == "Zażółć <gęślą> jaźń")
        #expect(throws: (any Error).self) { try cipher.open(sealed, context: "KR-AAAA-BBBB/contact") }
        #expect(throws: (any Error).self) { try cipher.open(sealed, context: "KR-CCCC-DDDD/narrative") }
        let other = FieldCipher(key: SymmetricKey(size: .bits256))
        #expect(throws: (any Error).self) { try other.open(sealed, context: "KR-AAAA-BBBB/narrative") }
        #expect(try cipher.seal("x", context: "c") != (try cipher.seal("x", context: "c")), "a fresh nonce each time")
        // Keys: base64 text (with a newline) or 32 raw bytes; anything else is refused by name.
        let base64 = FieldCipher.newKeyBase64()
        _ = try FieldCipher.key(from: Data((base64 + "\n").utf8), source: "file")
        _ = try FieldCipher.key(from: Data(repeating: 7, count: 32), source: "file")
        #expect(throws: FieldCipher.KeyError.malformed("OTWARTY_INCIDENT_KEY")) {
            _ = try FieldCipher.key(from: Data("short".utf8), source: "OTWARTY_INCIDENT_KEY")
        }
    }

    @Test func aReportIsChecked() {
        let today = Self.day("2026-09-21")
        var report = IncidentReport(narrative: "x", occurredOn: Self.day("2026-09-20"), district: nil, place: "", category: .threat,
                                    motivations: [.religion], reporterRole: .victim, policeInformed: .no, contact: "",
                                    consentToContact: false, language: "pl")
        #expect(report.problems(today: today).isEmpty)
        report.narrative = "  "
        report.occurredOn = Self.day("2026-09-22")
        report.motivations = []
        report.consentToContact = true
        #expect(report.problems(today: today).map(\.field) == ["narrative", "occurredOn", "motivation", "contact"])
        report.occurredOn = Self.day("2020-01-01")
        #expect(report.problems(today: today).map(\.field).contains("occurredOn"))
    }

    @Test func monthsAreAddedWithinTheCalendar() {
        #expect(Self.day("2026-01-31").addingMonths(1) == Self.day("2026-02-28"))
        #expect(Self.day("2026-03-15").addingMonths(-12) == Self.day("2025-03-15"))
        #expect(Self.day("2026-01-10").addingMonths(-1) == Self.day("2025-12-10"))
        #expect(Self.day("2024-02-29").addingMonths(12) == Self.day("2025-02-28"))
    }

    /// The property the issue asks for, on random case data through the whole statistics path:
    /// no shown figure is 1–9, every shown figure is true, no list shows a lone hidden cell beside
    /// its total, and the lists that share a total agree on hiding it.
    @Test func statisticsNeverShowASmallCountOnRandomData() {
        var random = SeededRandom(seed: 20_261_125)
        for round in 0..<400 {
            let size = Int.random(in: 0...60, using: &random)
            let skew = Int.random(in: 1...4, using: &random)
            let facts = (0..<size).map { _ -> IncidentFacts in
                let month = min(12, Int.random(in: 1...12, using: &random) / skew + 1)
                var motivations: Set<BiasMotivation> = [BiasMotivation.allCases.randomElement(using: &random)!]
                if Bool.random(using: &random) { motivations.insert(BiasMotivation.allCases.randomElement(using: &random)!) }
                return IncidentFacts(
                    date: CalendarDate(year: 2026, month: month, day: 1)!,
                    district: Int.random(in: 0...(18 / skew), using: &random) == 0 ? nil : District(number: Int.random(in: 1...(18 / skew), using: &random)),
                    category: IncidentCategory.allCases[Int.random(in: 0..<(IncidentCategory.allCases.count / skew), using: &random)],
                    motivations: motivations,
                    classification: [nil, nil, .notBiasMotivated, .crime, .nonCrimeIncident, .hateSpeech, .crime, .hateSpeech]
                        .randomElement(using: &random)!)
            }
            let s = IncidentStatistics.build(year: 2026, facts: facts)
            #expect(s.shownNumbers.allSatisfy { $0 == 0 || $0 >= 10 }, "round \(round)")
            // Only cases a handler confirmed as bias-motivated count; untriaged ones never do.
            let confirmed: Set<IncidentClassification> = [.crime, .nonCrimeIncident, .hateSpeech]
            let counted = facts.filter { $0.classification.map(confirmed.contains) ?? false }
            func check(_ list: IncidentStatistics.List, truth: [String: Int], total: Int) {
                for (key, cell) in zip(list.keys, list.cells) {
                    if let shown = cell.exactValue { #expect(shown == truth[key, default: 0], "round \(round) \(key)") }
                }
                if let shownTotal = list.total.exactValue {
                    #expect(shownTotal == total)
                    #expect(list.cells.filter(\.isSuppressed).count != 1, "round \(round): one hidden cell beside its total")
                }
            }
            check(s.byMonth, truth: Dictionary(grouping: counted) { $0.date.month < 10 ? "0\($0.date.month)" : "\($0.date.month)" }.mapValues(\.count),
                  total: counted.count)
            check(s.byDistrict, truth: Dictionary(grouping: counted) { $0.district.map { String($0.number) } ?? "unknown" }.mapValues(\.count),
                  total: counted.count)
            check(s.byCategory, truth: Dictionary(grouping: counted) { $0.category.rawValue }.mapValues(\.count), total: counted.count)
            let totals = [s.byMonth.total, s.byDistrict.total, s.byCategory.total]
            #expect(Set(totals.map(\.isSuppressed)).count == 1, "round \(round): lists disagree on hiding the shared total")
        }
    }

    /// Issue 10, item 4: reports anyone can send move no public figure until a handler confirms
    /// them. Before the fix twelve untriaged reports in district 5 beside nine confirmed cases
    /// showed 21 there, and the sender of the twelve read the hidden count as 21 − 12 = 9.
    @Test func untriagedAndRejectedReportsMoveNoPublicFigure() {
        func facts(_ n: Int, _ classification: IncidentClassification?, district: District? = District(number: 5)) -> [IncidentFacts] {
            (0..<n).map { _ in IncidentFacts(date: Self.day("2026-03-04"), district: district, category: .verbalAbuse,
                                             motivations: [.nationality], classification: classification) }
        }
        let confirmed = facts(9, .crime) + facts(14, .hateSpeech, district: District(number: 1))
        let before = IncidentStatistics.build(year: 2026, facts: confirmed)
        #expect(before.byDistrict.cells[4].isSuppressed, "nine confirmed cases in district 5 are hidden")
        for flood in [facts(12, nil), facts(12, .notBiasMotivated), facts(200, nil) + facts(3, .notBiasMotivated, district: nil)] {
            let after = IncidentStatistics.build(year: 2026, facts: confirmed + flood)
            #expect(after == before, "untriaged or rejected reports change no figure")
            let analysis = ConflictRiskAnalysis.build(year: 2026, incidents: confirmed + flood, police: [], population: [:])
            #expect(analysis == ConflictRiskAnalysis.build(year: 2026, incidents: confirmed, police: [], population: [:]))
        }
        // Once triaged as bias-motivated they count (here: 9 + 12 = 21 in district 5).
        let triaged = IncidentStatistics.build(year: 2026, facts: confirmed + facts(12, .nonCrimeIncident))
        #expect(triaged.byDistrict.keys[4] == "5" && triaged.byDistrict.cells[4] == .exact(21))
        #expect(IncidentClassification.allCases.filter(\.isBiasMotivated) == [.crime, .nonCrimeIncident, .hateSpeech])
    }

    @Test func policeFilesAreReadWholeOrRejectedByRow() {
        guard case let .rows(rows) = PoliceStatisticsCSV.parse("year,district,offence_category,count\n2025,1,art. 257 k.k.,4\n2025,,art. 119 k.k.,2\n") else {
            Issue.record("rejected a good file")
            return
        }
        #expect(rows == [PoliceStatistic(year: 2025, district: District(number: 1), offenceCategory: "art. 257 k.k.", count: 4),
                         PoliceStatistic(year: 2025, district: nil, offenceCategory: "art. 119 k.k.", count: 2)])
        guard case let .problems(problems) = PoliceStatisticsCSV.parse("year,district,offence_category,count\n2025,19,x,-1\n2025,1,x,1\n2025,1,X,2\n") else {
            Issue.record("accepted a bad file")
            return
        }
        #expect(problems.contains { $0.hasPrefix("row 1, district") })
        #expect(problems.contains { $0.hasPrefix("row 1, count") })
        #expect(problems.contains("row 3: repeats row 2 (same year, district and category)"))
        guard case let .problems(header) = PoliceStatisticsCSV.parse("year,district,count\n") else { Issue.record("no header check"); return }
        #expect(header == ["offence_category: the column is missing"])
    }

    @Test func theAnalysisRanksDistrictsByTheRiseOfTheirRate() {
        let police = [
            PoliceStatistic(year: 2024, district: District(number: 1), offenceCategory: "a", count: 10),
            PoliceStatistic(year: 2025, district: District(number: 1), offenceCategory: "a", count: 20),
            PoliceStatistic(year: 2024, district: District(number: 2), offenceCategory: "a", count: 5),
            PoliceStatistic(year: 2025, district: District(number: 2), offenceCategory: "b", count: 30),
            PoliceStatistic(year: 2025, district: District(number: 3), offenceCategory: "a", count: 1),
            PoliceStatistic(year: 2024, district: District(number: 4), offenceCategory: "a", count: 9),
            PoliceStatistic(year: 2023, district: nil, offenceCategory: "a", count: 3),
        ]
        // District 1 has 100,000 residents (rate 2 → 1 per 10,000: +1); 2 has 10,000 (5 → 30: +25).
        let a = ConflictRiskAnalysis.build(year: 2025, incidents: [], police: police, population: [1: 100_000, 2: 10_000])
        #expect(a.earlierYears == [2023, 2024])
        #expect(a.risers.compactMap(\.district?.number) == [2, 1, 3], "by rise; district 3 rises by count without population")
        let one = a.districts[0]
        #expect(one.police == 20 && one.policeEarlier == [0, 10] && one.rate == 2 && one.rateEarlier == 1)
        #expect(a.districts.last?.district == nil && a.districts.last?.policeEarlier == [3, 0])
        #expect(a.policeCategories.map(\.category) == ["a", "b"] && a.policeCategories[0].count == 21)
        #expect(a.districts.allSatisfy { $0.incidents == .exact(0) })
    }

    @Test func theRegisterAddsRisksAndFlagsOverdueReviews() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let added = RiskDetails(programmeSlug: programme.slug, number: programme.risks.count + 1,
                                added: .init(goal: 6, name: "Dezinformacja", score: 6, response: .counteract, responseDetail: "monitoring"),
                                owner: "Biuro", linkedTasks: ["6.2"], reviewEveryMonths: 3)
        let detail = RiskDetails(programmeSlug: programme.slug, number: 1, owner: "Wydział", linkedTasks: ["1.1"], reviewEveryMonths: 12)
        #expect(added.problems(in: programme).isEmpty && detail.problems(in: programme).isEmpty)
        var wrong = added
        wrong.linkedTasks = ["9.9"]
        wrong.reviewEveryMonths = 0
        #expect(wrong.problems(in: programme).map(\.field) == ["linkedTasks", "reviewEveryMonths"])
        let assessment = RiskAssessment(programmeSlug: programme.slug, risk: programme.risks.count + 1, date: Self.day("2026-06-01"),
                                        score: 7, reason: "wzrost")
        let register = RiskRegisterBuilder.build(programme: programme, details: [added, detail], assessments: [assessment],
                                                 today: Self.day("2026-09-21"))
        #expect(register.count == programme.risks.count + 1)
        let last = try #require(register.last)
        #expect(last.isAdded && last.name == "Dezinformacja" && last.score == 7 && last.level == .critical && last.initialScore == 6)
        #expect(last.reviewDue == Self.day("2026-09-01") && last.isReviewOverdue(today: Self.day("2026-09-21")))
        #expect(register[0].owner == "Wydział" && register[0].reviewDue == programme.adopted.addingMonths(12))
        #expect(register[1].reviewEveryMonths == RiskDetails.defaultReviewMonths && register[1].isReviewOverdue(today: Self.day("2026-09-21")))
        #expect(assessment.problems(in: programme).map(\.field) == ["risk"], "without the register size, an added risk is unknown")
        #expect(assessment.problems(in: programme, riskCount: register.count).isEmpty)
    }
}

extension IncidentStatistics {
    /// Every shown number in every table: none may be in 1..<threshold.
    var shownNumbers: [Int] {
        let lists = [byMonth, byDistrict, byCategory, byMotivation]
        return lists.flatMap { $0.cells.compactMap(\.exactValue) + [$0.total.exactValue].compactMap { $0 } }
            + odihr.cells.flatMap { $0.compactMap(\.exactValue) } + odihr.rowTotals.compactMap(\.exactValue)
            + odihr.columnTotals.compactMap(\.exactValue) + [odihr.grandTotal.exactValue].compactMap { $0 }
    }
}
