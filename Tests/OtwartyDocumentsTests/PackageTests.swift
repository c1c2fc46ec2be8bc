import Foundation
import OtwartyDocuments
import Testing
import ZIPFoundation

@Suite("Package container")
struct PackageTests {
    @Test func mimetypeIsFirstStoredAndWithoutExtraField() throws {
        let package = try ODTPackage(SampleDocument.document)
        #expect(package.paths.first == "mimetype")
        let entry = try package.entry("mimetype")
        #expect(!entry.isCompressed)
        #expect(entry.compressedSize == entry.uncompressedSize)
        #expect(try package.text("mimetype") == "application/vnd.oasis.opendocument.text")

        // The raw local header, as ODF readers sniff it: signature, method 0, no extra field,
        // name at offset 30 and the media type right after it.
        let bytes = package.bytes
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(bytes[8] == 0 && bytes[9] == 0)
        #expect(bytes[28] == 0 && bytes[29] == 0)
        #expect(String(decoding: bytes[30..<38], as: UTF8.self) == "mimetype")
        #expect(String(decoding: bytes[38..<77], as: UTF8.self) == "application/vnd.oasis.opendocument.text")
    }

    @Test func entriesComeInTheDocumentedOrder() throws {
        let package = try ODTPackage(SampleDocument.document)
        #expect(package.paths == [
            "mimetype", "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml",
            "Pictures/chart-results.svg", "Pictures/dot.png",
        ])
    }

    @Test func allXMLPartsAreWellFormedWithBoundPrefixes() throws {
        let package = try ODTPackage(SampleDocument.document)
        for path in ["META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"] {
            let xml = try package.xml(path)
            #expect(xml.unboundPrefixes.isEmpty, "\(path): \(xml.unboundPrefixes)")
            let root = try #require(xml.elements.first)
            let version = root.attributes["office:version"] ?? root.attributes["manifest:version"]
            #expect(version == "1.3", "\(path)")
        }
    }

    @Test func manifestListsEveryFileWithMediaTypes() throws {
        let package = try ODTPackage(SampleDocument.document)
        let entries = try package.xml("META-INF/manifest.xml").elements(named: "manifest:file-entry")
        var types: [String: String] = [:]
        for entry in entries {
            types[entry.attributes["manifest:full-path"] ?? ""] = entry.attributes["manifest:media-type"]
        }
        #expect(types["/"] == "application/vnd.oasis.opendocument.text")
        #expect(entries.first?.attributes["manifest:version"] == "1.3")
        #expect(types["content.xml"] == "text/xml")
        #expect(types["styles.xml"] == "text/xml")
        #expect(types["meta.xml"] == "text/xml")
        #expect(types["Pictures/chart-results.svg"] == "image/svg+xml")
        #expect(types["Pictures/dot.png"] == "image/png")
        // Everything in the zip except mimetype and META-INF/ is listed, and nothing more.
        let listed = Set(types.keys).subtracting(["/"])
        let stored = Set(package.paths.filter { $0 != "mimetype" && !$0.hasPrefix("META-INF/") })
        #expect(listed == stored)
    }

    @Test func metaHasTitleLanguageGeneratorAndDates() throws {
        let package = try ODTPackage(SampleDocument.document)
        let meta = try package.xml("meta.xml")
        #expect(meta.leafText("dc:title") == ["Raport próbny"])
        #expect(meta.leafText("dc:language") == ["pl-PL"])
        #expect(meta.leafText("meta:generator") == ["Otwarty"])
        #expect(meta.leafText("meta:creation-date") == ["2025-06-15T15:06:40Z"])
        #expect(meta.leafText("dc:date") == ["2025-06-15T15:06:40Z"])
    }

    @Test func outputIsDeterministic() throws {
        let first = try ODTWriter.write(SampleDocument.document, modified: ODTPackage.sampleDate)
        let second = try ODTWriter.write(SampleDocument.document, modified: ODTPackage.sampleDate)
        #expect(first == second)
        let later = try ODTWriter.write(SampleDocument.document,
                                        modified: ODTPackage.sampleDate.addingTimeInterval(3_600))
        #expect(first != later)
    }

    /// Writers running at the same time with different dates must not affect each other
    /// (no shared mutable state such as C's static `gmtime` buffer).
    @Test func concurrentWritesMatchSequentialOnes() async throws {
        let dates = (0..<16).map { ODTPackage.sampleDate.addingTimeInterval(Double($0) * 86_461) }
        let expected = try dates.map { try ODTWriter.write(SampleDocument.document, modified: $0) }
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, date) in dates.enumerated() {
                group.addTask { (index, try ODTWriter.write(SampleDocument.document, modified: date)) }
            }
            var results = [[UInt8]](repeating: [], count: dates.count)
            for try await (index, bytes) in group { results[index] = bytes }
            return results
        }
        #expect(results == expected)
    }

    @Test func everyEntryCarriesTheModifiedDate() throws {
        let package = try ODTPackage(SampleDocument.document)
        for path in package.paths {
            let date = try package.entry(path).fileAttributes[.modificationDate] as? Date
            #expect(date == ODTPackage.sampleDate, "\(path)")
        }
    }

    @Test func datesOutsideTheZipRangeDoNotTrap() throws {
        for seconds in [-1e12, 0, 4e9, .infinity, .nan] {
            let package = try ODTPackage(SampleDocument.document,
                                         modified: Date(timeIntervalSince1970: seconds))
            #expect(try package.xml("meta.xml").leafText("dc:date").count == 1)
        }
    }

    @Test func emptyDocumentIsValid() throws {
        let package = try ODTPackage(TextDocument(title: "", language: ""))
        let content = try package.xml("content.xml")
        #expect(content.elements(named: "office:text").count == 1)
        #expect(try package.xml("meta.xml").leafText("dc:language").isEmpty)
    }

    @Test func defaultStyleCarriesTheLanguage() throws {
        let package = try ODTPackage(SampleDocument.document)
        let defaults = try package.xml("styles.xml").elements(named: "style:text-properties")
        #expect(defaults.contains { $0.attributes["fo:language"] == "pl" && $0.attributes["fo:country"] == "PL" })
    }
}
