import Foundation
import OtwartyDocuments
import Testing

@Suite("Escaping and invalid characters")
struct EscapingTests {
    static let payload = "<script>&\"'"

    @Test func markupCharactersRoundTripEverywhere() throws {
        let payload = Self.payload
        let document = TextDocument(title: payload, language: "en-GB", blocks: [
            .heading(level: 1, text: payload),
            .paragraph(payload),
            .bulletList([payload]),
            .table(TextTable(name: payload, caption: payload,
                             columns: [.init(header: payload)], rows: [[payload]])),
            .image(TextImage(fileName: payload + ".svg", mediaType: "image/svg+xml",
                             data: SampleDocument.svgChart, widthCm: 4, heightCm: 2, description: payload)),
        ])
        let package = try ODTPackage(document)
        let content = try package.xml("content.xml")
        // heading, paragraph, list item, caption, header cell, body cell
        #expect(content.paragraphs.filter { $0 == payload }.count == 6)
        #expect(content.elements(named: "table:table").first?.attributes["table:name"] == payload)
        #expect(content.leafText("svg:title") == [payload])
        #expect(content.leafText("svg:desc") == [payload])
        #expect(try package.xml("meta.xml").leafText("dc:title") == [payload])

        let raw = try package.text("content.xml")
        #expect(!raw.contains("<script>"))
        #expect(raw.contains("&lt;script&gt;&amp;&quot;&apos;"))
        // The picture name is reduced to safe characters.
        #expect(package.paths.contains("Pictures/_script____.svg"))
    }

    @Test func forbiddenCharactersAreRemoved() throws {
        let dirty = "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i\u{7F}j"
        let document = TextDocument(title: dirty, language: "en", blocks: [
            .paragraph(dirty),
            .table(TextTable(name: dirty, columns: [.init(header: dirty)], rows: [[dirty]])),
            .image(TextImage(fileName: "x.svg", mediaType: "image/svg+xml", data: SampleDocument.svgChart,
                             widthCm: 1, heightCm: 1, description: dirty)),
        ])
        let package = try ODTPackage(document)
        let content = try package.xml("content.xml")
        let clean = "abcdefghi\u{7F}j" // DEL is allowed in XML 1.0
        // paragraph, header cell, body cell, and the (textless) picture paragraph
        #expect(content.paragraphs == [clean, clean, clean, ""])
        #expect(content.elements(named: "table:table").first?.attributes["table:name"] == clean)
        #expect(content.leafText("svg:desc") == [clean])
        #expect(try package.xml("meta.xml").leafText("dc:title") == [clean])
    }

    @Test func nonASCIITextIsKeptAsUTF8() throws {
        let text = "Zażółć gęślą jaźń — 日本語 🎉 \u{FFFD}\u{FEFF}"
        let package = try ODTPackage(TextDocument(title: text, language: "pl", blocks: [.paragraph(text)]))
        #expect(try package.xml("content.xml").paragraphs == [text])
    }

    @Test func attributesKeepTabsAndNewlines() throws {
        let name = "a\tb\nc"
        let package = try ODTPackage(TextDocument(title: "t", language: "en", blocks: [
            .table(TextTable(name: name, columns: [.init(header: "h")], rows: [])),
        ]))
        #expect(try package.xml("content.xml").elements(named: "table:table").first?.attributes["table:name"] == name)
    }
}
