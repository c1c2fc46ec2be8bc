import Foundation
import OtwartyDocuments
import Testing
import ZIPFoundation

/// An `.odt` read back with ZIPFoundation, independent of the writer's own zip code.
struct ODTPackage {
    let bytes: [UInt8]
    let archive: Archive
    /// Entry paths in central-directory order.
    let paths: [String]

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        archive = try Archive(data: Data(bytes), accessMode: .read)
        paths = archive.map(\.path)
    }

    init(_ document: TextDocument, modified: Date = ODTPackage.sampleDate) throws {
        try self.init(ODTWriter.write(document, modified: modified))
    }

    /// 2025-06-15T15:06:40Z; an even second so the zip's two-second resolution is exact.
    static let sampleDate = Date(timeIntervalSince1970: 1_750_000_000)

    func entry(_ path: String) throws -> Entry {
        try #require(archive[path], "missing entry \(path)")
    }

    /// Extracts an entry; ZIPFoundation verifies the CRC-32 while doing so.
    func data(_ path: String) throws -> [UInt8] {
        var result: [UInt8] = []
        _ = try archive.extract(try entry(path)) { result.append(contentsOf: $0) }
        return result
    }

    func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    func xml(_ path: String) throws -> XMLCollector {
        try XMLCollector.parse(try data(path))
    }
}
