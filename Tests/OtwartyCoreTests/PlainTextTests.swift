import OtwartyCore
import Testing

/// One folding rule for typed text against stored names (queue search, CSV names, districts).
@Suite struct PlainTextTests {
    @Test func foldsCaseDiacriticsAndTheLetterŁ() {
        #expect(PlainText.fold("Łagiewniki-Borek Fałęcki") == "lagiewniki-borek falecki")
        #expect(PlainText.fold("ŚWIATA") == "swiata")
        #expect(PlainText.fold("Подія ЇЖАК") == "подія іжак")
        // The stored search text and the CSV labels both go through it (`search_text` keeps its form).
        #expect(ActivityRecord.searchKey("  Festyn „Sąsiedzi z całego świata” ") == "festyn „sasiedzi z calego swiata”")
        #expect(ActivityCSVLabels.folded("Wydarzenie_ kulturalne") == "wydarzenie kulturalne")
    }

    @Test func aDistrictIsFoundTypedWithoutPolishLetters() {
        #expect(District(parsing: "lagiewniki-borek falecki")?.number == 9)
        #expect(District(parsing: "IX Łagiewniki-Borek Fałęcki")?.number == 9)
        #expect(District(parsing: "Debniki")?.number == 8)
        #expect(District(parsing: "Nowhere") == nil)
    }
}
