import Foundation
import OtwartyDocuments
import Testing

@Suite("Images")
struct ImageTests {
    @Test func imageIsStoredReferencedAndDescribed() throws {
        let package = try ODTPackage(SampleDocument.document)
        #expect(try package.data("Pictures/chart-results.svg") == SampleDocument.svgChart)
        #expect(try package.data("Pictures/dot.png") == SampleDocument.png)
        #expect(try package.entry("Pictures/chart-results.svg").isCompressed)
        #expect(try !package.entry("Pictures/dot.png").isCompressed)

        let content = try package.xml("content.xml")
        let frame = try #require(content.elements(named: "draw:frame").first)
        #expect(frame.attributes["svg:width"] == "12cm")
        #expect(frame.attributes["svg:height"] == "6cm")
        #expect(frame.attributes["text:anchor-type"] == "as-char")
        let image = try #require(content.elements(named: "draw:image").first)
        #expect(image.attributes["xlink:href"] == "Pictures/chart-results.svg")
        #expect(image.attributes["draw:mime-type"] == "image/svg+xml")
        #expect(content.leafText("svg:title").first == "Wykres słupkowy wyników")
        #expect(content.leafText("svg:desc").first == "Wykres słupkowy wyników")
        #expect(Set(content.elements(named: "draw:frame").compactMap { $0.attributes["draw:name"] }).count == 2)
    }

    @Test func sameNameDifferentDataGetsDistinctFiles() throws {
        func image(_ data: [UInt8]) -> TextBlock {
            .image(TextImage(fileName: "chart.svg", mediaType: "image/svg+xml", data: data,
                             widthCm: 2, heightCm: 1, description: "c"))
        }
        let document = TextDocument(title: "t", language: "en", blocks: [
            image(SampleDocument.svgChart), image(SampleDocument.svgChart), image(Array("<svg/>".utf8)),
        ])
        let package = try ODTPackage(document)
        #expect(package.paths.filter { $0.hasPrefix("Pictures/") } == ["Pictures/chart.svg", "Pictures/chart-2.svg"])
        let hrefs = try package.xml("content.xml").elements(named: "draw:image").compactMap { $0.attributes["xlink:href"] }
        #expect(hrefs == ["Pictures/chart.svg", "Pictures/chart.svg", "Pictures/chart-2.svg"])
        #expect(try package.data("Pictures/chart-2.svg") == Array("<svg/>".utf8))
    }

    @Test func oddNamesAndSizesAreSanitised() throws {
        let document = TextDocument(title: "t", language: "en", blocks: [
            .image(TextImage(fileName: "../../etc/wykres ąę", mediaType: "image/png", data: SampleDocument.png,
                             widthCm: .nan, heightCm: -3, description: "")),
            .image(TextImage(fileName: "", mediaType: "image/svg+xml", data: SampleDocument.svgChart,
                             widthCm: 5.12345, heightCm: 1e9, description: "")),
        ])
        let package = try ODTPackage(document)
        let pictures = package.paths.filter { $0.hasPrefix("Pictures/") }
        #expect(pictures == ["Pictures/______etc_wykres___.png", "Pictures/image2.svg"])
        #expect(pictures.allSatisfy { !$0.dropFirst("Pictures/".count).contains("/") && !$0.contains("..") })
        let frames = try package.xml("content.xml").elements(named: "draw:frame")
        #expect(frames.map { $0.attributes["svg:width"] } == ["1cm", "5.123cm"])
        #expect(frames.map { $0.attributes["svg:height"] } == ["1cm", "1000cm"])
    }
}
