import Foundation
import Testing
@testable import OtwartyCore

/// The activity import/export format (docs/import-format.md) and the CSV reader and writer under it.
@Suite struct ActivityCSVTests {
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    static let organisations: [String: OrganisationID] = [
        "Urząd Miasta Krakowa": 1,
        "Fundacja \"Dom\", Kraków": 2,
        "Straż Miejska Miasta Krakowa": 3,
        "=Stowarzyszenie": 4,
    ]

    static let header = ActivityCSV.columns.joined(separator: ",")

    /// A valid value for every column.
    static let good: [ActivityCSV.Column: String] = [
        .date: "2025-03-14", .task: "4.2", .kind: "event", .title: "Dzień Otwartości",
        .organisation: "Urząd Miasta Krakowa", .district: "XVIII", .participants: "120", .beneficiaries: "80",
        .audience: "residents;migrants", .amount: "1500.50", .institution: "SP 12", .languages: "pl;uk",
        .notes: "Notatka", .participantsByAudience: "", .participantsNew: "",
    ]

    /// CSV quoting only (no formula protection), so tests control exactly what the file says.
    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    static func row(_ changes: [ActivityCSV.Column: String] = [:]) -> String {
        ActivityCSV.Column.allCases.map { quoted(changes[$0] ?? good[$0]!) }.joined(separator: ",")
    }

    static func file(_ rows: [String], lineEnd: String = "\n") -> String {
        ([header] + rows).joined(separator: lineEnd) + lineEnd
    }

    func parse(_ text: String, allowUnknown: Bool = false) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        ActivityCSV.parse(text: text, programme: programme, organisationID: { Self.organisations[$0] },
                          allowUnknownOrganisations: allowUnknown)
    }

    func importRows(_ text: String, allowUnknown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) -> [ActivityImportRow] {
        switch parse(text, allowUnknown: allowUnknown) {
        case let .success(rows): return rows
        case let .failure(errors):
            Issue.record("unexpected errors:\n\(errors)", sourceLocation: sourceLocation)
            return []
        }
    }

    func importErrors(_ text: String, allowUnknown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) -> ActivityCSVErrors {
        switch parse(text, allowUnknown: allowUnknown) {
        case let .success(rows):
            Issue.record("expected errors, got \(rows.count) rows", sourceLocation: sourceLocation)
            return ActivityCSVErrors()
        case let .failure(errors): return errors
        }
    }

    // MARK: A good file

    @Test func goodFileWithEveryColumnForm() throws {
        // Columns in another order than export's; BOM and CRLF; quoted fields with commas,
        // quotes and a line break; spaces around values.
        let text = "\u{FEFF}title,date,task,kind,organisation,district,participants,beneficiaries,audience,amount,institution,languages,notes\r\n"
            + "\"Festiwal \"\"Otwarty Kraków\"\", edycja 2\",2025-03-14,4.2,event, Urząd Miasta Krakowa ,,120,80,residents; migrants ;residents,1500.50,SP 12,PL; uk ;pl,\"Linia 1\nLinia 2\"\r\n"
            + "Szkolenie,2025-05-01/2025-05-03,1.1,training,\"Fundacja \"\"Dom\"\", Kraków\",city-wide,0,,city_office;municipal_guard,\"1500,5\",,,\r\n"
            + "Raport,2025-06-30/2025-06-30,6.1,research_report,Straż Miejska Miasta Krakowa,city_wide,1000,2,,0.05,,,\r\n"
            + "D1,2025-01-02,3.1,workshop,Urząd Miasta Krakowa,18,,,,7,,,\r\n"
            + "D2,2025-01-02,3.1,consultation,Urząd Miasta Krakowa,Nowa Huta,,,,\"7,00\",,,\r\n"
            + "D3,2025-01-02,3.1,other,Urząd Miasta Krakowa,IX Łagiewniki-Borek Fałęcki,,,,,,,\r\n"
            + "D4,2025-01-02,3.1,meeting,Urząd Miasta Krakowa,XIV,,,,,,,\r\n"
            + "\r\n\r\n"
        let rows = importRows(text)
        try #require(rows.count == 7)

        let festival = rows[0]
        #expect(festival.row == 1 && festival.line == 2)
        #expect(festival.title == "Festiwal \"Otwarty Kraków\", edycja 2")
        #expect(festival.startDate == CalendarDate(year: 2025, month: 3, day: 14))
        #expect(festival.endDate == nil)
        #expect(festival.taskCode == "4.2")
        #expect(festival.kind == .event)
        #expect(festival.organisation == .existing(1))
        #expect(festival.district == nil)
        #expect(festival.participants == 120)
        #expect(festival.beneficiaries == 80)
        #expect(festival.audiences == [.residents, .migrants])
        #expect(festival.amountGrosze == 150_050)
        #expect(festival.institution == "SP 12")
        #expect(festival.languages == ["pl", "uk"])
        #expect(festival.notes == "Linia 1\nLinia 2")

        let training = rows[1]
        #expect(training.row == 2 && training.line == 4, "the quoted line break moves the next row down a line")
        #expect(training.startDate == CalendarDate(year: 2025, month: 5, day: 1))
        #expect(training.endDate == CalendarDate(year: 2025, month: 5, day: 3))
        #expect(training.organisation == .existing(2))
        #expect(training.district == nil)
        #expect(training.participants == 0)
        #expect(training.beneficiaries == nil)
        #expect(training.audiences == [.cityOffice, .municipalGuard])
        #expect(training.amountGrosze == 150_050)
        #expect(training.institution == nil)
        #expect(training.languages.isEmpty)
        #expect(training.notes == "")

        let report = rows[2]
        #expect(report.kind == .researchReport)
        #expect(report.endDate == nil, "a range of one day is a one-day activity")
        #expect(report.district == nil)
        #expect(report.participants == 1000)
        #expect(report.audiences.isEmpty)
        #expect(report.amountGrosze == 5)

        #expect(rows[3].district == District(number: 18))
        #expect(rows[3].amountGrosze == 700)
        #expect(rows[4].district == District(number: 18))
        #expect(rows[4].amountGrosze == 700)
        #expect(rows[5].district == District(number: 9))
        #expect(rows[6].district == District(number: 14))
        #expect(rows.map(\.row) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func oneRowFileWithoutFinalLineBreak() throws {
        let rows = importRows(Self.header + "\n" + Self.row())
        try #require(rows.count == 1)
        #expect(rows[0].title == "Dzień Otwartości")
        #expect(rows[0].district == District(number: 18))
    }

    // MARK: Bad cells

    /// One bad value in one column → exactly one error naming row 1 (line 2) and that column.
    @Test(arguments: [
        (ActivityCSV.Column.date, "31.12.2025", "\"31.12.2025\" is not a date (YYYY-MM-DD"),
        (.date, "", "required"),
        (.date, "2025-02-30", "\"2025-02-30\" is not a day of the calendar"),
        (.date, "2025-3-14", "is not a date"),
        (.date, "2025-03-14/2025-03-01", "the end date is before the start date"),
        (.date, "2025-03-14/2025-13-01", "\"2025-13-01\" is not a day of the calendar"),
        (.date, "2025-03-14/", "is not a date"),
        (.date, "2025-03-14T10:00", "is not a date"),
        (.task, "9.9", "\"9.9\" is not a task of the programme"),
        (.task, "", "required"),
        (.kind, "party", "\"party\" is not one of: event, training, workshop, consultation, course, meeting, publication, translation, promotion, patronage, research_report, analysis, initiative, other, conference, seminar, debate"),
        (.kind, "Event", "is not one of"),
        (.kind, "research report", "is not one of"),
        (.kind, "", "required"),
        (.title, "", "required"),
        (.title, String(repeating: "ą", count: 301), "301 characters; at most 300"),
        (.organisation, "Fundacja Nieznana", "\"Fundacja Nieznana\" is not a known organisation"),
        (.organisation, "", "required"),
        (.district, "Kazimierz", "\"Kazimierz\" is not a district"),
        (.district, "19", "is not a district"),
        (.district, "0", "is not a district"),
        (.participants, "1.5", "\"1.5\" is not a whole number"),
        (.participants, "-3", "\"-3\" is not a whole number"),
        (.participants, "1e3", "is not a whole number"),
        (.participants, "1 000", "is not a whole number"),
        (.participants, "1,000", "is not a whole number"),
        (.participants, "2000000000", "is too large"),
        (.participants, "99999999999999999999", "\"99999999999999999999\" is too large (at most 1000000000)"),
        (.beneficiaries, "9223372036854775808", "is too large"),
        (.beneficiaries, "dużo", "is not a whole number"),
        (.audience, "kids", "\"kids\" is not one of: city_office, municipal_guard, police, teachers, parents, pupils, residents, migrants, minorities, other"),
        (.audience, "teachers;;pupils", "has an empty item"),
        (.audience, "teachers;", "has an empty item"),
        (.amount, "12.345", "\"12.345\" has more than 2 decimal places"),
        (.amount, "1,500", "has more than 2 decimal places"),
        (.amount, "-5", "\"-5\": the amount cannot be negative"),
        (.amount, "-5.50", "cannot be negative"),
        (.amount, "1e3", "is not an amount in PLN"),
        (.amount, "1 5000,00", "is not an amount in PLN"),
        (.amount, "1,500.50", "is not an amount in PLN"),
        (.amount, "1.234,56", "is not an amount in PLN"),
        (.amount, "15.", "is not an amount in PLN"),
        (.amount, ".5", "is not an amount in PLN"),
        (.amount, "100 EUR", "is not an amount in PLN"),
        (.amount, "99999999999999", "is too large"),
        (.amount, "99999999999999999999.99", "is too large"),
        (.amount, "1000000000.01", "1000000000 PLN"),
        (.institution, String(repeating: "x", count: 201), "201 characters; at most 200"),
        (.languages, "pl;;en", "has an empty item"),
        (.notes, String(repeating: "n", count: 2001), "2001 characters; at most 2000"),
    ])
    func badCell(column: ActivityCSV.Column, value: String, message: String) throws {
        let errors = importErrors(Self.file([Self.row([column: value])]))
        try #require(errors.errors.count == 1, "\(errors)")
        let error = errors.errors[0]
        #expect(error.row == 1)
        #expect(error.line == 2)
        #expect(error.column == column.rawValue)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.description.hasPrefix("row 1 (line 2), column \(column.rawValue): "))
    }

    @Test func errorDescriptionReadsLikeTheBrief() {
        let errors = importErrors(Self.file([Self.row(), Self.row(), Self.row([.task: "9.9"])]))
        #expect(errors.description == "row 3 (line 4), column task: \"9.9\" is not a task of the programme")
    }

    @Test func longValuesAreShortenedInMessages() throws {
        let errors = importErrors(Self.file([Self.row([.date: String(repeating: "9", count: 500)])]))
        let message = try #require(errors.errors.first?.message)
        #expect(message.count < 200)
        #expect(message.contains("…"))
    }

    @Test func limitsCountCharactersNotBytes() {
        // 300 Polish letters are 600 bytes: still a valid title.
        #expect(importRows(Self.file([Self.row([.title: String(repeating: "ż", count: 300)])])).count == 1)
    }

    @Test func unknownOrganisationsCanBeCreated() throws {
        var asked: [String] = []
        let text = Self.file([
            Self.row([.organisation: "  Nowa Fundacja  "]), Self.row([.organisation: "Nowa Fundacja"]),
            Self.row(), Self.row(),
        ])
        let result = ActivityCSV.parse(text: text, programme: programme,
                                       organisationID: { asked.append($0); return Self.organisations[$0] },
                                       allowUnknownOrganisations: true)
        let rows = try result.get()
        #expect(rows.map(\.organisation) == [.new(name: "Nowa Fundacja"), .new(name: "Nowa Fundacja"), .existing(1), .existing(1)])
        #expect(asked == ["Nowa Fundacja", "Urząd Miasta Krakowa"], "each distinct name is looked up once")

        let long = importErrors(Self.file([Self.row([.organisation: String(repeating: "o", count: 201)])]), allowUnknown: true)
        #expect(long.errors.map(\.column) == ["organisation"])
    }

    @Test func typedThrowsThroughGet() {
        do {
            _ = try ActivityCSV.parse(text: "", programme: programme, organisationID: { _ in nil },
                                      allowUnknownOrganisations: false).get()
            Issue.record("an empty file imported")
        } catch {
            // `error` is an ActivityCSVErrors, not `any Error`.
            #expect(error.totalCount == 1)
        }
    }

    // MARK: Many errors

    @Test func everyProblemOfEveryRowIsReported() {
        let text = Self.file([
            Self.row(),
            Self.row([.date: "31.12.2025", .task: "9.9", .kind: "party"]),
            Self.row(),
            Self.row([.participants: "1.5", .amount: "-1", .audience: "kids"]),
            "too,few,cells",
            Self.row([.organisation: "Nikt"]),
        ])
        let errors = importErrors(text)
        #expect(errors.errors.map(\.description) == [
            "row 2 (line 3), column date: \"31.12.2025\" is not a date (YYYY-MM-DD, or YYYY-MM-DD/YYYY-MM-DD for several days)",
            "row 2 (line 3), column task: \"9.9\" is not a task of the programme",
            "row 2 (line 3), column kind: \"party\" is not one of: \(ActivityKind.allCases.map(\.rawValue).joined(separator: ", "))",
            "row 4 (line 5), column participants: \"1.5\" is not a whole number of 0 or more (digits only, e.g. 1200)",
            "row 4 (line 5), column audience: \"kids\" is not one of: \(Audience.allCases.map(\.rawValue).joined(separator: ", "))",
            "row 4 (line 5), column amount: \"-1\": the amount cannot be negative",
            "row 5 (line 6): the row has 3 cells, the header has 15",
            "row 6 (line 7), column organisation: \"Nikt\" is not a known organisation",
        ])
        #expect(errors.omittedCount == 0)
        #expect(errors.description.split(separator: "\n").count == 8)
    }

    @Test func storedErrorsAreCappedAndTheRestCounted() {
        let bad = Self.row([.task: "9.9", .kind: "party"])
        let errors = importErrors(Self.file(Array(repeating: bad, count: 600)))
        #expect(errors.errors.count == ActivityCSVErrors.storedLimit)
        #expect(errors.omittedCount == 200)
        #expect(errors.totalCount == 1200)
        #expect(errors.description.hasSuffix("… and 200 more problems"))
        #expect(errors.errors.last?.row == 500)
    }

    // MARK: Row shape

    @Test func wrongCellCountNamesTheRow() {
        let errors = importErrors(Self.file([Self.row(), Self.row() + ",extra", "2025-01-01,4.2"]))
        #expect(errors.errors.map(\.description) == [
            "row 2 (line 3): the row has 16 cells, the header has 15",
            "row 3 (line 4): the row has 2 cells, the header has 15",
        ])
    }

    @Test func emptyRowsAreIgnoredOnlyAtTheEnd() {
        #expect(importRows(Self.file([Self.row(), "", ",,,,,,,,,,,,", ""])).count == 1)
        #expect(importRows(Self.header + "\r\n" + Self.row() + "\r\n\r\n\r\n").count == 1)
        let errors = importErrors(Self.file([Self.row(), "", Self.row()]))
        #expect(errors.errors.map(\.description) == ["row 2 (line 3): the row is empty; remove empty rows between rows"])
    }

    @Test func rowLimit() {
        let text = Self.file(Array(repeating: Self.row(), count: 4))
        if case let .failure(errors) = ActivityCSV.parse(text: text, programme: programme, organisationID: { Self.organisations[$0] },
                                                         allowUnknownOrganisations: false, maxRows: 3) {
            #expect(errors.errors.map(\.description) == ["line 5: the file has more than 3 rows; split it into files of at most 3 rows"])
        } else {
            Issue.record("4 rows passed a limit of 3")
        }
        #expect((try? ActivityCSV.parse(text: text, programme: programme, organisationID: { Self.organisations[$0] },
                                        allowUnknownOrganisations: false, maxRows: 4).get())?.count == 4)
        #expect(ActivityCSVParser.grouped(ActivityCSV.maxRows) == "1,000,000")
        #expect(ActivityCSV.Column.allCases.map(ActivityCSVParser.slot) == Array(0..<15))
    }

    // MARK: The header

    @Test func headerProblems() {
        let columns = ActivityCSV.columns
        func headerErrors(_ names: [String]) -> [String] {
            importErrors(names.joined(separator: ",") + "\n" + Self.row() + "\n").errors.map(\.description)
        }
        #expect(headerErrors(columns.filter { $0 != "kind" && $0 != "notes" }) == [
            "line 1, column kind: the column is missing from the header",
            "line 1, column notes: the column is missing from the header",
        ])
        #expect(headerErrors(columns + ["colour"]) ==
            ["line 1, column colour: not a column of the format; the columns are: \(columns.joined(separator: ", "))"])
        #expect(headerErrors(columns + ["title"]) ==
            ["line 1, column title: the column appears twice in the header (columns 4 and 16)"])
        #expect(headerErrors(["Date"] + columns.dropFirst()) == [
            "line 1, column Date: not a column of the format; column names are lowercase: date",
            "line 1, column date: the column is missing from the header",
        ])
        #expect(headerErrors(columns + ["status", "id"]) == [
            "line 1, column status: only exports have this column; remove the status and id columns to import the file",
            "line 1, column id: only exports have this column; remove the status and id columns to import the file",
        ])
        #expect(headerErrors(columns + [""]) == ["line 1: column 16 of the header has no name"])
        #expect(headerErrors([columns.joined(separator: ";")]).count == 1)
        #expect(headerErrors([columns.joined(separator: ";")])[0].contains("separated by semicolons"))
        // Spaces around names are forgiven.
        #expect(importRows(columns.map { " \($0) " }.joined(separator: ",") + "\n" + Self.row()).count == 1)
    }

    @Test func emptyAndHeaderOnlyFiles() {
        let empty = "the file is empty; its first line must be the header: \(Self.header)"
        #expect(importErrors("").description == empty)
        #expect(importErrors("\u{FEFF}").description == empty)
        #expect(importErrors(Self.header).description == "no rows: the file has a header but no activity rows")
        #expect(importErrors(Self.header + "\r\n").description == "no rows: the file has a header but no activity rows")
        #expect(importErrors(Self.header + "\n\n,,,,,,,,,,,,\n").description == "no rows: the file has a header but no activity rows")
    }

    @Test func notUTF8() {
        // "Kraków" with a Windows-1250 "ł" (0xB3) on line 3, as Excel's plain "CSV" saves it.
        var data = Array((Self.header + "\n" + Self.row() + "\n").utf8)
        data += Array("2025-01-01,4.2,event,Bia".utf8) + [0xB3] + Array("y,x\n".utf8)
        let result = ActivityCSV.parse(data: data, programme: programme, organisationID: { Self.organisations[$0] },
                                       allowUnknownOrganisations: false)
        guard case let .failure(errors) = result else { Issue.record("accepted bytes that are not UTF-8"); return }
        #expect(errors.description == "line 3: the file is not UTF-8 text (byte 0xB3); save it as \"CSV UTF-8 (comma delimited)\"")
        let good = ActivityCSV.parse(data: Array(Self.file([Self.row()]).utf8), programme: programme,
                                     organisationID: { Self.organisations[$0] }, allowUnknownOrganisations: false)
        #expect((try? good.get())?.count == 1)
    }

    // MARK: The CSV reader

    @Test func readerQuotesLineBreaksAndBOM() throws {
        let records = try CSVReader.records("\u{FEFF}a,\"b,1\",\"c \"\"q\"\"\"\r\n\"multi\nline\r\ntext\",,\"\"\nlast,x,y")
        #expect(records.map(\.fields) == [["a", "b,1", "c \"q\""], ["multi\nline\r\ntext", "", ""], ["last", "x", "y"]])
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(try CSVReader.records("").isEmpty)
        #expect(try CSVReader.records("\n").map(\.fields) == [[""]])
        #expect(try CSVReader.records("a,").map(\.fields) == [["a", ""]])
        #expect(try CSVReader.records("\"a\"").map(\.fields) == [["a"]])
        #expect(try CSVReader.records(",\n,").map(\.fields) == [["", ""], ["", ""]])
        #expect(try CSVReader.records("zażółć,gęślą\r\n").map(\.fields) == [["zażółć", "gęślą"]])
        #expect(try CSVReader.records("a,b\nc,d").map { $0[1] } == ["b", "d"])
    }

    @Test func readerStopsWhenAsked() throws {
        var seen = 0
        try CSVReader.read("a\nb\nc\n") { _ in
            seen += 1
            return seen == 2 ? .stop : .continue
        }
        #expect(seen == 2)
    }

    @Test(arguments: [
        ("a,b\nc,d\"e\n", 2, CSVReadError.Reason.quoteInUnquotedField),
        ("a,\"b\"c\n", 1, .textAfterClosingQuote),
        ("a,b\n\"x\ny\",\"open\nstill open\n", 3, .unclosedQuote),
        ("a,b\rc,d\n", 1, .bareCarriageReturn),
        ("\"a\"\rb\n", 1, .bareCarriageReturn),
        ("\"a\nb\n\nc\"x\n", 4, .textAfterClosingQuote),
    ])
    func malformedQuotesReportTheirLine(text: String, line: Int, reason: CSVReadError.Reason) {
        #expect(throws: CSVReadError(line: line, reason: reason)) { try CSVReader.records(text) }
    }

    @Test func malformedQuoteInAnImportFile() {
        let text = Self.file([Self.row(), Self.row([.title: "x"]) + "\"", Self.row()])
        let errors = importErrors(text)
        #expect(errors.description.hasPrefix("line 3: "))
        #expect(errors.errors.count == 1)
        let unclosed = importErrors(Self.file([Self.row()]) + "2025-01-01,4.2,event,\"open title\n")
        #expect(unclosed.description == "line 3: a quoted field that starts here is never closed")
    }

    // MARK: The writer

    @Test func writerNeutralisesFormulas() {
        #expect(CSVWriter.cell("=1+1") == "'=1+1")
        #expect(CSVWriter.cell("+48 12 616 12 00") == "'+48 12 616 12 00")
        #expect(CSVWriter.cell("-5") == "'-5")
        #expect(CSVWriter.cell("@SUM(A1:A2)") == "'@SUM(A1:A2)")
        #expect(CSVWriter.cell("\tx") == "\"'\tx\"")   // a tab is quoted too (issue 10)
        #expect(CSVWriter.cell("\rx") == "\"'\rx\"")
        #expect(CSVWriter.cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVWriter.cell("'=x") == "''=x")
        #expect(CSVWriter.cell("'plain") == "'plain")
        #expect(CSVWriter.cell("a=b") == "a=b")
        #expect(CSVWriter.cell("") == "")
        #expect(CSVWriter.cell("a,b") == "\"a,b\"")
        #expect(CSVWriter.cell("a\nb") == "\"a\nb\"")
        #expect(CSVWriter.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        for value in ["=1+1", "'=1+1", "''@x", "-", "'", "''", "'a", "plain", "", "\tx", "+", "a-b"] {
            #expect(CSVWriter.restoreFormula(CSVWriter.neutraliseFormula(value)) == value, "\(value)")
        }
        var writer = CSVWriter(byteOrderMark: true)
        writer.writeRow(["a", "=b"])
        writer.writeRow(["", ""])
        #expect(writer.text == "\u{FEFF}a,'=b\r\n,\r\n")
    }

    // MARK: Export

    static let records: [ActivityRecord] = [
        ActivityRecord(id: 41, programmeSlug: EmbeddedProgrammes.krakowSlug, taskCode: "4.2", kind: .event,
                       title: "=HYPERLINK(\"http://evil\",\"klik\")", startDate: CalendarDate(year: 2025, month: 3, day: 14)!,
                       organisationID: 4, district: District(number: 18), participants: 120, beneficiaries: 0,
                       audiences: [.migrants, .cityOffice, .residents], amountGrosze: 150_050, institution: "SP 12, Kraków",
                       languages: ["pl", "uk"], notes: "Linia 1\nLinia \"2\"", status: .approved),
        ActivityRecord(id: 42, programmeSlug: EmbeddedProgrammes.krakowSlug, taskCode: "1.1", kind: .researchReport,
                       title: "-5 pomysłów; @ratusz", startDate: CalendarDate(year: 2025, month: 5, day: 1)!,
                       endDate: CalendarDate(year: 2025, month: 5, day: 3)!, organisationID: 2, district: District(number: 9),
                       amountGrosze: 5, notes: "+48 12 000 00 00", status: .draft),
        ActivityRecord(id: 43, programmeSlug: EmbeddedProgrammes.krakowSlug, taskCode: "6.4", kind: .other,
                       title: "'=już chronione", startDate: CalendarDate(year: 2026, month: 12, day: 31)!,
                       organisationID: 1, amountGrosze: 100_000_000_00, institution: "\tTab", status: .returned),
    ]

    static func organisationName(_ id: OrganisationID) -> String {
        organisations.first { $0.value == id }!.key
    }

    /// Cells with `;` and tabs are quoted, and a formula after a `;` is neutralised too (issue 10).
    @Test func exportFormat() {
        let text = ActivityCSV.export(records: Self.records, organisationName: Self.organisationName)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == Self.header + ",status,id")
        #expect(lines[1] == "2025-03-14,4.2,event,\"'=HYPERLINK(\"\"http://evil\"\",\"\"klik\"\")\",'=Stowarzyszenie,XVIII Nowa Huta,120,0,\"city_office;residents;migrants\",1500.50,\"SP 12, Kraków\",\"pl;uk\",\"Linia 1\nLinia \"\"2\"\"\",,,approved,41")
        #expect(lines[2] == "2025-05-01/2025-05-03,1.1,research_report,\"'-5 pomysłów;' @ratusz\",\"Fundacja \"\"Dom\"\", Kraków\",IX Łagiewniki-Borek Fałęcki,,,,0.05,,,'+48 12 000 00 00,,,draft,42")
        #expect(lines[3] == "2026-12-31,6.4,other,''=już chronione,Urząd Miasta Krakowa,,,,,100000000.00,\"'\tTab\",,,,,returned,43")
        #expect(lines[4] == "")
        #expect(lines.count == 5)

        let plain = ActivityCSV.export(records: [], organisationName: Self.organisationName, includeStatus: false)
        #expect(plain == Self.header + "\r\n")
        let withBOM = ActivityCSV.export(records: [], organisationName: Self.organisationName, byteOrderMark: true)
        #expect(withBOM.hasPrefix("\u{FEFF}date,"))
    }

    /// The amount cell reads what people type (Money.parse), not only what export writes.
    @Test(arguments: [("1 500,50", Int64(150_050)), ("1\u{00A0}500", 150_000), ("1500.50 zł", 150_050),
                      ("PLN 1500", 150_000), ("1 000 000 000,00", 100_000_000_000)])
    func amountAsTyped(value: String, grosze: Int64) throws {
        let rows = try parse(Self.file([Self.row([.amount: value])])).get()
        #expect(rows.map(\.amountGrosze) == [grosze])
    }

    @Test func roundTrip() throws {
        var records = Self.records
        records[2].institution = "Tab"  // import trims cells; a value that starts with a tab does not survive
        for byteOrderMark in [false, true] {
            let text = ActivityCSV.export(records: records, organisationName: Self.organisationName, includeStatus: false,
                                          byteOrderMark: byteOrderMark)
            let rows = try ActivityCSV.parse(text: text, programme: programme, organisationID: { Self.organisations[$0] },
                                             allowUnknownOrganisations: false).get()
            try #require(rows.count == records.count)
            for (row, record) in zip(rows, records) {
                #expect(row.taskCode == record.taskCode)
                #expect(row.kind == record.kind)
                #expect(row.title == record.title)
                #expect(row.startDate == record.startDate)
                #expect(row.endDate == record.endDate)
                #expect(row.organisation == .existing(record.organisationID))
                #expect(row.district == record.district)
                #expect(row.participants == record.participants)
                #expect(row.beneficiaries == record.beneficiaries)
                #expect(row.audiences == record.audiences)
                #expect(row.amountGrosze == record.amountGrosze)
                #expect(row.institution == record.institution)
                #expect(row.languages == record.languages)
                #expect(row.notes == record.notes)
            }
        }
        // With the status columns the file is an export, not an import file.
        let withStatus = ActivityCSV.export(records: records, organisationName: Self.organisationName)
        #expect(importErrors(withStatus).errors.map(\.column) == ["status", "id"])
    }

    // MARK: The documentation

    /// docs/import-format.md: its example imports, and its bad example gives exactly the messages it shows.
    @Test func documentedExamples() throws {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let doc = try String(contentsOf: here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/import-format.md"), encoding: .utf8)
        let csv = Self.fencedBlocks(doc, language: "csv")
        let text = Self.fencedBlocks(doc, language: "text")
        try #require(csv.count == 2 && text.count == 1)
        let organisations: [String: OrganisationID] = [
            "Urząd Miasta Krakowa": 1, "Centrum Wielokulturowe": 2, "Stowarzyszenie Romów w Polsce": 3,
        ]
        let good = try ActivityCSV.parse(text: csv[0], programme: programme, organisationID: { organisations[$0] },
                                         allowUnknownOrganisations: false).get()
        #expect(good.count == 5)
        #expect(good[1].title == "Szkolenie \"Dostępność usług\" dla urzędników")
        #expect(good[2].amountGrosze == 320_050)
        #expect(good[3].notes == "Patronat Prezydenta.\nRelacja na stronie.")
        #expect(good[4].line == 7)
        let bad = ActivityCSV.parse(text: csv[1], programme: programme, organisationID: { organisations[$0] },
                                    allowUnknownOrganisations: false)
        guard case let .failure(errors) = bad else { Issue.record("the bad example imported"); return }
        #expect(errors.description + "\n" == text[0])
    }

    /// The contents of each ```language fenced block, each ending with a line break.
    static func fencedBlocks(_ markdown: String, language: String) -> [String] {
        var blocks: [String] = []
        var current: String?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(language)" {
                current = ""
            } else if current != nil, line == "```" {
                blocks.append(current!)
                current = nil
            } else if current != nil {
                current! += line + "\n"
            }
        }
        return blocks
    }

    // MARK: Volume

    /// A file like the yearly bulk load, 100,000 rows, parsed whole (time is measured by the
    /// release benchmark, not here).
    @Test func hundredThousandRows() throws {
        let text = Self.generated(rows: 100_000)
        let rows = try ActivityCSV.parse(text: text, programme: programme, organisationID: { Self.organisations[$0] },
                                         allowUnknownOrganisations: false).get()
        #expect(rows.count == 100_000)
        #expect(rows.last?.row == 100_000)
        #expect(rows.last?.line == 100_001)
        #expect(rows[99_999].participants == 99_999 % 500)
        #expect(rows[99_999].participantsByAudience?.total == Double(99_999 % 500))
        #expect(Set(rows.map(\.taskCode)).count == programme.tasks.count)
    }

    static func generated(rows count: Int) -> String {
        let tasks = (try? EmbeddedProgrammes.krakow())?.tasks.map(\.code) ?? ["4.2"]
        let kinds = ActivityKind.allCases.map(\.rawValue)
        let names = organisations.keys.sorted().map(quoted)
        var text = header + "\n"
        text.reserveCapacity(count * 140)
        for i in 0..<count {
            let day = 1 + i % 28
            let month = 1 + i % 12
            text += "2025-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),\(tasks[i % tasks.count]),"
            text += "\(kinds[i % kinds.count]),Spotkanie nr \(i) w dzielnicy,\(names[i % names.count]),\(1 + i % 18),"
            text += "\(i % 500),\(i % 70),residents;migrants,\(i % 10_000).\(i % 100 < 10 ? "0" : "")\(i % 100),SP \(i % 90),pl;uk,,"
            // Issue 13's columns: a breakdown adding up to the participants, and "new" on 2 rows in 3.
            let participants = i % 500
            text += "residents:\(participants / 2);migrants:\(participants - participants / 2),\(i % 3 == 0 ? "" : String(participants / 3))\n"
        }
        return text
    }
}
