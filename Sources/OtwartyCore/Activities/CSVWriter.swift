/// Writes RFC 4180 CSV (CRLF line ends) that is safe to open in a spreadsheet.
///
/// Every cell goes through `neutraliseFormula`: a cell starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as
/// text instead of running it as a formula (OWASP "CSV Injection"). Cells that already start with
/// apostrophes before such a character get one more, so `restoreFormula` undoes exactly what was
/// added and an exported file reads back to the same values.
public struct CSVWriter: Sendable {
    public private(set) var text: String

    /// `byteOrderMark` starts the text with U+FEFF, which makes Excel read the file as UTF-8.
    public init(byteOrderMark: Bool = false) {
        text = byteOrderMark ? "\u{FEFF}" : ""
    }

    /// Appends one record. Every cell is neutralised and quoted where needed.
    public mutating func writeRow(_ cells: some Sequence<String>) {
        var first = true
        for cell in cells {
            if !first { text.append(",") }
            first = false
            Self.appendCell(cell, to: &text)
        }
        text.append("\r\n")
    }

    /// One cell as it is written: neutralised, then quoted when it holds a comma, a quote or a
    /// line break.
    public static func cell(_ value: String) -> String {
        var out = ""
        appendCell(value, to: &out)
        return out
    }

    static func appendCell(_ value: String, to out: inout String) {
        let safe = neutraliseFormula(value)
        var needsQuotes = false
        for b in safe.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n")
            || b == UInt8(ascii: "\r") {
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

    /// `=1+1` → `'=1+1`; `'=1+1` → `''=1+1`; anything else unchanged.
    public static func neutraliseFormula(_ value: String) -> String {
        startsLikeFormula(value.utf8) ? "'" + value : value
    }

    /// The inverse of `neutraliseFormula`: drops one apostrophe from `'=…`, `''-…` and the like.
    public static func restoreFormula(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.first == apostrophe, startsLikeFormula(bytes) else { return value }
        return String(value.dropFirst())
    }

    static let apostrophe = UInt8(ascii: "'")

    /// True when the bytes are: any number of apostrophes, then `=`, `+`, `-`, `@`, tab or CR.
    static func startsLikeFormula(_ bytes: some Sequence<UInt8>) -> Bool {
        for b in bytes {
            switch b {
            case apostrophe: continue
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
            default: return false
            }
        }
        return false
    }
}
