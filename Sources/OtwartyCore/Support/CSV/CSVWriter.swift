/// The one CSV cell writer for every export: RFC 4180 (CRLF line ends), safe to open in a
/// spreadsheet, in Polish Excel too (docs/security.md, "CSV exports in spreadsheets").
///
/// - Quoting: a cell is quoted when it holds `,` `;` `"` CR, LF or TAB. Polish (and most
///   continental) Excel splits an opened `.csv` on `;`, so `Spotkanie;=1+1` unquoted would become
///   two cells, the second a live formula; quoted, it stays one cell whatever the separator.
/// - Formulas: a *text* cell whose first character — after any spaces, line feeds, non-breaking
///   spaces and apostrophes — is `=`, `+`, `-`, `@`, TAB or CR gets a leading apostrophe, so Excel,
///   LibreOffice and Google Sheets show it as text instead of running it (OWASP "CSV Injection").
///   ` =1+1` and `\t=1` are caught, not only `=1+1`.
/// - Numbers: a cell in a column named numeric (`numericColumns`) that is a plain number
///   (`-12`, `3.5`, `-1.5e-07`) is written as it is, so `-3.25` stays a number a spreadsheet can
///   add up. Anything else in such a column is treated as text, so the column cannot be used to
///   smuggle a formula either.
/// - Round trip: the apostrophe is added exactly when `startsLikeFormula` holds, and that test
///   ignores leading apostrophes, so `restoreFormula` undoes exactly what was added (a cell that
///   already starts `'=` gets a second one) and the project's reader reads an export back to the
///   same values.
public struct CSVWriter: Sendable {
    public private(set) var text: String
    /// Indices (0-based) of columns holding numbers; see the type's comment.
    public var numericColumns: Set<Int>

    /// `byteOrderMark` starts the text with U+FEFF, which makes Excel read the file as UTF-8.
    public init(byteOrderMark: Bool = false, numericColumns: Set<Int> = []) {
        text = byteOrderMark ? "\u{FEFF}" : ""
        self.numericColumns = numericColumns
    }

    /// Appends one record. Every cell is neutralised and quoted where needed.
    public mutating func writeRow(_ cells: some Sequence<String>) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { text.append(",") }
            if numericColumns.contains(index), Self.isPlainNumber(cell.utf8) {
                text.append(cell)
            } else {
                Self.appendCell(cell, to: &text)
            }
        }
        text.append("\r\n")
    }

    /// `-?digits(.digits)?([eE][+-]?digits)?` and nothing else: what a spreadsheet reads as a
    /// number and never as a formula.
    public static func isPlainNumber(_ bytes: some Collection<UInt8>) -> Bool {
        var i = bytes.startIndex
        func digits() -> Int {
            var n = 0
            while i < bytes.endIndex, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { n += 1; i = bytes.index(after: i) }
            return n
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        guard digits() > 0 else { return false }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            guard digits() > 0 else { return false }
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == bytes.endIndex
    }

    /// One text cell as it is written: neutralised, then quoted when it holds `,` `;` `"` CR LF or TAB.
    public static func cell(_ value: String) -> String {
        var out = ""
        appendCell(value, to: &out)
        return out
    }

    static func appendCell(_ value: String, to out: inout String) {
        let safe = neutraliseFormula(value)
        var needsQuotes = false
        for b in safe.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "\"")
            || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == 0x09 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            out.append(safe)
            return
        }
        out.append("\"")
        out.append(safe.replacingOccurrences(of: "\"", with: "\"\""))
        out.append("\"")
    }

    /// `=1+1` → `'=1+1`; ` =1+1` → `' =1+1`; `'=1+1` → `''=1+1`; `Spotkanie;=1+1` →
    /// `Spotkanie;'=1+1`; anything else unchanged.
    ///
    /// Checked at the start of the cell and after every `;`, TAB, CR and LF inside it: a spreadsheet
    /// that splits lines on `;` (Polish Excel) does not see our `,`-separated cells or their quotes,
    /// so each of those places can start a cell (or a row) of its own there.
    public static func neutraliseFormula(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let formula = formulaStarts(bytes)
        guard formula.contains(true) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for i in bytes.indices {
            if formula[i], i == 0 || isSegmentBoundary(bytes[i - 1]) { out.append(apostrophe) }
            out.append(bytes[i])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inverse of `neutraliseFormula`: drops the one apostrophe it added at the start and after
    /// each `;`, TAB, CR or LF. `atStart: false` leaves the start alone (for readers that already
    /// undid it there).
    public static func restoreFormula(_ value: String, atStart: Bool = true) -> String {
        let bytes = Array(value.utf8)
        guard bytes.contains(apostrophe) else { return value }
        let formula = formulaStarts(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var changed = false
        for i in bytes.indices {
            let boundary = i == 0 ? atStart : isSegmentBoundary(bytes[i - 1])
            if boundary, bytes[i] == apostrophe, formula[i] {
                changed = true
                continue
            }
            out.append(bytes[i])
        }
        return changed ? String(decoding: out, as: UTF8.self) : value
    }

    @inline(__always) static func isSegmentBoundary(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ";") || b == 0x09 || b == 0x0A || b == 0x0D
    }

    /// For each position: whether the text from there `startsLikeFormula`. One pass from the end,
    /// so a cell of 100,000 line feeds costs 100,000 steps, not their square.
    static func formulaStarts(_ bytes: [UInt8]) -> [Bool] {
        var result = [Bool](repeating: false, count: bytes.count + 1)
        var i = bytes.count - 1
        while i >= 0 {
            let b = bytes[i]
            if b == 0xA0, i > 0, bytes[i - 1] == 0xC2 {
                result[i] = result[i + 1]
                result[i - 1] = result[i + 1]
                i -= 2
                continue
            }
            switch b {
            case apostrophe, quote, 0x20, 0x0A: result[i] = result[i + 1]
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: result[i] = true
            default: result[i] = false
            }
            i -= 1
        }
        return result
    }

    static let apostrophe = UInt8(ascii: "'")
    static let quote = UInt8(ascii: "\"")

    /// True when the bytes are: any mix of apostrophes, double quotes, spaces, line feeds and
    /// non-breaking spaces (U+00A0), then `=`, `+`, `-`, `@`, tab or CR.
    static func startsLikeFormula(_ bytes: some Sequence<UInt8>) -> Bool {
        var afterC2 = false
        for b in bytes {
            if afterC2 {
                guard b == 0xA0 else { return false }
                afterC2 = false
                continue
            }
            switch b {
            case apostrophe, quote, 0x20, 0x0A: continue
            case 0xC2: afterC2 = true
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
            default: return false
            }
        }
        return false
    }
}
