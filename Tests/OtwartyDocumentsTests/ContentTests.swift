import Foundation
import OtwartyDocuments
import Testing

@Suite("Document content")
struct ContentTests {
    @Test func headingsAreOutlineHeadingsWithNamedStyles() throws {
        let package = try ODTPackage(SampleDocument.document)
        let content = try package.xml("content.xml")
        let headings = content.elements(named: "text:h")
        #expect(headings.map { $0.attributes["text:outline-level"] } == ["1", "2", "3"])
        #expect(headings.first?.attributes["text:style-name"] == "Heading_20_1")
        #expect(content.paragraphs.contains("Wstęp"))
        #expect(content.paragraphs.contains("Załącznik"))

        let styles = try package.xml("styles.xml").elements(named: "style:style")
        for level in 1...4 {
            let style = styles.first { $0.attributes["style:name"] == "Heading_20_\(level)" }
            #expect(style?.attributes["style:display-name"] == "Heading \(level)")
            #expect(style?.attributes["style:default-outline-level"] == "\(level)")
        }
        for name in ["Title", "Subtitle", "Text_20_body", "Note", "Table_20_caption", "Caption"] {
            #expect(styles.contains { $0.attributes["style:name"] == name }, "\(name)")
        }
    }

    @Test func headingLevelsAreClamped() throws {
        let document = TextDocument(title: "t", language: "en", blocks: [
            .heading(level: 0, text: "low"), .heading(level: 9, text: "high"),
        ])
        let headings = try ODTPackage(document).xml("content.xml").elements(named: "text:h")
        #expect(headings.map { $0.attributes["text:outline-level"] } == ["1", "4"])
        #expect(headings.map { $0.attributes["text:style-name"] } == ["Heading_20_1", "Heading_20_4"])
    }

    @Test func blocksUseTheirParagraphStyles() throws {
        let content = try ODTPackage(SampleDocument.document).xml("content.xml")
        let styleNames = content.elements(named: "text:p").compactMap { $0.attributes["text:style-name"] }
        for expected in ["Title", "Subtitle", "Text_20_body", "Note", "List", "Table_20_caption", "Picture"] {
            #expect(styleNames.contains(expected), "\(expected)")
        }
        #expect(content.elements(named: "text:list").first?.attributes["text:style-name"] == "Bullets")
        #expect(content.elements(named: "text:list-item").count == 2)
        #expect(content.paragraphs.contains("Zażółć gęślą jaźń."))
    }

    @Test func whitespaceIsPreserved() throws {
        let samples = ["  leading", "two  spaces", "five     spaces", "tab\there", "line1\nline2",
                       "crlf\r\nnext", "cr\rnext", "trailing ", "single space", " ", "\t lead", "a \nb"]
        let document = TextDocument(title: "t", language: "en", blocks: samples.map { .paragraph($0) })
        let package = try ODTPackage(document)
        let paragraphs = try package.xml("content.xml").paragraphs
        let expected = samples.map { $0.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        #expect(paragraphs == expected)
        let raw = try package.text("content.xml")
        #expect(raw.contains("five <text:s text:c=\"4\"/>spaces"))
        #expect(raw.contains("<text:s/>leading") == false)
        #expect(raw.contains("<text:s text:c=\"2\"/>leading"))
        #expect(raw.contains("tab<text:tab/>here"))
        #expect(raw.contains("line1<text:line-break/>line2"))
        #expect(raw.contains("trailing<text:s/>"))
    }

    @Test func pageBreakGoesOnTheNextBlock() throws {
        let document = TextDocument(title: "t", language: "en", blocks: [
            .paragraph("one"), .pageBreak, .heading(level: 1, text: "two"),
            .pageBreak, .table(TextTable(name: "T", columns: [.init(header: "h")], rows: [["x"]])),
            .pageBreak,
        ])
        let package = try ODTPackage(document)
        let content = try package.xml("content.xml")
        let heading = try #require(content.elements(named: "text:h").first)
        #expect(heading.attributes["text:style-name"] == "Brk_Heading_20_1")
        let breakStyles = content.elements(named: "style:style").filter {
            $0.attributes["style:name"]?.hasPrefix("Brk_") == true
        }
        #expect(Set(breakStyles.compactMap { $0.attributes["style:parent-style-name"] }) == ["Heading_20_1", "Standard"])
        let tableStyle = content.elements(named: "style:table-properties").first
        #expect(tableStyle?.attributes["fo:break-before"] == "page")
        // The trailing break has nothing to attach to, so it writes an empty paragraph.
        #expect(content.elements(named: "text:p").last?.attributes["text:style-name"] == "Brk_Standard")
        let pageBreaks = content.elements(named: "style:paragraph-properties").filter {
            $0.attributes["fo:break-before"] == "page"
        }
        #expect(pageBreaks.count == 2)
    }

    @Test func pageLayoutIsA4WithMarginsAndPageNumbers() throws {
        let styles = try ODTPackage(SampleDocument.document).xml("styles.xml")
        let layout = try #require(styles.elements(named: "style:page-layout-properties").first)
        #expect(layout.attributes["fo:page-width"] == "21cm")
        #expect(layout.attributes["fo:page-height"] == "29.7cm")
        #expect(layout.attributes["style:print-orientation"] == "portrait")
        for side in ["top", "bottom", "left", "right"] {
            #expect(layout.attributes["fo:margin-\(side)"] == "2cm")
        }
        #expect(styles.elements(named: "style:footer").count == 1)
        #expect(styles.elements(named: "text:page-number").count == 1)
    }
}
