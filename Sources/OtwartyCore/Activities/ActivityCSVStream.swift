import Foundation

/// An import file read a chunk at a time, its rows checked as they come (`ActivityImporter.run`):
/// memory stays at a chunk and a batch of rows, whatever the file's size, instead of the whole
/// file and every row (about 1 GB at 1,000,000 rows before issue 15).
///
/// The checks and messages are the parser's (`ActivityCSVParser`), the same as `ActivityCSV.parse`
/// gives for the whole text; so are the UTF-8 check and its message (`ActivityCSV.parse(data:)`):
/// a byte that is not UTF-8 makes that the file's only problem, wherever it is.
///
/// Used by one task at a time (the importer's), hence `@unchecked Sendable`: the storing side's
/// closure captures it but never runs concurrently with the reading.
final class ActivityCSVStream: @unchecked Sendable {
    /// Where the bytes come from: the next piece, or nil at the end.
    typealias Source = () throws -> [UInt8]?

    static let chunkSize = 1 << 20

    private var parser: ActivityCSVParser
    private let source: Source
    /// Bytes read and not yet handed to the CSV reader: `buffer[start..<checked]` is UTF-8
    /// checked, `buffer[checked...]` the start of a character cut by the chunk's end.
    private var buffer: [UInt8] = []
    private var start = 0
    private var checked = 0
    /// The line `buffer[start]` is on.
    private var line = 1
    private var sourceEnded = false
    private var atStart = true
    /// Nothing more to read: the end of the file, or a problem that stops reading.
    private(set) var isDone = false
    private var utf8Problem: ActivityCSVErrors?

    /// Bytes read so far, and the source's size when known: progress.
    private(set) var bytesRead = 0
    let totalBytes: Int?

    init(parser: ActivityCSVParser, totalBytes: Int?, source: @escaping Source) {
        self.parser = parser
        self.totalBytes = totalBytes
        self.source = source
    }

    /// How many rows the file holds, estimated from `stored` rows and the share of bytes read.
    func estimatedRows(stored: Int) -> Int {
        guard !isDone, let totalBytes, bytesRead > 0 else { return stored }
        return max(stored, Int((Double(stored) * Double(totalBytes) / Double(bytesRead)).rounded()))
    }

    /// Every problem found so far (only the UTF-8 problem when there is one, as for an upload).
    var errors: ActivityCSVErrors { utf8Problem ?? parser.errors }

    /// The next checked rows, about `count` of them; empty only at the end of the file. Once
    /// `errors` is not empty no more rows come: the rest of the file is read for its problems.
    func next(_ count: Int) throws -> [ActivityImportRow] {
        while !isDone, parser.pendingRowCount < count {
            try readSome(until: count)
        }
        return parser.takeRows()
    }

    /// Reads the checked bytes held, then, when they end inside a record, the next chunk.
    private func readSome(until count: Int) throws {
        let available = checked
        let isFinal = sourceEnded && checked == buffer.count
        var result: (end: Int, stopped: Bool) = (start, false)
        var parserStopped = false
        do {
            result = try buffer.withUnsafeBufferPointer { all throws(CSVReadError) in
                try CSVReader.read(utf8: UnsafeBufferPointer(rebasing: all[..<available]), from: start, line: &line,
                                   isFinal: isFinal) { record in
                    if parser.consume(record) == .stop {
                        parserStopped = true
                        return .stop
                    }
                    return parser.pendingRowCount >= count ? .stop : .continue
                }
            }
        } catch {
            parser.readFailed(error)
            isDone = true
            return
        }
        start = result.end
        if parserStopped {
            isDone = true
            return
        }
        if result.stopped { return } // a batch is full
        if isFinal {
            parser.finish()
            isDone = true
            return
        }
        try readChunk()
    }

    /// Drops what has been read, appends the next chunk and checks its whole characters.
    private func readChunk() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            checked -= start
            start = 0
        }
        if let chunk = try source(), !chunk.isEmpty {
            bytesRead += chunk.count
            buffer.append(contentsOf: chunk)
        } else {
            sourceEnded = true
        }
        if atStart {
            // A byte order mark (Excel writes one) only at the very start.
            guard buffer.count >= 3 || sourceEnded else { return }
            atStart = false
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                start = 3
                checked = 3
            }
        }
        // Up to the last whole character: a chunk may end inside one (never inside an ASCII byte,
        // so never inside a delimiter).
        var end = buffer.count
        if !sourceEnded {
            var back = end
            while back > checked, end - back < 4, buffer[back - 1] & 0xC0 == 0x80 { back -= 1 }
            if back > checked, buffer[back - 1] >= 0xC0 { end = back - 1 }
        }
        guard end > checked else { return }
        let valid = buffer.withUnsafeBufferPointer { all in
            Self.isValidUTF8(UnsafeBufferPointer(rebasing: all[checked..<end]))
        }
        if !valid {
            // `line` is the line of buffer[0] (what is before it has been read).
            let bad = ActivityCSV.firstInvalidUTF8(in: buffer[checked..<end])
            let before = buffer[0..<checked].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            var errors = ActivityCSVErrors()
            errors.append(ActivityCSVError(row: nil, line: line + before + bad.line - 1, column: nil,
                                           problem: .notUTF8(byte: bad.byte)))
            utf8Problem = errors
            isDone = true
            return
        }
        checked = end
    }
}

extension ActivityCSVStream {
    /// Whether the bytes are UTF-8: the verdict of `String(validating:as: UTF8.self)` (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF), taking eight ASCII bytes at a
    /// time. The standard library's check went byte by byte and was a tenth of reading a file;
    /// `ActivityCSVCellCacheTests` compares the two on every short sequence and on random bytes.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = base[i]
            if b < 0x80 {
                i += 1
            } else if b < 0xC2 {
                return false // a continuation byte first, or an overlong two-byte form
            } else if b < 0xE0 {
                guard i + 1 < n, base[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b < 0xF0 {
                guard i + 2 < n else { return false }
                let b1 = base[i + 1], b2 = base[i + 2]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return false }
                if b == 0xE0, b1 < 0xA0 { return false } // overlong
                if b == 0xED, b1 >= 0xA0 { return false } // a surrogate
                i += 3
            } else if b < 0xF5 {
                guard i + 3 < n else { return false }
                let b1 = base[i + 1], b2 = base[i + 2], b3 = base[i + 3]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return false }
                if b == 0xF0, b1 < 0x90 { return false } // overlong
                if b == 0xF4, b1 >= 0x90 { return false } // above U+10FFFF
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    /// A file, read `chunkSize` bytes at a time.
    static func file(_ url: URL, parser: ActivityCSVParser) throws -> ActivityCSVStream {
        let handle = try FileHandle(forReadingFrom: url)
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue
        let reader = ChunkedFile(handle: handle)
        return ActivityCSVStream(parser: parser, totalBytes: size) { try reader.next() }
    }

    /// A text already in memory (an upload), handed over a chunk at a time like a file.
    static func text(_ text: String, parser: ActivityCSVParser, chunkSize: Int = chunkSize) -> ActivityCSVStream {
        var text = text
        text.makeContiguousUTF8()
        let utf8 = text.utf8
        var offset = 0
        return ActivityCSVStream(parser: parser, totalBytes: utf8.count) {
            guard offset < utf8.count else { return nil }
            let end = min(offset + chunkSize, utf8.count)
            defer { offset = end }
            return utf8.withContiguousStorageIfAvailable { Array($0[offset..<end]) }
                ?? Array(utf8.dropFirst(offset).prefix(end - offset))
        }
    }
}

/// A file handle read to its end, then closed.
private final class ChunkedFile {
    let handle: FileHandle
    var closed = false
    init(handle: FileHandle) { self.handle = handle }

    func next() throws -> [UInt8]? {
        guard !closed else { return nil }
        guard let data = try handle.read(upToCount: ActivityCSVStream.chunkSize), !data.isEmpty else {
            try? handle.close()
            closed = true
            return nil
        }
        return [UInt8](data)
    }

    deinit { if !closed { try? handle.close() } }
}
