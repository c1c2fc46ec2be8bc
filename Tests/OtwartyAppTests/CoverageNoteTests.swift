import OtwartyCore
import OtwartyWeb
import Testing

/// The sentences beside a value say what it rests on, with real plurals in each language.
@Suite struct CoverageNoteTests {
    let localiser = try! Localiser.bundled()

    /// A goal-6-like share: 9 records counted, 3 of them without a breakdown (counted whole), 1 left
    /// out; it counts people, and 2 of the 9 counted attendances, so 9 − 2 = 7 reported people.
    let coverage = AggregateCoverage(recordsWithoutBreakdown: 3, recordsLeftOut: 1, attendanceFallbacks: 2, recordsCounted: 9)

    @Test func polishSaysEachPartWithItsPlural() {
        #expect(localiser.coverageNotes(coverage, unit: .people, lang: "pl") == [
            "3 działania bez podziału uczestników na grupy odbiorców policzono w całości.",
            "1 działanie pominięto, bo jego uczestników nie da się podzielić na grupy odbiorców.",
            "Policzono osoby (nowe w tym roku) tam, gdzie je podano (7 działań).",
            "2 działania nie podały liczby nowych osób, więc policzono w nich obecności.",
        ])
    }

    @Test func englishUkrainianRussian() {
        #expect(localiser.coverageNotes(coverage, unit: .people, lang: "en") == [
            "3 records without a breakdown by audience were counted whole.",
            "1 record was left out because its participants could not be split by audience.",
            "People (new this year) counted where reported (7 records).",
            "2 records gave no number of new people, so their attendances were counted instead.",
        ])
        let uk = localiser.coverageNotes(coverage, unit: .people, lang: "uk")
        #expect(uk.first == "3 заходи без розподілу учасників за цільовими групами враховано повністю.")
        #expect(uk[2] == "Враховано осіб (нових цього року) там, де їх зазначено (7 заходів).")
        // 21 takes the "one" form in Ukrainian and Russian, 5 the "many" form.
        let many = AggregateCoverage(recordsLeftOut: 21, attendanceFallbacks: 5, recordsCounted: 5)
        #expect(localiser.coverageNotes(many, unit: .people, lang: "ru") == [
            "21 мероприятие не учтено: его участников нельзя разделить по целевым группам.",
            "Для 5 мероприятий не указано число новых участников, поэтому учтены посещения.",
        ])
        #expect(localiser.coverageNotes(many, unit: .people, lang: "uk")[0]
            == "21 захід не враховано, бо його учасників не можна розподілити за цільовими групами.")
    }

    @Test func nothingToSayGivesNoSentence() {
        // No coverage (a rule that neither splits nor counts people), a complete split, and a rule
        // that does not count people: its fallbacks (none are possible) and counted records say nothing.
        #expect(localiser.coverageNotes(nil, unit: .people, lang: "pl").isEmpty)
        #expect(localiser.coverageNotes(AggregateCoverage(recordsCounted: 4), unit: .other, lang: "pl").isEmpty)
        #expect(localiser.coverageNotes(AggregateCoverage(), unit: .people, lang: "pl").isEmpty)
        // The unit follows the rule.
        let peopleRule = MeasureRule(taskCode: "6.3", aggregate: .sum(.participants), people: true)
        #expect(CoverageUnit(peopleRule) == .people)
        #expect(CoverageUnit(IndicatorRule(rule: MeasureRule(taskCode: "1.1", aggregate: .count))) == .other)
    }
}
