@testable import OtwartyCore
import OtwartyTestSupport
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

    // The fold without Foundation (`FoldTable`) must give exactly Foundation's answer: the stored
    // `search_text` of every record imported before depends on it.

    /// Every scalar of the table's blocks, alone: the table's answer (or the fallback's) is Foundation's.
    @Test func everyScalarOfTheTablesBlocksFoldsAsFoundationFoldsIt() {
        var answered = 0
        for block in FoldTable.blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = String(Character(scalar))
                let fast = FoldTable.shared.fold(text)
                #expect((fast != nil) == FoldTable.answers(scalar), "U+\(String(value, radix: 16, uppercase: true))")
                if fast != nil { answered += 1 }
                #expect(PlainText.fold(text) == PlainText.foundationFold(text), "U+\(String(value, radix: 16, uppercase: true))")
            }
        }
        // Latin, Cyrillic and punctuation all answered (not silently left to Foundation).
        #expect(answered > 900)
    }

    /// Every ordered pair of the table's scalars, each in one text (`a b₀ a b₁ … a bₙ a` for each
    /// `a`): folding each scalar alone and joining is Foundation's fold of the whole text, so
    /// no scalar's answer depends on its neighbour.
    @Test func everyPairOfTheTablesScalarsFoldsAsFoundationFoldsIt() {
        let scalars = FoldTable.blocks.flatMap { $0.compactMap(Unicode.Scalar.init) }.filter(FoldTable.answers)
        for a in scalars {
            var view = String.UnicodeScalarView()
            for b in scalars {
                view.append(a)
                view.append(b)
            }
            view.append(a)
            let text = String(view)
            let fast = FoldTable.shared.fold(text)
            #expect(fast != nil)
            #expect(fast == PlainText.foundationFold(text), "pairs with U+\(String(a.value, radix: 16, uppercase: true))")
        }
    }

    /// A combining mark (or any scalar outside the table) sends the whole text to Foundation, which
    /// folds the mark into the letter before it; the answer is the same either way.
    @Test func textsWithCombiningMarksOrOtherScriptsGoThroughFoundation() {
        let marks: [Unicode.Scalar] = ["\u{0301}", "\u{0307}", "\u{0308}", "\u{0328}", "\u{0483}", "\u{200D}", "\u{FE0F}"]
        let letters = FoldTable.blocks.flatMap { $0.compactMap(Unicode.Scalar.init) }.filter(FoldTable.answers)
        for mark in marks {
            var view = String.UnicodeScalarView()
            for letter in letters {
                view.append(letter)
                view.append(mark)
            }
            let text = String(view)
            #expect(FoldTable.shared.fold(text) == nil)
            #expect(PlainText.fold(text) == PlainText.foundationFold(text))
        }
        let mixed = ["Zaz\u{0307}o\u{0301}ł\u{0107} ge\u{0328}s\u{0301}la\u{0328} jaz\u{0301}n\u{0301}", "Ё\u{0308}лка і\u{0308}", "e\u{0301}",
                     "Café 東京 ☕️", "Ελληνικά ΣΊΣΥΦΟΣ", "İstanbul ǅemal ŉ ß ẞ", "\r\n\tA\u{00A0}B\u{2009}C", "👩‍👩‍👧 Rodzina",
                     "Wieczór „Sąsiedzi” — Kraków…", "ЎЇЄҐ ўїєґ Ӂӂ", ""]
        for text in mixed {
            #expect(PlainText.fold(text) == PlainText.foundationFold(text), "\(text)")
        }
    }

    /// Random texts of the table's scalars with a few others among them, against Foundation.
    @Test func randomTextsFoldAsFoundationFoldsThem() {
        let letters = FoldTable.blocks.flatMap { $0.compactMap(Unicode.Scalar.init) }.filter(FoldTable.answers)
        let others: [Unicode.Scalar] = ["\u{0301}", "\u{0328}", "\u{1E9E}", "\u{03A3}", "\u{00AD}", "\u{2028}", "\u{1F600}", "\u{0085}"]
        var generator = SeededRandom(seed: 15)
        for round in 0..<5_000 {
            var view = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 24) {
                let pick = generator.next()
                view.append(pick % 40 == 0 ? others[Int(pick / 40 % UInt64(others.count))] : letters[Int(pick / 40 % UInt64(letters.count))])
            }
            let text = String(view)
            #expect(PlainText.fold(text) == PlainText.foundationFold(text), "round \(round): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}

/// `trimmingWhitespace` answers at once when the text starts and ends with ASCII that is not
/// white space; every text gives what trimming character by character gives.
@Suite struct TrimmingWhitespaceTests {
    /// The rule as it was written before the shortcut.
    static func reference(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }

    @Test func everyASCIIByteIsWhiteSpaceExactlyWhenCharacterSaysSo() {
        for byte in UInt8(0)..<0x80 {
            #expect(String.isASCIIWhitespace(byte) == Character(Unicode.Scalar(byte)).isWhitespace, "\(byte)")
        }
    }

    @Test func theShortcutGivesWhatTrimmingCharacterByCharacterGives() {
        let ends = ["", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{1C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}", "a", "Z", "7", ".",
                    "ą", "\u{301}", "e\u{301}", " \u{301}", "\u{600}1", "\u{1F600}", "\u{1F1F5}\u{1F1F1}", "#\u{FE0F}\u{20E3}", "\"", "x\u{200D}"]
        let middles = ["", "Wieczór poezji", " ", "a b", "\u{A0}"]
        for start in ends {
            for middle in middles {
                for end in ends {
                    let text = start + middle + end
                    #expect(text.trimmingWhitespace() == Self.reference(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
                }
            }
        }
    }
}

