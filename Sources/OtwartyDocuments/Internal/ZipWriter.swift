import Foundation
import ZIPFoundation

/// Writes a classic zip file into memory, using ZIPFoundation for deflate and CRC-32.
///
/// Why not ZIPFoundation's `Archive`: it converts entry dates with C's `gmtime`, whose single
/// static result buffer is shared by all threads, so two documents written at once on a
/// server could swap timestamp fields and break byte-for-byte reproducibility. It also goes
/// through a `FILE*` over an in-memory buffer and rewrites headers after each entry.
/// Writing the container directly gives fixed header fields (no extra fields, no data
/// descriptors, fixed "version made by" and permissions), which ODF needs for `mimetype`.
struct ZipWriter {
    private struct CentralRecord {
        var path: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var localHeaderOffset: UInt32
    }

    /// Input chunk handed to zlib at a time; large enough to amortise per-call overhead.
    static let compressionChunkSize = 1 << 20

    private var output: [UInt8] = []
    private var records: [CentralRecord] = []
    private let dosDate: UInt16
    private let dosTime: UInt16

    init(modified: UTCDateTime, expectedSize: Int) {
        (dosDate, dosTime) = modified.dosDateTime
        output.reserveCapacity(expectedSize)
    }

    /// Adds an entry without compression (required for ODF's `mimetype`; pointless for PNG).
    mutating func addStored(path: String, data: [UInt8]) throws {
        let crc = Data(data).crc32(checksum: 0)
        try append(path: path, method: 0, crc: crc, uncompressedSize: data.count, payload: data)
    }

    /// Adds a deflate-compressed entry.
    mutating func addDeflated(path: String, data: [UInt8]) throws {
        var compressed: [UInt8] = []
        compressed.reserveCapacity(data.count / 4 + 64)
        let chunkSize = Self.compressionChunkSize
        let crc: UInt32
        do {
            crc = try Data.compress(size: Int64(data.count), bufferSize: chunkSize, provider: { position, size in
                let start = Int(position)
                return Data(data[start..<min(start + size, data.count)])
            }, consumer: { chunk in
                compressed.append(contentsOf: chunk)
            })
        } catch {
            throw ODTWriterError.compressionFailed(String(describing: error))
        }
        try append(path: path, method: 8, crc: crc, uncompressedSize: data.count, payload: compressed)
    }

    private mutating func append(path: String, method: UInt16, crc: UInt32,
                                 uncompressedSize: Int, payload: [UInt8]) throws {
        let name = Array(path.utf8)
        guard let size = UInt32(exactly: uncompressedSize), size < .max,
              let compressedSize = UInt32(exactly: payload.count), compressedSize < .max,
              let offset = UInt32(exactly: output.count), offset < .max,
              name.count <= Int(UInt16.max), records.count < Int(UInt16.max) - 1 else {
            throw ODTWriterError.packageTooLarge
        }
        let record = CentralRecord(path: name, method: method, crc: crc, compressedSize: compressedSize,
                                   uncompressedSize: size, localHeaderOffset: offset)
        writeLocalHeader(record)
        output.append(contentsOf: payload)
        records.append(record)
    }

    /// Appends the central directory and end record and returns the finished file.
    consuming func finish() throws -> [UInt8] {
        guard let directoryOffset = UInt32(exactly: output.count), directoryOffset < .max else {
            throw ODTWriterError.packageTooLarge
        }
        for record in records { writeCentralHeader(record) }
        guard let directorySize = UInt32(exactly: output.count - Int(directoryOffset)) else {
            throw ODTWriterError.packageTooLarge
        }
        let count = UInt16(truncatingIfNeeded: records.count)
        put32(0x0605_4B50) // end of central directory signature
        put16(0) // number of this disk
        put16(0) // disk with the central directory
        put16(count)
        put16(count)
        put32(directorySize)
        put32(directoryOffset)
        put16(0) // comment length
        return output
    }

    /// Flags carry only the UTF-8 name bit (`flags(for:)`), and only for a name that is not
    /// plain ASCII; sizes are known up front, so there is no data descriptor.
    private mutating func writeLocalHeader(_ record: CentralRecord) {
        put32(0x0403_4B50)
        put16(20) // version needed: 2.0 (deflate)
        put16(Self.flags(for: record.path))
        put16(record.method)
        put16(dosTime)
        put16(dosDate)
        put32(record.crc)
        put32(record.compressedSize)
        put32(record.uncompressedSize)
        put16(UInt16(truncatingIfNeeded: record.path.count))
        put16(0) // extra field length
        output.append(contentsOf: record.path)
    }

    private mutating func writeCentralHeader(_ record: CentralRecord) {
        put32(0x0201_4B50)
        put16(3 << 8 | 20) // made by: Unix, zip 2.0, so the permissions below are honoured
        put16(20)
        put16(Self.flags(for: record.path))
        put16(record.method)
        put16(dosTime)
        put16(dosDate)
        put32(record.crc)
        put32(record.compressedSize)
        put32(record.uncompressedSize)
        put16(UInt16(truncatingIfNeeded: record.path.count))
        put16(0) // extra field length
        put16(0) // comment length
        put16(0) // disk number start
        put16(0) // internal attributes
        put32(0o100644 << 16) // external attributes: regular file, rw-r--r--
        put32(record.localHeaderOffset)
        output.append(contentsOf: record.path)
    }

    /// Bit 11 marks UTF-8 names; set only when a name is not plain ASCII.
    private static func flags(for path: [UInt8]) -> UInt16 {
        path.contains(where: { $0 >= 0x80 }) ? 1 << 11 : 0
    }

    private mutating func put16(_ value: UInt16) {
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private mutating func put32(_ value: UInt32) {
        put16(UInt16(truncatingIfNeeded: value))
        put16(UInt16(truncatingIfNeeded: value >> 16))
    }
}
