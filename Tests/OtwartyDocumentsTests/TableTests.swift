import Foundation
import OtwartyDocuments
import Testing

@Suite("Tables")
struct TableTests {
    @Test func cellsHeaderAndStylesAreWritten() throws {
        let package = try ODTPackage(SampleDocument.document)
        let content = try package.xml("content.xml")
        let table = try #require(content.elements(named: "table:table").first)
        #expect(table.attributes["table:name"] == "Wyniki")
        #expect(content.elements(named: "table:table-header-rows").count == 1)
        #expect(content.elements(named: "table:table-row").count == 4)
        for text in ["Miasto", "Wartość", "Kraków", "12,5", "Łódź", "7,25", "Gdańsk", "1 000",
                     "Tabela 1. Wyniki pomiarów"] {
            #expect(content.paragraphs.contains(text), "\(text)")
        }
        let cellParagraphStyles = content.elements(named: "text:p").compactMap { $0.attributes["text:style-name"] }
        #expect(cellParagraphStyles.filter { $0 == "THs" }.count == 1)
        #expect(cellParagraphStyles.filter { $0 == "THe" }.count == 1)
        #expect(cellParagraphStyles.filter { $0 == "TCe" }.count == 3)

        let styles = content.elements(named: "style:style")
        let endAligned = styles.first { $0.attributes["style:name"] == "TCe" }
        #expect(endAligned?.attributes["style:parent-style-name"] == "Table_20_Contents")
        let alignments = content.elements(named: "style:paragraph-properties").compactMap { $0.attributes["fo:text-align"] }
        #expect(alignments.contains("end"))

        let tableProperties = try #require(content.elements(named: "style:table-properties").first)
        #expect(tableProperties.attributes["style:width"] == "17cm")
        #expect(tableProperties.attributes["style:rel-width"] == "100%")
        let widths = content.elements(named: "style:table-column-properties").compactMap {
            $0.attributes["style:rel-column-width"]
        }
        #expect(widths == ["49152*", "16383*"])
        let borders = content.elements(named: "style:table-cell-properties").compactMap { $0.attributes["fo:border-left"] }
        #expect(borders.contains("0.5pt solid #000000"))

        let headingStyle = try package.xml("styles.xml").elements(named: "style:style").first {
            $0.attributes["style:name"] == "Table_20_Heading"
        }
        #expect(headingStyle != nil)
    }

    @Test func raggedRowsArePaddedOrTrimmed() throws {
        let table = TextTable(name: "Ragged", columns: [.init(header: "A"), .init(header: "B"), .init(header: "C")],
                              rows: [[], ["1"], ["1", "2", "3"], ["1", "2", "3", "4", "5", "6", "7"]])
        let content = try ODTPackage(TextDocument(title: "t", language: "en", blocks: [.table(table)]))
            .xml("content.xml")
        #expect(content.elements(named: "table:table-row").count == 5)
        #expect(content.elements(named: "table:table-cell").count == 15)
        #expect(!content.paragraphs.contains("4"))
    }

    @Test func missingColumnsAreDerivedFromRows() throws {
        let table = TextTable(name: "NoColumns", columns: [], rows: [["a", "b"], ["c"]])
        let content = try ODTPackage(TextDocument(title: "t", language: "en", blocks: [.table(table)]))
            .xml("content.xml")
        #expect(content.elements(named: "table:table-column").count == 2)
        #expect(content.elements(named: "table:table-cell").count == 6)
    }

    @Test func emptyTableWritesOnlyItsCaption() throws {
        let table = TextTable(name: "Empty", caption: "Nothing here", columns: [], rows: [])
        let content = try ODTPackage(TextDocument(title: "t", language: "en", blocks: [.table(table)]))
            .xml("content.xml")
        #expect(content.elements(named: "table:table").isEmpty)
        #expect(content.paragraphs == ["Nothing here"])
    }

    @Test func tableNamesAreMadeUnique() throws {
        let column = TextTable.Column(header: "h")
        let document = TextDocument(title: "t", language: "en", blocks: [
            .table(TextTable(name: "Data", columns: [column], rows: [])),
            .table(TextTable(name: "Data", columns: [column], rows: [])),
            .table(TextTable(name: " ", columns: [column], rows: [])),
        ])
        let names = try ODTPackage(document).xml("content.xml").elements(named: "table:table")
            .compactMap { $0.attributes["table:name"] }
        #expect(names == ["Data", "Data_2", "Table3"])
    }

    @Test func nonPositiveWidthsStillGiveColumns() throws {
        let table = TextTable(name: "W", columns: [.init(header: "a", relativeWidth: 0),
                                                  .init(header: "b", relativeWidth: -5),
                                                  .init(header: "c", relativeWidth: Int.max)],
                              rows: [["1", "2", "3"]])
        let content = try ODTPackage(TextDocument(title: "t", language: "en", blocks: [.table(table)]))
            .xml("content.xml")
        let widths = content.elements(named: "style:table-column-properties").compactMap {
            $0.attributes["style:rel-column-width"].flatMap { Int($0.dropLast()) }
        }
        #expect(widths.count == 3)
        #expect(widths.allSatisfy { $0 > 0 })
        #expect(widths.reduce(0, +) == 65_535)
    }
}
