/// A strict RFC 4180 reader: fields separated by commas, records by CRLF or LF; a field may be
/// put in double quotes, and then may hold commas, line breaks and quotes written twice (`""`).
/// A UTF-8 byte order mark at the start is skipped. Anything else is refused with the physical
/// line it is on: a quote inside an unquoted field, text after a closing quote, a quote left
/// open at the end of the file, a carriage return not followed by a line feed outside quotes.
///
/// It makes one pass over the UTF-8 bytes of the text and hands each record to a closure, so a
/// caller never holds more than one record at a time.
public enum CSVReader {
    public enum Next: Sendable {
        case `continue`
        case stop
    }

    /// Calls `body` with each record in order, until the text ends or `body` answers `.stop`.
    /// Throws at the first malformed field; records before it have been handed over.
    public static func read(_ text: String, _ body: (CSVRecord) -> Next) throws(CSVReadError) {
        var text = text
        // withUTF8 only rethrows untyped errors, so the error comes out as a value.
        let failure: CSVReadError? = text.withUTF8 { bytes in
            do throws(CSVReadError) {
                try read(utf8: bytes, body)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// All records of `text` (a convenience for small inputs).
    public static func records(_ text: String) throws(CSVReadError) -> [CSVRecord] {
        var all: [CSVRecord] = []
        try read(text) { all.append($0); return .continue }
        return all
    }

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"),
               cr = UInt8(ascii: "\r")

    /// The reader proper, over bytes that are valid UTF-8 (the delimiters are all ASCII, so the
    /// bytes of a field are always whole characters).
    static func read(utf8 input: UnsafeBufferPointer<UInt8>, _ body: (CSVRecord) -> Next) throws(CSVReadError) {
        var line = 1
        let start = input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF ? 3 : 0
        _ = try read(utf8: input, from: start, line: &line, isFinal: true, body)
    }

    /// One stretch of a text read piece by piece (a file read a chunk at a time, `ActivityCSVStream`):
    /// the records from `start` on, `line` being the line `start` is on (it is advanced). When
    /// `isFinal` is false more bytes follow `input`, so a record that reaches its end may be
    /// incomplete: it is left unread, for the next call with more bytes. Returns where reading
    /// stopped (the offset after the last record handed over) and whether `body` stopped it.
    /// No byte order mark is skipped here.
    static func read(utf8 input: UnsafeBufferPointer<UInt8>, from start: Int, line: inout Int, isFinal: Bool,
                     _ body: (CSVRecord) -> Next) throws(CSVReadError) -> (end: Int, stopped: Bool) {
        let n = input.count
        var i = start
        // Reused for every record: the unescaped bytes of its fields back to back, and where each ends.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        var ends: [Int] = []
        ends.reserveCapacity(32)

        var recordStart = i, recordLine = line
        /// The last record reaches the end of the input and more may follow: it is read again,
        /// from its start and on its own first line, in the next call.
        func incomplete() -> (end: Int, stopped: Bool) {
            line = recordLine
            return (recordStart, false)
        }
        records: while i < n {
            recordStart = i
            recordLine = line
            buffer.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            // One field per turn; `i` is at the field's first byte (or at n).
            fields: while true {
                // What a character after the field's content (other than a delimiter) means.
                let stray: CSVReadError.Reason
                if i < n, input[i] == quote {
                    let openedOn = line
                    i += 1
                    var segment = i
                    while true {
                        guard i < n else {
                            if !isFinal { return incomplete() }
                            throw CSVReadError(line: openedOn, reason: .unclosedQuote)
                        }
                        let b = input[i]
                        if b == quote {
                            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[segment..<i]))
                            i += 1
                            if i < n, input[i] == quote {
                                buffer.append(quote)
                                i += 1
                                segment = i
                                continue
                            }
                            break
                        }
                        if b == lf { line += 1 }
                        i += 1
                    }
                    stray = .textAfterClosingQuote
                } else {
                    let start = i
                    while i < n {
                        let b = input[i]
                        if b == comma || b == lf || b == cr || b == quote { break }
                        i += 1
                    }
                    if i > start { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<i])) }
                    stray = .quoteInUnquotedField
                }
                // The field ends here: a comma starts the next one, a line break ends the record.
                ends.append(buffer.count)
                if i == n {
                    // More bytes may continue the field (or, after a closing quote, escape it).
                    if !isFinal { return incomplete() }
                    break fields
                }
                switch input[i] {
                case comma:
                    i += 1
                    continue fields
                case lf:
                    i += 1
                    line += 1
                    break fields
                case cr where i + 1 < n && input[i + 1] == lf:
                    i += 2
                    line += 1
                    break fields
                case cr where i + 1 == n && !isFinal:
                    // Its line feed may be the next byte.
                    return incomplete()
                case cr:
                    throw CSVReadError(line: line, reason: .bareCarriageReturn)
                default:
                    throw CSVReadError(line: line, reason: stray)
                }
            }
            // The record shares the two arrays only for the call, so clearing them afterwards
            // does not copy.
            if deliver(CSVRecord(line: recordLine, bytes: buffer, ends: ends), to: body) == .stop { return (i, true) }
        }
        return (i, false)
    }
    @inline(__always)
    private static func deliver(_ record: consuming CSVRecord, to body: (CSVRecord) -> Next) -> Next {
        body(record)
    }
}

/// One record: its fields, unescaped, and the line of the file it starts on.
public struct CSVRecord: Hashable, Sendable {
    /// The physical line (1-based) on which the record starts; a quoted field with line breaks
    /// makes the next record start further down.
    public let line: Int
    /// The bytes of all fields back to back.
    let bytes: [UInt8]
    /// The end offset in `bytes` of each field.
    let ends: [Int]

    init(line: Int, bytes: [UInt8], ends: [Int]) {
        self.line = line
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { ends.count }

    public subscript(index: Int) -> String {
        let range = byteRange(index)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    public var fields: [String] { (0..<count).map { self[$0] } }

    /// True when every field is empty (an empty line, or a line of commas).
    public var isBlank: Bool { bytes.isEmpty }

    func byteRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }
}

public struct CSVReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// `ab"c`: a quote in a field that does not start with one.
        case quoteInUnquotedField
        /// `"ab"c`: something other than a comma or a line break after a closing quote.
        case textAfterClosingQuote
        /// The file ends inside a quoted field; `line` is where the quote was opened.
        case unclosedQuote
        /// A CR outside quotes that is not part of a CRLF.
        case bareCarriageReturn
    }

    public var line: Int
    public var reason: Reason

    public init(line: Int, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    public var message: String {
        switch reason {
        case .quoteInUnquotedField:
            return "a quote (\") inside a field that does not start with one; put the whole field in quotes and write the quote twice (\"\")"
        case .textAfterClosingQuote:
            return "text after the closing quote of a field; a quoted field must be followed by a comma or the end of the line"
        case .unclosedQuote:
            return "a quoted field that starts here is never closed"
        case .bareCarriageReturn:
            return "a carriage return (CR) without a line feed; lines must end with CRLF or LF"
        }
    }

    public var description: String { "line \(line): \(message)" }
}
