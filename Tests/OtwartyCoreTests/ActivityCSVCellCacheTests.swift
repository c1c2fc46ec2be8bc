import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// The import's faster routines (issue 15, point 6) against the ones they stand in for: the
/// parser with its per-column answers remembered (`CellCache`) against the parser checking every
/// cell, and the rule checks' shortcuts (`ActivityInput`, `PlainText`) against the plain rule, on
/// edge cases and seeded random inputs.
@Suite struct ActivityCSVCellCacheTests {
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }


    static let organisations: [String: OrganisationID] = ["Urząd Miasta Krakowa": 1, "Fundacja Dom": 2, "Straż Miejska": 3]

    static let labels = ActivityCSVLabels(
        kinds: [.event: ["wydarzenie", "event", "подія"], .meeting: ["spotkanie"], .training: ["spotkanie"]],
        audiences: [.residents: ["mieszkańcy", "жители"], .migrants: ["osoby z doświadczeniem migracyjnym"]])

    /// Per column: values that pass and values that do not, with padding, labels, case and
    /// formula apostrophes; drawn many times each so that the caches answer most cells.
    static let pools: [ActivityCSV.Column: [String]] = [
        .date: ["2025-03-14", "2025-03-14/2025-03-20", "2025-03-14/2025-03-14", "2025-02-30", "31.12.2025",
                "2025-03-20/2025-03-14", " 2025-01-01 ", ""],
        .task: ["4.2", "1.1", " 4.2", "9.9", "", "4.2 "],
        .kind: ["event", "Wydarzenie", "spotkanie", "meeting", "EVENT", "nope", "", " event "],
        .title: ["Dzień Otwartości", "  Spaced title  ", "'=SUM(A1)", "a;'=b", String(repeating: "ż", count: 300),
                 String(repeating: "ż", count: 301), String(repeating: "e\u{301}", count: 300), "", "Title, with comma",
                 "Line\nbreak", "Festyn „Sąsiedzi”"],
        .organisation: ["Urząd Miasta Krakowa", "Fundacja Dom", " Straż Miejska ", "Nowa Fundacja", "", "Nowa Fundacja",
                        String(repeating: "N", count: 201), "Urza\u{328}d Miasta Krakowa"],
        .district: ["", "XVIII", "Nowa Huta", "nowa huta", "city-wide", "City_Wide", "Nowhere", "18", "19", "IX Łagiewniki-Borek Fałęcki"],
        .participants: ["", "0", "120", "1000000000", "1000000001", "12a", "99999999999999999999", " 7 "],
        .beneficiaries: ["", "80", "-1", "3"],
        .audience: ["", "residents", "residents;migrants", "Mieszkańcy", "жители;police", "residents;;police", "nobody",
                    " residents ; migrants ", "spotkanie"],
        .amount: ["", "1500.50", "1 500,50", "1500.50 zł", "abc", "-5", "1.234"],
        .institution: ["", "SP 12", "  Szkoła  ", String(repeating: "i", count: 201), "'=x"],
        .languages: ["pl", "pl;uk", "PL; Uk", "pl;;uk", "", "pl;pl", " en ", "de;İ"],
        .notes: ["", "Notatka", String(repeating: "n", count: 2001), "multi\nline;'=x"],
        .participantsByAudience: ["", "residents:120", "residents:60;migrants:60", "police:5", "residents:1;residents:2",
                                  "mieszkańcy:3", "residents", "residents:x", ":4", "nobody:1"],
        .participantsNew: ["", "0", "10", "500", "x"],
    ]

    static let goodRow: [ActivityCSV.Column: String] = [
        .date: "2025-03-14", .task: "4.2", .kind: "event", .title: "Dzień Otwartości", .organisation: "Urząd Miasta Krakowa",
        .district: "XVIII", .participants: "120", .beneficiaries: "80", .audience: "residents;migrants", .amount: "1500.50",
        .institution: "SP 12", .languages: "pl;uk", .notes: "Notatka", .participantsByAudience: "", .participantsNew: "",
    ]

    static func quoted(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// A file of `rows` rows: mostly good rows, each cell swapped for a pool's value now and then
    /// (`badShare` of the cells); sometimes a row with a cell too few.
    static func file(rows: Int, badShare: Double, using random: inout SeededRandom) -> String {
        var lines = [ActivityCSV.columns.joined(separator: ",")]
        for _ in 0..<rows {
            var cells: [String] = []
            for column in ActivityCSV.Column.allCases {
                let value = Double.random(in: 0..<1, using: &random) < badShare
                    ? pools[column]!.randomElement(using: &random)! : goodRow[column]!
                cells.append(quoted(value))
            }
            if Double.random(in: 0..<1, using: &random) < badShare / 20 { cells.removeLast() }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func parse(_ text: String, caches: Bool, allowUnknown: Bool, labels: ActivityCSVLabels,
               chunkSize: Int? = nil) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        var parser = ActivityCSVParser(programme: programme, organisationID: { Self.organisations[$0] },
                                       allowUnknownOrganisations: allowUnknown, labels: labels)
        parser.usesCellCaches = caches
        guard let chunkSize else { return parser.parse(text) }
        let stream = ActivityCSVStream.text(text, parser: parser, chunkSize: chunkSize)
        var rows: [ActivityImportRow] = []
        do {
            while true {
                let batch = try stream.next(37)
                if batch.isEmpty { break }
                rows += batch
            }
        } catch {
            Issue.record("stream threw \(error)")
        }
        return stream.errors.isEmpty ? .success(rows) : .failure(stream.errors)
    }

    /// The same rows (every field) and the same problems (messages, rows, columns, order) with the
    /// caches as without, whole text or streamed in small chunks, codes only or with labels.
    @Test func theParserAnswersTheSameWithAndWithoutItsCaches() {
        var random = SeededRandom(seed: 15_06)
        var accepted = 0, refused = 0, problems = 0
        for round in 0..<120 {
            let badShare = [0.0, 0.002, 0.02, 0.2][round % 4]
            let text = Self.file(rows: Int.random(in: 1...300, using: &random), badShare: badShare, using: &random)
            let allowUnknown = round % 3 != 0
            let labels = round % 2 == 0 ? Self.labels : .codesOnly
            let plain = parse(text, caches: false, allowUnknown: allowUnknown, labels: labels)
            let cached = parse(text, caches: true, allowUnknown: allowUnknown, labels: labels)
            #expect(cached == plain, "round \(round)")
            let streamed = parse(text, caches: true, allowUnknown: allowUnknown, labels: labels, chunkSize: 97)
            #expect(streamed == plain, "round \(round), streamed")
            switch plain {
            case .success: accepted += 1
            case let .failure(errors):
                refused += 1
                problems += errors.totalCount
            }
        }
        // Both outcomes, and many problems, were compared.
        #expect(accepted >= 20)
        #expect(refused >= 40)
        #expect(problems >= 1000)
    }

    /// A problem found in a cell is reported again, row by row, when the same bytes come back.
    @Test func aRememberedProblemIsReportedForEveryRow() throws {
        let header = ActivityCSV.columns.joined(separator: ",")
        let row = ActivityCSV.Column.allCases.map { $0 == .kind ? "nope" : Self.quoted(Self.goodRow[$0]!) }.joined(separator: ",")
        let text = [header, row, row, row].joined(separator: "\n") + "\n"
        let errors = try #require(parse(text, caches: true, allowUnknown: false, labels: .codesOnly).failure)
        #expect(errors.errors.map(\.row) == [1, 2, 3])
        #expect(errors.errors.allSatisfy { $0.column == "kind" && $0.problem == .unknownKind(value: "\"nope\"") })
    }

    /// The cache against a dictionary: every key inserted is found with its own answer (keys of
    /// every length, many sharing prefixes and hashes' low bits), no other key is, and the bounds hold.
    @Test func theCacheFindsExactlyWhatWasInserted() {
        var random = SeededRandom(seed: 42)
        var cache = CellCache<Int, ActivityCSVParser.CellError>()
        var reference: [[UInt8]: Int] = [:]
        var order: [[UInt8]] = []
        func key() -> [UInt8] {
            let length = [1, 2, 7, 8, 9, 15, 16, 17, 40, 512, 513].randomElement(using: &random)!
            let alphabet: [UInt8] = Array("ab;:ż ".utf8)
            return (0..<length).map { _ in alphabet.randomElement(using: &random)! }
        }
        for n in 0..<6000 {
            let k = key()
            let found = k.withUnsafeBufferPointer { cache.find($0) }
            if let expected = reference[k] {
                #expect((try? found?.get()) == expected)
                continue
            }
            #expect(found == nil)
            k.withUnsafeBufferPointer { cache.insert($0, .success(n)) }
            if order.count < CellCache<Int, ActivityCSVParser.CellError>.maxEntries, k.count <= 512 {
                reference[k] = n
                order.append(k)
            }
        }
        #expect(cache.count == reference.count)
        #expect(cache.count <= 4096)
        for (k, expected) in reference {
            #expect(k.withUnsafeBufferPointer { try? cache.find($0)?.get() } == expected)
        }
        // A key one byte off is not found.
        for k in order.prefix(200) {
            var other = k
            other[other.count - 1] ^= 1
            if reference[other] == nil { #expect(other.withUnsafeBufferPointer { cache.find($0) } == nil) }
        }
    }

    // MARK: The rule checks' shortcuts

    static func randomText(_ alphabet: [String], maxLength: Int, using random: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    /// `normalised()` keeps languages that are already tidy as they are; any others go through the
    /// full rule, and either way the result is the full rule's.
    @Test func languagesAreTidiedAsBefore() {
        var random = SeededRandom(seed: 7)
        let alphabet = ["p", "l", "u", "k", "P", "L", ";", " ", "\t", "\r\n", "\n", "é", "İ", "Ł", "\u{00A0}", "-", "0", "\u{301}"]
        var kept = 0
        for _ in 0..<20_000 {
            let languages = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                Self.randomText(alphabet, maxLength: 4, using: &random)
            }
            let full = ActivityInput.tidyLanguages(languages)
            #expect(ActivityInput.sample(languages: languages).normalised().languages == full, "\(languages)")
            for language in languages where ActivityInput.isTidyLanguage(language) {
                #expect(ActivityInput.tidyLanguages([language]) == [language], "\(language.debugDescription)")
                kept += 1
            }
        }
        #expect(kept > 1000)
        // Kept as they are only when the full rule would keep them (a sufficient test, not an exact one).
        for (language, tidy) in [("pl", true), ("zh-hant", true), ("x;y", false), ("PL", false), (" pl", false),
                                 ("pl\r\n", false), ("", false), ("é", false), ("p\tl", false)] {
            #expect(ActivityInput.isTidyLanguage(language) == tidy, "\(language.debugDescription)")
        }
    }

    /// Counting characters only when the bytes could exceed a limit gives `count > limit`.
    @Test func lengthLimitsAreCheckedAsByCountingCharacters() {
        var random = SeededRandom(seed: 11)
        let alphabet = ["a", "ż", "e\u{301}", "\r\n", "👍🏽", "🇵🇱", "\u{301}", " "]
        for _ in 0..<5000 {
            let text = Self.randomText(alphabet, maxLength: 40, using: &random)
            let limit = Int.random(in: 0...45, using: &random)
            #expect(ActivityInput.exceeds(text, limit) == (text.count > limit), "\(text.debugDescription) \(limit)")
        }
    }

    /// `problems(in:isTask:)`, told what `programme.task(code:)` says, finds what `problems(in:)` finds.
    @Test func ruleProblemsAreTheSameWhenToldTheTask() {
        var random = SeededRandom(seed: 3)
        let codes = programme.tasks.map(\.code) + ["9.9", "1.01", "", "4.2 "]
        for _ in 0..<3000 {
            var input = ActivityInput.sample(languages: ["pl"])
            input.taskCode = codes.randomElement(using: &random)!
            input.title = Self.randomText(["a", "ż", " ", "e\u{301}"], maxLength: 320, using: &random)
            input.notes = Self.randomText(["n", "ń", "\u{301}"], maxLength: 2010, using: &random)
            input.institution = Bool.random(using: &random) ? nil : Self.randomText(["i", "ó"], maxLength: 210, using: &random)
            input.participants = Bool.random(using: &random) ? nil : Int.random(in: -1...20, using: &random)
            input.participantsNew = Bool.random(using: &random) ? nil : Int.random(in: -1...25, using: &random)
            if Bool.random(using: &random) {
                input.participantsByAudience = AudienceBreakdown([.residents: Int.random(in: 0...10, using: &random),
                                                                  .police: Int.random(in: 0...10, using: &random)])
            }
            #expect(input.problems(in: programme, isTask: programme.task(code: input.taskCode) != nil)
                == input.problems(in: programme))
        }
    }

    /// The breakdown's problems as they were found before (the ordered parts made every time).
    static func breakdownProblemsBefore(_ input: ActivityInput) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        let counts = NumberRange.count.bounds
        if let breakdown = input.participantsByAudience {
            var partsInRange = true
            for (audience, count) in breakdown.ordered where !counts.contains(Int64(count)) {
                partsInRange = false
                add(ActivityInput.partField(audience), "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
            }
            let outside = breakdown.ordered.map(\.audience).filter { !input.audiences.isEmpty && !input.audiences.contains($0) }
            if !outside.isEmpty {
                add("participantsByAudience", "error.activity.breakdown-audience",
                    "names \(outside.map(\.rawValue).joined(separator: ", ")), not among the record's audiences")
            }
            if partsInRange, let participants = input.participants, !breakdown.counts.isEmpty, breakdown.total != Double(participants) {
                add("participantsByAudience", "error.activity.breakdown-sum",
                    "adds up to \(Int(breakdown.total)), not to the \(participants) participants")
            }
        }
        let breakdownTotal = input.participantsByAudience.flatMap { b in
            b.counts.isEmpty || b.total > Double(counts.upperBound) ? nil : Int(b.total)
        }
        if let participantsNew = input.participantsNew {
            if !counts.contains(Int64(participantsNew)) {
                add("participantsNew", "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
            } else if let total = input.participants ?? breakdownTotal ?? input.beneficiaries {
                if participantsNew > total {
                    let counted = input.participants != nil || breakdownTotal != nil ? "participants" : "beneficiaries"
                    add("participantsNew", "error.activity.participants-new",
                        "is more than the \(total) \(counted) the record counts")
                }
            } else {
                add("participantsNew", "error.activity.participants-new-alone",
                    "needs the number of participants or beneficiaries it is part of")
            }
        }
        return errors
    }

    @Test func breakdownProblemsAreFoundAsBefore() {
        var random = SeededRandom(seed: 17)
        var found = 0
        let edge = [-1, 0, 1, 5, 1_000_000_000, 1_000_000_001, Int.max / 20]
        for _ in 0..<20_000 {
            var input = ActivityInput.sample(languages: [])
            input.audiences = Set(Audience.allCases.filter { _ in Int.random(in: 0..<4, using: &random) == 0 })
            input.participants = Bool.random(using: &random) ? nil : edge.randomElement(using: &random)! % 50
            input.beneficiaries = Bool.random(using: &random) ? nil : Int.random(in: 0...30, using: &random)
            input.participantsNew = Bool.random(using: &random) ? nil : edge.randomElement(using: &random)! % 40
            if Int.random(in: 0..<4, using: &random) > 0 {
                var counts: [Audience: Int] = [:]
                for audience in Audience.allCases where Int.random(in: 0..<4, using: &random) == 0 {
                    counts[audience] = Bool.random(using: &random) ? edge.randomElement(using: &random)! : Int.random(in: 0...20, using: &random)
                }
                input.participantsByAudience = AudienceBreakdown(counts)
            }
            let before = Self.breakdownProblemsBefore(input)
            #expect(input.breakdownProblems() == before)
            found += before.count
        }
        #expect(found > 5000)
    }

    /// The stream's UTF-8 check against the standard library's: every sequence of one and two
    /// bytes, three- and four-byte sequences around each boundary, and random bytes.
    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        func agree(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { ActivityCSVStream.isValidUTF8($0) == (String(validating: $0, as: UTF8.self) != nil) }
        }
        var disagreements: [[UInt8]] = []
        func check(_ bytes: [UInt8]) { if !agree(bytes), disagreements.count < 10 { disagreements.append(bytes) } }
        for a in 0...255 {
            check([UInt8(a)])
            for b in 0...255 { check([UInt8(a), UInt8(b)]) }
        }
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
                              0xF0, 0xF4, 0xF5, 0xFF]
        for a in 0xE0...0xFF {
            for b in 0...255 {
                for c in edges {
                    check([UInt8(a), UInt8(b), c])
                    if a >= 0xF0 { for d: UInt8 in [0x41, 0x80, 0xBF, 0xC0] { check([UInt8(a), UInt8(b), c, d]) } }
                }
            }
        }
        var random = SeededRandom(seed: 8)
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("ż".utf8), Array("€".utf8), Array("👍".utf8), [0x80], [0xC3], [0xE2, 0x82],
                                 [0xF0, 0x9F], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], Array("0123456789,\n".utf8)]
        var valid = 0
        for _ in 0..<50_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                bytes += Int.random(in: 0..<5, using: &random) == 0 ? [UInt8.random(in: 0...255, using: &random)]
                    : pieces.randomElement(using: &random)!
            }
            check(bytes)
            if String(validating: bytes, as: UTF8.self) != nil { valid += 1 }
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
        #expect(valid > 5000)
    }

    /// `normalised()` as it was before issue 15 (point 6).
    static func normalisedBefore(_ input: ActivityInput) -> ActivityInput {
        var copy = input
        if let breakdown = input.participantsByAudience {
            if breakdown.counts.isEmpty {
                copy.participantsByAudience = nil
            } else {
                if input.audiences.isEmpty { copy.audiences = Set(breakdown.counts.keys) }
                if input.participants == nil, breakdown.total <= Double(NumberRange.count.bounds.upperBound) {
                    copy.participants = Int(breakdown.total)
                }
            }
        }
        copy.title = input.title.trimmingWhitespace()
        copy.institution = input.institution?.trimmingWhitespace().nilIfEmpty
        copy.notes = input.notes.trimmingWhitespace()
        copy.evidenceURL = input.evidenceURL?.trimmingWhitespace().nilIfEmpty
        copy.languages = input.languages.flatMap { $0.split(separator: ";") }.map { String($0).trimmingWhitespace().lowercased() }
            .filter { !$0.isEmpty }
        return copy
    }

    @Test func inputsAreNormalisedAsBefore() {
        var random = SeededRandom(seed: 23)
        let alphabet = ["a", "Ż", " ", "\u{00A0}", "\n", "e\u{301}", ";", "P"]
        for _ in 0..<10_000 {
            var input = ActivityInput.sample(languages: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                Self.randomText(["p", "l", "U", ";", " ", "é"], maxLength: 3, using: &random)
            })
            input.title = Self.randomText(alphabet, maxLength: 6, using: &random)
            input.notes = Self.randomText(alphabet, maxLength: 6, using: &random)
            input.institution = Bool.random(using: &random) ? nil : Self.randomText(alphabet, maxLength: 4, using: &random)
            input.evidenceURL = Bool.random(using: &random) ? nil : Self.randomText(alphabet, maxLength: 4, using: &random)
            input.audiences = Set(Audience.allCases.filter { _ in Int.random(in: 0..<5, using: &random) == 0 })
            input.participants = Bool.random(using: &random) ? nil : Int.random(in: 0...20, using: &random)
            if Bool.random(using: &random) {
                var counts: [Audience: Int] = [:]
                for audience in Audience.allCases where Int.random(in: 0..<4, using: &random) == 0 {
                    counts[audience] = [0, 3, 2_000_000_000].randomElement(using: &random)!
                }
                input.participantsByAudience = AudienceBreakdown(counts)
            }
            let before = Self.normalisedBefore(input)
            #expect(input.normalised() == before)
            var inPlace = input
            inPlace.normalise()
            #expect(inPlace == before)
        }
    }

    /// The search text in one string is the two folds joined, also when Foundation folds one part.
    @Test func theSearchTextIsBothFoldsJoined() {
        var random = SeededRandom(seed: 5)
        let alphabet = ["a", "Ż", "ł", "Ї", " ", "„", "e\u{301}", "👍", "ß", "\n", "\u{00A0}", "İ"]
        for _ in 0..<5000 {
            let title = Self.randomText(alphabet, maxLength: 12, using: &random)
            let institution = Self.randomText(alphabet, maxLength: 6, using: &random)
            #expect(PlainText.fold(title, newline: institution) == PlainText.fold(title) + "\n" + PlainText.fold(institution))
            #expect(ActivityRecord.searchText(title: title, institution: institution)
                == ActivityRecord.searchKey(title) + "\n" + ActivityRecord.searchKey(institution))
        }
        #expect(ActivityRecord.searchText(title: " Festyn ", institution: nil) == "festyn\n")
    }
}

extension ActivityInput {
    static func sample(languages: [String]) -> ActivityInput {
        ActivityInput(taskCode: "4.2", kind: .event, title: "Tytuł", startDate: CalendarDate(year: 2025, month: 3, day: 14)!,
                      organisationID: 1, languages: languages)
    }
}

