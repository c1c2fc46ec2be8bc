import Foundation
import OtwartyCore

/// One of the 40 rules of Kraków's programme (36 task measures, 4 results) on a small hand-made
/// year: the records (and register, ratings or import entries) it is computed from, the value worked
/// out by hand, and the rule or source the case was written for. `ProgrammeRulesTests` (Core,
/// in memory) and `ProgrammeRulesSQLTests` (Storage, SQLite and PostgreSQL) check the engine's
/// report against `expected`; the guard test fails when the programme file's rule or source differs
/// from `basis`, so a rule changed without its case being worked out again cannot pass.
public struct ProgrammeRuleCase: Sendable, CustomStringConvertible {
    public enum Target: Hashable, Sendable {
        case measure(String)
        case result(goal: Int)
    }

    /// What the case was worked out for: it must equal the programme file's.
    public enum Basis: Hashable, Sendable {
        case rule(MeasureRule)
        case result(IndicatorRule)
        case source(MeasureSource)
    }

    public var target: Target
    public var basis: Basis
    /// Kraków's slug throughout; the SQL suite moves each case to a slug of its own.
    public var records: [ActivityRecord]
    public var sources: InMemoryMeasureSources
    public var references: [ReferenceValue]
    /// The measure's value or the result's actual value for `ProgrammeRuleCases.year`; nil where
    /// the measure has no value (a data import's status).
    public var expected: Double?
    /// A result's numerator (the aggregate before dividing).
    public var numerator: Double?
    public var coverage: AggregateCoverage?
    public var detail: MeasureDetail?

    public var description: String {
        switch target {
        case let .measure(code): code
        case let .result(goal): "goal \(goal) result"
        }
    }

    /// Where `report` differs from what was worked out by hand: empty when it agrees.
    public func differences(in report: IndicatorReport) -> [String] {
        var found: [String] = []
        func compare<T: Equatable>(_ what: String, _ actual: T?, _ expected: T?) {
            if actual != expected { found.append("\(what): \(actual.map { "\($0)" } ?? "nil"), expected \(expected.map { "\($0)" } ?? "nil")") }
        }
        func compareNumber(_ what: String, _ actual: Double?, _ expected: Double?) {
            // Divisions such as 5 500 ÷ 5 000 may differ from the literal in the last bit.
            let same = switch (actual, expected) {
            case (nil, nil): true
            case let (a?, b?): abs(a - b) <= 1e-9 * max(1, abs(b))
            default: false
            }
            if !same { found.append("\(what): \(actual.map { "\($0)" } ?? "nil"), expected \(expected.map { "\($0)" } ?? "nil")") }
        }
        switch target {
        case let .measure(code):
            guard let value = report.measures.first(where: { $0.code == code }) else { return ["\(code) is not in the report"] }
            compareNumber("value", value.value, expected)
            compare("not computable", value.notComputable, nil)
            compare("coverage", value.coverage, coverage)
            compare("detail", value.detail, detail)
        case let .result(goal):
            guard let value = report.results.first(where: { $0.goal == goal }) else { return ["goal \(goal) is not in the report"] }
            compareNumber("numerator", value.numerator, numerator)
            compareNumber("actual", value.actual, expected)
            compare("coverage", value.coverage, coverage)
        }
        return found
    }

    /// The rule over records, if the value comes from records.
    public var recordRule: MeasureRule? {
        switch basis {
        case let .rule(rule): rule
        case let .result(result): result.rule
        case .source: nil
        }
    }
}

public enum ProgrammeRuleCases {
    /// The year every case computes.
    public static let year = 2025
    static let slug = EmbeddedProgrammes.krakowSlug
    /// Records of another programme, with the same task codes: never count.
    public static let otherProgramme = "otwarty-krakow-2019-2023"

    /// A record of `task` in the case year (15 May 2025 unless `date` says otherwise), approved.
    public static func r(_ task: String, _ kind: ActivityKind, participants: Int? = nil, beneficiaries: Int? = nil,
                         audiences: Set<Audience> = [], byAudience: [Audience: Int]? = nil, new: Int? = nil,
                         grosze: Int64? = nil, institution: String? = nil, date: String = "2025-05-15",
                         status: ActivityStatus = .approved) -> ActivityRecord {
        var record = ActivityRecord(id: 0, programmeSlug: slug, taskCode: task, kind: kind, title: "\(task) \(kind.rawValue)",
                                    startDate: Fixtures.day(date), organisationID: 1, participants: participants,
                                    beneficiaries: beneficiaries, audiences: audiences, amountGrosze: grosze,
                                    institution: institution, status: status)
        record.participantsByAudience = byAudience.map(AudienceBreakdown.init)
        record.participantsNew = new
        return record
    }

    /// Copies of each counted record that must NOT count, each differing in one respect only:
    /// another task, another kind (when the rule names kinds), another audience (when it names
    /// audiences), not approved (draft, submitted, returned), another year (the day before and the
    /// day after the year), another programme. A copy's institution is a new one, so that a
    /// distinct-institution count would grow if the copy were counted.
    public static func notCounted(_ counted: [ActivityRecord], rule: MeasureRule) -> [ActivityRecord] {
        var copies: [ActivityRecord] = []
        for (i, record) in counted.enumerated() {
            func copy(_ change: (inout ActivityRecord) -> Void) {
                var c = record
                if c.institution != nil { c.institution = "Inna instytucja \(i)-\(copies.count)" }
                c.title = "\(record.title) (nie liczy się \(copies.count))"
                change(&c)
                copies.append(c)
            }
            copy { $0.taskCode = rule.taskCode == "1.2" ? "1.3" : "1.2" }
            if !rule.kinds.isEmpty, let other = ActivityKind.allCases.first(where: { !rule.kinds.contains($0) }) {
                copy { $0.kind = other }
            }
            if !rule.audiences.isEmpty, let other = Audience.allCases.first(where: { !rule.audiences.contains($0) }) {
                copy { $0.audiences = [other]; $0.participantsByAudience = nil }
            }
            for status in [ActivityStatus.draft, .submitted, .returned] { copy { $0.status = status } }
            copy { $0.startDate = Fixtures.day("\(year - 1)-12-31") }
            copy { $0.startDate = Fixtures.day("\(year + 1)-01-01") }
            copy { $0.programmeSlug = otherProgramme }
        }
        return copies
    }

    static func measure(_ code: String, _ rule: MeasureRule, counted: [ActivityRecord], also extra: [ActivityRecord] = [],
                        expected: Double, coverage: AggregateCoverage? = nil) -> ProgrammeRuleCase {
        ProgrammeRuleCase(target: .measure(code), basis: .rule(rule), records: counted + extra + notCounted(counted, rule: rule),
                          sources: InMemoryMeasureSources(), references: [], expected: expected, numerator: nil,
                          coverage: coverage, detail: nil)
    }

    static func source(_ code: String, _ source: MeasureSource, sources: InMemoryMeasureSources,
                       records: [ActivityRecord] = [], expected: Double?, detail: MeasureDetail?) -> ProgrammeRuleCase {
        ProgrammeRuleCase(target: .measure(code), basis: .source(source), records: records, sources: sources,
                          references: [], expected: expected, numerator: nil, coverage: nil, detail: detail)
    }

    static func result(_ goal: Int, _ rule: IndicatorRule, counted: [ActivityRecord], also extra: [ActivityRecord] = [],
                       references: [ReferenceValue] = [], numerator: Double, expected: Double,
                       coverage: AggregateCoverage? = nil) -> ProgrammeRuleCase {
        ProgrammeRuleCase(target: .result(goal: goal), basis: .result(rule),
                          records: counted + extra + notCounted(counted, rule: rule.rule), sources: InMemoryMeasureSources(),
                          references: references, expected: expected, numerator: numerator, coverage: coverage, detail: nil)
    }

    static func sum(_ task: String, _ field: ActivityField, kinds: Set<ActivityKind> = [], audiences: Set<Audience> = [],
                    people: Bool = false) -> MeasureRule {
        MeasureRule(taskCode: task, aggregate: .sum(field), kinds: kinds, audiences: audiences, people: people)
    }

    static func count(_ task: String, kinds: Set<ActivityKind> = [], audiences: Set<Audience> = []) -> MeasureRule {
        MeasureRule(taskCode: task, aggregate: .count, kinds: kinds, audiences: audiences)
    }

    static func institutions(_ task: String) -> MeasureRule { MeasureRule(taskCode: task, aggregate: .distinctInstitutions) }

    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    /// A register's entries around the case year: four active on some day of 2025 (open on both
    /// sides; from 31 Dec 2025; until 1 Jan 2025; from 2024 without end), two not (ended 31 Dec
    /// 2024; begins 1 Jan 2026). Active in 2025: 4.
    static let registerEntries: [(from: CalendarDate?, until: CalendarDate?)] = [
        (nil, nil), (day("2025-12-31"), nil), (day("2023-03-01"), day("2025-01-01")), (day("2024-06-01"), nil),
        (day("2023-01-01"), day("2024-12-31")), (day("2026-01-01"), nil),
    ]

    /// The police data of 2025 was imported on 2026-02-10 09:30 UTC; 2024's earlier.
    public static let policeImport2025 = Date(timeIntervalSince1970: 1_770_715_800)
    static let policeImport2024 = Date(timeIntervalSince1970: 1_739_180_000)

    static func foreignResidents(_ value: Double) -> [ReferenceValue] {
        [ReferenceValue(key: "foreign-residents", year: year, value: value, source: "GUS"),
         ReferenceValue(key: "foreign-residents", year: year - 1, value: 1, source: "GUS")]
    }

    /// Every rule of Kraków's programme, in the file's order.
    public static var all: [ProgrammeRuleCase] {
        [
            // 1.1.a people advised by the Point: task 1.1 consultations, "of whom new this year" where
            // reported, else beneficiaries: 80 (new, of 120 visits) + 35 (no "new": visits, a
            // fallback) = 115. The participants (999) are not beneficiaries; the Point's promotion
            // (500 reached) gives no advice.
            measure("1.1.a", sum("1.1", .beneficiaries, kinds: [.consultation], people: true), counted: [
                r("1.1", .consultation, beneficiaries: 120, new: 80),
                r("1.1", .consultation, participants: 999, beneficiaries: 35),
            ], also: [r("1.1", .promotion, beneficiaries: 500)],
                    expected: 115, coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2)),
            // 1.2.a translation records of task 1.2: 3.
            measure("1.2.a", count("1.2", kinds: [.translation]), counted: [
                r("1.2", .translation), r("1.2", .translation, participants: 5), r("1.2", .translation, date: "2025-12-31"),
            ], expected: 3),
            // 1.3.a records of task 1.3, any kind: 2.
            measure("1.3.a", count("1.3"), counted: [r("1.3", .publication), r("1.3", .other, date: "2025-01-01")],
                    expected: 2),
            // 1.4.a officials trained in task 1.4's trainings and workshops, people: 20 (new of 25)
            // + 12 (no "new": attendances, a fallback) = 32.
            measure("1.4.a", sum("1.4", .participants, kinds: [.training, .workshop], people: true), counted: [
                r("1.4", .training, participants: 25, audiences: [.cityOffice], new: 20),
                r("1.4", .workshop, participants: 12, audiences: [.cityOffice]),
            ], expected: 32, coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2)),
            // 1.5.a the service-point ratings of 2025, kept apart: 14 positive + 3 negative = 17
            // (2024's are another year). A task-1.5 record's participants (40) are not ratings.
            source("1.5.a", .serviceRatings, sources: InMemoryMeasureSources(ratings: [year: (14, 3), year - 1: (100, 100)]),
                   records: [r("1.5", .other, participants: 40)],
                   expected: 17, detail: .ratings(positive: 14, negative: 3)),
            // 1.6.a research reports of task 1.6: 2.
            measure("1.6.a", count("1.6", kinds: [.researchReport]), counted: [
                r("1.6", .researchReport), r("1.6", .researchReport, institution: "UJ"),
            ], expected: 2),
            // 2.1.a meetings of task 2.1: 3.
            measure("2.1.a", count("2.1", kinds: [.meeting]), counted: [
                r("2.1", .meeting, participants: 14), r("2.1", .meeting, participants: 22), r("2.1", .meeting),
            ], expected: 3),
            // 2.1.b Σ participants of those meetings: 14 + 22 + 0 = 36.
            measure("2.1.b", sum("2.1", .participants, kinds: [.meeting]), counted: [
                r("2.1", .meeting, participants: 14), r("2.1", .meeting, participants: 22), r("2.1", .meeting),
            ], expected: 36),
            // 2.2.a Σ amount of task 2.2: 1 234 567 + 5 533 grosze = 1 240 100 grosze = 12 401 PLN.
            measure("2.2.a", sum("2.2", .amount), counted: [
                r("2.2", .other, grosze: 1_234_567), r("2.2", .other, grosze: 5_533), r("2.2", .other),
            ], expected: 12_401),
            // 2.3.a cooperation coordinators in post on some day of 2025 (the contact base's from/until,
            // `registerEntries`): 4. Institutions named on task-2.3 records (2) do not count.
            source("2.3.a", .register(.cooperationCoordinators),
                   sources: InMemoryMeasureSources(registers: [.cooperationCoordinators: registerEntries,
                                                               .dialogueBodies: [(nil, nil)]]),
                   records: [r("2.3", .meeting, institution: "Wydział Polityki Społecznej"), r("2.3", .meeting, institution: "MOPS")],
                   expected: 4, detail: nil),
            // 3.1.a Σ beneficiaries of task 3.1: 400 + 250 = 650.
            measure("3.1.a", sum("3.1", .beneficiaries), counted: [
                r("3.1", .event, beneficiaries: 400), r("3.1", .consultation, beneficiaries: 250),
            ], expected: 650),
            // 3.1.b events of task 3.1: 2.
            measure("3.1.b", count("3.1", kinds: [.event]), counted: [r("3.1", .event), r("3.1", .event)], expected: 2),
            // 3.2.a Σ participants of task 3.2, any kind: 80 + 45 = 125.
            measure("3.2.a", sum("3.2", .participants), counted: [
                r("3.2", .initiative, participants: 80), r("3.2", .workshop, participants: 45),
            ], expected: 125),
            // 3.3.a promotions of task 3.3: 2.
            measure("3.3.a", count("3.3", kinds: [.promotion]), counted: [r("3.3", .promotion), r("3.3", .promotion)],
                    expected: 2),
            // 3.4.a dialogue bodies (with minorities or people with migration experience among their
            // members: the stored register keeps only those in the count) active on some day of 2025:
            // `registerEntries`, 4. Bodies named on task-3.4 promotion records do not count.
            source("3.4.a", .register(.dialogueBodies),
                   sources: InMemoryMeasureSources(registers: [.dialogueBodies: registerEntries,
                                                               .interculturalAssistants: [(nil, nil)]]),
                   records: [r("3.4", .promotion, institution: "Rada ds. Cudzoziemców")],
                   expected: 4, detail: nil),
            // 3.5.a foreigners learning Polish in task 3.5, people: 45 (new of 60) + 18 (no "new":
            // attendances, a fallback) = 63.
            measure("3.5.a", sum("3.5", .participants, people: true), counted: [
                r("3.5", .course, participants: 60, new: 45), r("3.5", .workshop, participants: 18),
            ], expected: 63, coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2)),
            // 4.1.a events of task 4.1 in the task's sense (event, conference, seminar, debate): 4;
            // the organisers' meeting is not one.
            measure("4.1.a", count("4.1", kinds: [.event, .conference, .seminar, .debate]), counted: [
                r("4.1", .event), r("4.1", .conference), r("4.1", .seminar), r("4.1", .debate),
            ], also: [r("4.1", .meeting)], expected: 4),
            // 4.2.a Σ participants (applications) of task 4.2's "other" records: 27.
            measure("4.2.a", sum("4.2", .participants, kinds: [.other]), counted: [r("4.2", .other, participants: 27)],
                    expected: 27),
            // 4.2.b meetings of task 4.2: 1.
            measure("4.2.b", count("4.2", kinds: [.meeting]), counted: [r("4.2", .meeting, participants: 30)], expected: 1),
            // 4.3.a patronages of task 4.3: 2.
            measure("4.3.a", count("4.3", kinds: [.patronage]), counted: [r("4.3", .patronage), r("4.3", .patronage)],
                    expected: 2),
            // 4.4.a Σ beneficiaries (visits) of task 4.4's publications: 5000 + 1200 = 6200.
            measure("4.4.a", sum("4.4", .beneficiaries, kinds: [.publication]), counted: [
                r("4.4", .publication, beneficiaries: 5_000), r("4.4", .publication, beneficiaries: 1_200),
            ], expected: 6_200),
            // 4.4.b Σ beneficiaries (reach) of task 4.4's promotions: 9000 + 350 = 9350.
            measure("4.4.b", sum("4.4", .beneficiaries, kinds: [.promotion]), counted: [
                r("4.4", .promotion, beneficiaries: 9_000), r("4.4", .promotion, beneficiaries: 350),
            ], expected: 9_350),
            // 5.1.a distinct institutions of task 5.1: "SP 12" = " sp 12 ", "Gimnazjum nr 3"; "" is none: 2.
            measure("5.1.a", institutions("5.1"), counted: [
                r("5.1", .workshop, institution: "SP 12"), r("5.1", .workshop, institution: " sp 12 "),
                r("5.1", .workshop, institution: "Gimnazjum nr 3"), r("5.1", .workshop, institution: ""),
            ], expected: 2),
            // 5.2.a distinct institutions of task 5.2: 2.
            measure("5.2.a", institutions("5.2"), counted: [
                r("5.2", .other, institution: "SP 7"), r("5.2", .other, institution: "Przedszkole nr 112"),
            ], expected: 2),
            // 5.3.a Σ participants of task 5.3: 9 + 6 = 15.
            measure("5.3.a", sum("5.3", .participants), counted: [
                r("5.3", .meeting, participants: 9), r("5.3", .workshop, participants: 6),
            ], expected: 15),
            // 5.4.a trainings and workshops of task 5.4 for teachers or parents (at least one of
            // them; a count needs no split): [teachers], [parents, pupils] = 2.
            measure("5.4.a", count("5.4", kinds: [.training, .workshop], audiences: [.teachers, .parents]), counted: [
                r("5.4", .training, participants: 20, audiences: [.teachers]),
                r("5.4", .workshop, participants: 30, audiences: [.parents, .pupils]),
            ], expected: 2),
            // 5.4.b Σ participants of those for teachers and parents, split by audience: 20 (all
            // teachers, no breakdown needed) + 12 (the parents' part of 30; the 18 pupils are not)
            // = 32. Left out: a workshop for teachers and pupils without a breakdown (10 cannot be split).
            measure("5.4.b", sum("5.4", .participants, kinds: [.training, .workshop], audiences: [.teachers, .parents]),
                    counted: [
                        r("5.4", .training, participants: 20, audiences: [.teachers]),
                        r("5.4", .workshop, participants: 30, audiences: [.parents, .pupils],
                          byAudience: [.parents: 12, .pupils: 18]),
                    ],
                    also: [r("5.4", .workshop, participants: 10, audiences: [.teachers, .pupils])],
                    expected: 32,
                    coverage: AggregateCoverage(recordsWithoutBreakdown: 1, recordsLeftOut: 1, recordsCounted: 2)),
            // 5.5.a intercultural and Roma assistants in the contact base active on some day of 2025:
            // `registerEntries` without the one open on both sides = 3. Task-5.5 records' participants
            // (3 + 2) do not count.
            source("5.5.a", .register(.interculturalAssistants),
                   sources: InMemoryMeasureSources(registers: [.interculturalAssistants: Array(registerEntries.dropFirst()),
                                                               .cooperationCoordinators: [(nil, nil)]]),
                   records: [r("5.5", .other, participants: 3), r("5.5", .other, participants: 2)],
                   expected: 3, detail: nil),
            // 5.5.b Σ beneficiaries (children helped) of task 5.5: 40 + 25 = 65.
            measure("5.5.b", sum("5.5", .beneficiaries), counted: [
                r("5.5", .other, participants: 3, beneficiaries: 40), r("5.5", .other, beneficiaries: 25),
            ], expected: 65),
            // 6.1.a promotions and publications of task 6.1: 2.
            measure("6.1.a", count("6.1", kinds: [.promotion, .publication]), counted: [
                r("6.1", .promotion), r("6.1", .publication),
            ], expected: 2),
            // 6.1.b initiatives of task 6.1: 2.
            measure("6.1.b", count("6.1", kinds: [.initiative]), counted: [r("6.1", .initiative), r("6.1", .initiative)],
                    expected: 2),
            // 6.2.a analyses of task 6.2: 2.
            measure("6.2.a", count("6.2", kinds: [.analysis]), counted: [r("6.2", .analysis), r("6.2", .analysis)],
                    expected: 2),
            // 6.2.b distinct institutions of task 6.2: KMP (twice spelled) and Straż Miejska: 2.
            measure("6.2.b", institutions("6.2"), counted: [
                r("6.2", .analysis, institution: "Komenda Miejska Policji"),
                r("6.2", .meeting, institution: "komenda miejska policji"),
                r("6.2", .analysis, institution: "Straż Miejska"),
            ], expected: 2),
            // 6.2.c not a quantity: whether the police data of 2025 was imported, and when (2026-02-10
            // 09:30 UTC); 2024's import is another year's. No value; task-6.2 "other" records do not count.
            source("6.2.c", .dataImport(.policeStatistics),
                   sources: InMemoryMeasureSources(imports: [.policeStatistics: [year: policeImport2025, year - 1: policeImport2024]]),
                   records: [r("6.2", .other)],
                   expected: nil, detail: .dataImport(importedAt: policeImport2025)),
            // 6.3.a participants of task 6.3, every audience and kind, people: 30 (new of 40) + 25 (no
            // "new": attendances, a fallback; its breakdown does not matter without audiences) + 8
            // (a seminar, all new) = 63.
            measure("6.3.a", sum("6.3", .participants, people: true), counted: [
                r("6.3", .training, participants: 40, audiences: [.cityOffice], new: 30),
                r("6.3", .training, participants: 25, audiences: [.municipalGuard, .police],
                  byAudience: [.municipalGuard: 15, .police: 10]),
                r("6.3", .seminar, participants: 8, audiences: [.police], new: 8),
            ], expected: 63, coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 3)),
            // 6.4.a Σ participants of task 6.4 for minorities or migrants, split: 11 (all minorities)
            // + 7 (the migrants' part of 20; 13 City Office staff are not) = 18. Left out: 9 for
            // migrants and police without a breakdown.
            measure("6.4.a", sum("6.4", .participants, audiences: [.minorities, .migrants]), counted: [
                r("6.4", .meeting, participants: 11, audiences: [.minorities]),
                r("6.4", .meeting, participants: 20, audiences: [.migrants, .cityOffice],
                  byAudience: [.migrants: 7, .cityOffice: 13]),
            ], also: [r("6.4", .meeting, participants: 9, audiences: [.migrants, .police])],
                    expected: 18, coverage: AggregateCoverage(recordsWithoutBreakdown: 1, recordsLeftOut: 1, recordsCounted: 2)),

            // Goal 1: 100 × people advised by the Point (task 1.1 consultations: 2 500 new of 3 000
            // visits + 1 500 visits without "new", a fallback = 4 000) ÷ 100 000 foreign residents
            // = 4 %. The Point's promotion (10 000 reached) gives no advice and does not count.
            result(1, IndicatorRule(rule: sum("1.1", .beneficiaries, kinds: [.consultation], people: true),
                                    denominator: "foreign-residents", scale: 100),
                   counted: [r("1.1", .consultation, beneficiaries: 3_000, new: 2_500),
                             r("1.1", .consultation, beneficiaries: 1_500)],
                   also: [r("1.1", .promotion, beneficiaries: 10_000)],
                   references: foreignResidents(100_000), numerator: 4_000, expected: 4,
                   coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2)),
            // Goal 3: 100 × learners of task 3.5 (1 000 new of 1 200 + 600 without "new", a fallback
            // = 1 600) ÷ 100 000 = 1.6 %.
            result(3, IndicatorRule(rule: sum("3.5", .participants, people: true), denominator: "foreign-residents", scale: 100),
                   counted: [r("3.5", .course, participants: 1_200, new: 1_000), r("3.5", .workshop, participants: 600)],
                   references: foreignResidents(100_000), numerator: 1_600, expected: 1.6,
                   coverage: AggregateCoverage(attendanceFallbacks: 1, recordsCounted: 2)),
            // Goal 4: task 4.1's events, conferences, seminars and debates: 4; its meeting is not one.
            result(4, IndicatorRule(rule: count("4.1", kinds: [.event, .conference, .seminar, .debate])),
                   counted: [r("4.1", .event), r("4.1", .conference), r("4.1", .seminar), r("4.1", .debate)],
                   also: [r("4.1", .meeting)], numerator: 4, expected: 4),
            // Goal 6: 100 × City Office and Municipal Guard staff trained in task 6.3, people ÷ 5 000
            // staff. Counted: 35 (a City Office training without a breakdown, all the rule's: its
            // "new" 35 of 40); 15 (the guards' part of a mixed training with 10 police officers:
            // its "new" 20 is the whole record's, so the part's attendances count, a fallback);
            // 9 (a City Office and Guard training split 5 + 7, wholly the rule's: its "new" 9 of 12).
            // 35 + 15 + 9 = 59 → 100 × 59 ÷ 5 000 = 1.18 %. Left out: 8 guards and police without a
            // breakdown; not counted: 30 police officers.
            result(6, IndicatorRule(rule: sum("6.3", .participants, audiences: [.cityOffice, .municipalGuard], people: true),
                                    denominator: "city-staff", scale: 100),
                   counted: [
                       r("6.3", .training, participants: 40, audiences: [.cityOffice], new: 35),
                       r("6.3", .training, participants: 25, audiences: [.municipalGuard, .police],
                         byAudience: [.municipalGuard: 15, .police: 10], new: 20),
                       r("6.3", .seminar, participants: 12, audiences: [.cityOffice, .municipalGuard],
                         byAudience: [.cityOffice: 5, .municipalGuard: 7], new: 9),
                   ],
                   also: [r("6.3", .training, participants: 8, audiences: [.municipalGuard, .police]),
                          r("6.3", .training, participants: 30, audiences: [.police])],
                   references: [ReferenceValue(key: "city-staff", year: year, value: 5_000, source: "Kadry")],
                   numerator: 59, expected: 1.18,
                   coverage: AggregateCoverage(recordsWithoutBreakdown: 1, recordsLeftOut: 1, attendanceFallbacks: 1,
                                               recordsCounted: 3)),
        ]
    }
}
