import Foundation
import Testing
@testable import OtwartyCore

/// The import file read a chunk at a time (`ActivityCSVStream`, issue 15): whatever the chunk
/// size, the rows and the problems are those of reading the whole text (`ActivityCSV.parse`).
@Suite struct ActivityCSVStreamTests {
    typealias T = ActivityCSVTests
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    func parser(allowUnknown: Bool = false) -> ActivityCSVParser {
        ActivityCSVParser(programme: programme, organisationID: { T.organisations[$0] }, allowUnknownOrganisations: allowUnknown)
    }

    /// Every row (or every problem) of `text` read through a stream with `chunkSize`, `batch` rows at a time.
    func streamed(_ text: String, chunkSize: Int, batch: Int = 2) throws -> Result<[ActivityImportRow], ActivityCSVErrors> {
        let stream = ActivityCSVStream.text(text, parser: parser(), chunkSize: chunkSize)
        var rows: [ActivityImportRow] = []
        while true {
            let next = try stream.next(batch)
            if next.isEmpty { break }
            rows += next
        }
        #expect(stream.isDone)
        return stream.errors.isEmpty ? .success(rows) : .failure(stream.errors)
    }

    func whole(_ text: String) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        ActivityCSV.parse(text: text, programme: programme, organisationID: { T.organisations[$0] }, allowUnknownOrganisations: false)
    }

    /// Quoted fields with line breaks, doubled quotes, CRLF, multi-byte letters (cut by small
    /// chunks in the middle of a character), a byte order mark and blank lines at the end.
    static let tricky: String = "\u{FEFF}" + T.file([
        T.row([.title: "Zażółć gęślą jaźń", .notes: "Trzy dni\r\npo 6 godzin, \"z przerwą\""]),
        T.row([.organisation: "Fundacja \"Dom\", Kraków", .institution: "Szkoła Podstawowa nr 85 – „Ćma”"]),
        T.row([.date: "2025-04-07/2025-04-09", .notes: "Патронат\nПрезидента"]),
        T.row([.title: "Ostatni", .languages: "pl;uk;en"]),
    ], lineEnd: "\r\n") + ",,,,,,,,,,,,,,\r\n\r\n"

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1 << 20])
    func rowsAreThoseOfTheWholeText(chunkSize: Int) throws {
        let expected = try whole(Self.tricky).get()
        #expect(expected.count == 4)
        #expect(try streamed(Self.tricky, chunkSize: chunkSize).get() == expected)
        // Without the blank lines and the final line break too.
        let unterminated = String(decoding: Array(Self.tricky.utf8).dropLast(2 + 16 + 2), as: UTF8.self)
        #expect(unterminated.hasSuffix("pl;uk;en,Notatka,,"))
        #expect(try streamed(unterminated, chunkSize: chunkSize).get() == whole(unterminated).get())
    }

    @Test(arguments: [1, 3, 8, 1 << 20])
    func problemsAreThoseOfTheWholeText(chunkSize: Int) throws {
        let files = [
            // Cell problems in two rows, an empty row between rows, a short row.
            T.file([T.row([.task: "9.9"]), "", T.row(), T.row([.participants: "-3", .date: "31.12.2025"]), "2025-06-02,4.3"]),
            // A quote left open at the end, a quote inside an unquoted field, a bare CR.
            T.file([T.row(), T.row([.title: "x"]) + ",\"open"]),
            T.file([T.row(), "2025-01-01,4.1,ev\"ent"]),
            "date,task\r" + T.row(),
            // An unusable header, an empty file, a header alone.
            "date;task;kind\n" + T.row(),
            "",
            T.header + "\n",
        ]
        for file in files {
            guard case let .failure(expected) = whole(file) else {
                Issue.record("expected problems in \(file.debugDescription)")
                continue
            }
            guard case let .failure(found) = try streamed(file, chunkSize: chunkSize) else {
                Issue.record("no problems streamed from \(file.debugDescription)")
                continue
            }
            #expect(found == expected, "\(file.debugDescription)")
        }
    }

    @Test(arguments: [1, 2, 5, 1 << 20])
    func aByteThatIsNotUTF8IsTheOnlyProblemWithItsLine(chunkSize: Int) throws {
        // Windows-1250 "ł" (0xB3) in the fourth line, after a row with a problem of its own.
        var bytes = Array(T.file([T.row([.task: "9.9"]), T.row(), T.row([.title: "Ma_a"])]).utf8)
        let index = bytes.lastIndex(of: UInt8(ascii: "_"))!
        bytes[index] = 0xB3
        let expected = ActivityCSV.parse(data: bytes, programme: programme, organisationID: { T.organisations[$0] },
                                         allowUnknownOrganisations: false)
        guard case let .failure(errors) = expected else { Issue.record("the file was read"); return }
        #expect(errors.errors.map(\.line) == [4])
        let stream = ActivityCSVStream(parser: parser(), totalBytes: bytes.count, source: Self.pieces(bytes, chunkSize))
        while !(try stream.next(1)).isEmpty {}
        #expect(stream.errors == errors)
    }

    /// A source handing out `bytes` `size` at a time.
    static func pieces(_ bytes: [UInt8], _ size: Int) -> ActivityCSVStream.Source {
        var offset = 0
        return {
            guard offset < bytes.count else { return nil }
            defer { offset = min(offset + size, bytes.count) }
            return Array(bytes[offset..<min(offset + size, bytes.count)])
        }
    }

    @Test func aBatchHoldsAboutTheRowsAskedFor() throws {
        let text = T.file((1...10).map { T.row([.title: "Wiersz \($0)"]) })
        let stream = ActivityCSVStream.text(text, parser: parser(), chunkSize: 1 << 20)
        #expect(try stream.next(4).map(\.row) == [1, 2, 3, 4])
        #expect(try stream.next(4).map(\.row) == [5, 6, 7, 8])
        #expect(try stream.next(4).map(\.row) == [9, 10])
        #expect(try stream.next(4).isEmpty)
    }
}
