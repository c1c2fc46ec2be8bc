/// Accumulates UTF-8 XML in a flat byte array.
///
/// Documents can hold hundreds of thousands of table cells, so everything is appended as bytes
/// into one pre-sized array; building huge `String`s by concatenation would be many times slower.
/// Markup that the writer controls is appended raw; anything that came from the caller goes
/// through one of the escaping methods.
struct XMLBuffer {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends trusted markup (element names, fixed attributes) without escaping.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends trusted dynamic markup, e.g. generated style names or formatted numbers.
    mutating func raw(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    mutating func raw(_ number: Int) {
        raw(String(number))
    }

    /// Appends character data for elements where whitespace has no special meaning
    /// (e.g. `dc:title`): escapes markup characters and drops characters XML 1.0 forbids.
    mutating func text(_ value: String) {
        escape(value, inAttribute: false)
    }

    /// Appends an attribute value (the caller writes the quotes). Tabs and line ends are
    /// written as character references because parsers would otherwise turn them into spaces.
    mutating func attribute(_ value: String) {
        escape(value, inAttribute: true)
    }

    private mutating func escape(_ value: String, inAttribute: Bool) {
        var value = value
        value.withUTF8 { source in
            var plainStart = 0
            var index = 0
            while index < source.count {
                let byte = source[index]
                if !XMLBytes.needsAttention(byte) {
                    index += 1
                    continue
                }
                appendSpan(source, plainStart, index)
                let consumed = appendSpecial(source, at: index, inAttribute: inAttribute)
                index += consumed
                plainStart = index
            }
            appendSpan(source, plainStart, index)
        }
    }

    /// Handles one byte that `XMLBytes.needsAttention` flagged; returns how many bytes it used.
    private mutating func appendSpecial(_ source: UnsafeBufferPointer<UInt8>, at index: Int,
                                        inAttribute: Bool) -> Int {
        let byte = source[index]
        if let entity = XMLBytes.entity(for: byte) {
            raw(entity)
            return 1
        }
        switch byte {
        case 0x09: if inAttribute { raw("&#9;") } else { bytes.append(byte) }
        case 0x0A: if inAttribute { raw("&#10;") } else { bytes.append(byte) }
        case 0x0D: raw("&#13;")
        case 0x20: bytes.append(byte)
        case 0xEF:
            if XMLBytes.isNonCharacter(source, at: index) { return 3 }
            bytes.append(byte)
        default:
            break // a forbidden C0 control character: dropped
        }
        return 1
    }

    /// Appends paragraph content following ODF's white-space rules (ODF 1.2 part 1, 6.1.2):
    /// consecutive spaces would collapse and spaces at the start or end of a paragraph would be
    /// dropped, so such spaces become `<text:s/>`; tabs become `<text:tab/>`, and any line end
    /// (LF, CR or CRLF) becomes `<text:line-break/>`.
    mutating func paragraphText(_ value: String) {
        var value = value
        value.withUTF8 { source in
            var plainStart = 0
            var index = 0
            // Whether the last thing written was a visible character, so that one literal
            // space after it survives white-space collapsing.
            var afterVisible = false
            while index < source.count {
                let byte = source[index]
                if !XMLBytes.needsAttention(byte) {
                    index += 1
                    afterVisible = true
                    continue
                }
                appendSpan(source, plainStart, index)
                switch byte {
                case 0x20:
                    var end = index
                    while end < source.count && source[end] == 0x20 { end += 1 }
                    let followedByVisible = end < source.count && !XMLBytes.isLineOrTab(source[end])
                    appendSpaces(end - index, literalFirst: afterVisible && followedByVisible)
                    afterVisible = false
                    index = end
                case 0x09:
                    raw("<text:tab/>")
                    afterVisible = false
                    index += 1
                case 0x0A:
                    raw("<text:line-break/>")
                    afterVisible = false
                    index += 1
                case 0x0D:
                    raw("<text:line-break/>")
                    afterVisible = false
                    index += (index + 1 < source.count && source[index + 1] == 0x0A) ? 2 : 1
                default:
                    let consumed = appendSpecial(source, at: index, inAttribute: false)
                    if byte >= 0x20 && consumed == 1 { afterVisible = true }
                    index += consumed
                }
                plainStart = index
            }
            appendSpan(source, plainStart, index)
        }
    }

    private mutating func appendSpaces(_ count: Int, literalFirst: Bool) {
        var remaining = count
        if literalFirst {
            bytes.append(0x20)
            remaining -= 1
        }
        if remaining == 1 {
            raw("<text:s/>")
        } else if remaining > 1 {
            raw("<text:s text:c=\"")
            raw(remaining)
            raw("\"/>")
        }
    }

    private mutating func appendSpan(_ source: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard end > start else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
    }
}

/// Byte classification shared by the escaping routines.
enum XMLBytes {
    /// True for bytes that cannot be copied through unchanged: markup characters, all C0
    /// controls and space (white-space handling), and 0xEF, the lead byte of U+FFFE/U+FFFF.
    @inline(__always)
    static func needsAttention(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0xEF: return true
        default: return false
        }
    }

    static func entity(for byte: UInt8) -> StaticString? {
        switch byte {
        case 0x26: return "&amp;"
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x22: return "&quot;"
        case 0x27: return "&apos;"
        default: return nil
        }
    }

    static func isLineOrTab(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// U+FFFE and U+FFFF (UTF-8 EF BF BE / EF BF BF) are not XML characters.
    static func isNonCharacter(_ source: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 2 < source.count else { return false }
        return source[index] == 0xEF && source[index + 1] == 0xBF
            && (source[index + 2] == 0xBE || source[index + 2] == 0xBF)
    }
}
