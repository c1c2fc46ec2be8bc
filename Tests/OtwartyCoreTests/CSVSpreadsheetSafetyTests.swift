import Foundation
import OtwartyCore
import OtwartyTestSupport
import Testing

/// Issue 10, item 10: CSV exports opened in a Polish spreadsheet, which splits lines on `;`.
@Suite struct CSVSpreadsheetSafetyTests {
    /// What a spreadsheet that splits on `;` and ignores our quotes would make cells of: every
    /// `;`-separated piece of every line. None may start (after spaces) with a formula character.
    static func semicolonCells(_ csv: String) -> [String] {
        csv.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            .flatMap { $0.split(separator: ";", omittingEmptySubsequences: false) }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: " \"\u{FEFF}\u{00A0}")) }
    }

    static func isLive(_ cell: String) -> Bool {
        guard let first = cell.first else { return false }
        return "=+-@\t\r".contains(first)
    }

    @Test(arguments: [
        ("Spotkanie;=1+1", "\"Spotkanie;'=1+1\""),
        ("=HYPERLINK(\"http://evil.example\",\"klik\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\""),
        (" =1+1", "' =1+1"),
        ("\t=1", "\"'\t'=1\""),   // the tab starts a formula, and so does what follows it
        ("-1+1", "'-1+1"),
        ("-5", "'-5"),
        ("a;b", "\"a;b\""),
        ("a\tb", "\"a\tb\""),
        ("x; @SUM(A1)", "\"x;' @SUM(A1)\""),
        ("Linia 1\n=2+2", "\"Linia 1\n'=2+2\""),
        ("\u{00A0}=1", "'\u{00A0}=1"),
        ("\"=1\"", "\"'\"\"=1\"\"\""),
        ("Spotkanie; 12 osób", "\"Spotkanie; 12 osób\""),
        ("a=b", "a=b"),
        ("zwykły tekst", "zwykły tekst"),
    ] as [(String, String)])
    func textCells(value: String, written: String) {
        #expect(CSVWriter.cell(value) == written, "\(value.debugDescription) → \(CSVWriter.cell(value).debugDescription)")
        #expect(Self.semicolonCells(CSVWriter.cell(value)).allSatisfy { !Self.isLive($0) })
        #expect(CSVWriter.restoreFormula(CSVWriter.neutraliseFormula(value)) == value)
    }

    @Test func numericColumnsKeepNegativeNumbersAsNumbers() {
        var writer = CSVWriter(numericColumns: [1, 2])
        writer.writeRow(["change", "-3.25", "-1e-07"])
        writer.writeRow(["-3.25", "-1+1", "=1"])
        writer.writeRow(["text", "", "12"])
        // Column 0 is text: its `-3.25` is neutralised; columns 1–2 are numeric: plain numbers stay,
        // anything else there is text and neutralised like text.
        #expect(writer.text == "change,-3.25,-1e-07\r\n'-3.25,'-1+1,'=1\r\ntext,,12\r\n")
    }

    @Test(arguments: ["-1", "0", "12", "-3.25", "1e+20", "-1.5E-07", "007"])
    func plainNumbers(_ text: String) { #expect(CSVWriter.isPlainNumber(text.utf8)) }

    @Test(arguments: ["", "-", "1-1", "-1+1", "1.", ".5", "1e", "1e+", "=1", " 1", "1 ", "0x10", "١", "1,5", "--1", "NaN", "inf"])
    func notPlainNumbers(_ text: String) { #expect(!CSVWriter.isPlainNumber(text.utf8)) }

    @Test func aHundredThousandLineFeedsAreLinear() {
        let value = String(repeating: "\n", count: 100_000) + "=1"
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = CSVWriter.cell(value) }
        #expect(elapsed < .seconds(2))
        #expect(CSVWriter.restoreFormula(CSVWriter.neutraliseFormula(value)) == value)
    }

    @Test func restoreIsTheExactInverse() {
        let pieces = ["=", "'", ";", " ", "\n", "\t", "\r", "-", "a", "1", "@", "\"", "+", "\u{00A0}", "ż"]
        var generator = SeededRandom(seed: 20_261_203)
        for _ in 0..<5_000 {
            let value = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(CSVWriter.restoreFormula(CSVWriter.neutraliseFormula(value)) == value, "\(value.debugDescription)")
        }
    }

    @Test func activityExportsRoundTripThroughTheImporter() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let titles = ["Spotkanie;=1+1", " =1+1", "-1+1", "=HYPERLINK(\"http://x\")", "Linia;@SUM(A1)", "'=już z apostrofem"]
        let records = titles.enumerated().map { index, title in
            ActivityRecord(id: Int64(index + 1), programmeSlug: EmbeddedProgrammes.krakowSlug, taskCode: "4.2", kind: .event,
                           title: title, startDate: CalendarDate(year: 2025, month: 3, day: 14)!, organisationID: 4,
                           participants: 10, notes: "uwagi;-2+3", status: .approved)
        }
        let csv = ActivityCSV.export(records: records, organisationName: { _ in "Fundacja Dialog" }, includeStatus: false)
        #expect(Self.semicolonCells(csv).allSatisfy { !Self.isLive($0) }, "\(csv)")
        let parsed = ActivityCSV.parse(text: csv, programme: programme, organisationID: { $0 == "Fundacja Dialog" ? 4 : nil },
                                       allowUnknownOrganisations: false)
        guard case let .success(rows) = parsed else {
            Issue.record("not read back: \(parsed)")
            return
        }
        #expect(rows.map(\.input.title) == titles.map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(rows.allSatisfy { $0.input.notes == "uwagi;-2+3" })
    }

    @Test func budgetExportsRoundTrip() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let entries = [BudgetEntry(programmeSlug: programme.slug, year: 2025, taskCode: "4.2", source: 1, plannedGrosze: 150_050,
                                   spentGrosze: 0, note: "Spotkanie;=1+1")]
        let csv = BudgetCSV.write(entries)
        #expect(csv.contains("\"Spotkanie;'=1+1\""))
        guard case let .entries(read) = BudgetCSV.parse(csv, programme: programme, by: nil, at: Date()) else {
            Issue.record("not read back")
            return
        }
        #expect(read.map(\.note) == ["Spotkanie;=1+1"] && read.map(\.plannedGrosze) == [150_050])
    }
}
