import Foundation

/// Text as people type it without Polish or Ukrainian letters: lower case, diacritics removed,
/// `ł` read as `l` (Unicode gives `ł` no decomposition, so folding alone keeps it). One rule for
/// every place that compares typed text with stored names: the review queue's search
/// (`ActivityRecord.searchKey`, also the stored `search_text`), the CSV's names beside codes
/// (`ActivityCSVLabels.folded`) and district names.
public enum PlainText {
    /// The rule is `foundationFold`'s. Most text (Polish, English, Ukrainian, Russian, with the
    /// usual punctuation) is folded without Foundation, scalar by scalar from a table that
    /// `foundationFold` itself filled (`FoldTable`); any other text goes through `foundationFold`.
    /// Foundation's folding was 37 % of an import's CPU (docs/performance.md, "Import").
    public static func fold(_ text: String) -> String {
        FoldTable.shared.fold(text) ?? foundationFold(text)
    }

    /// `fold(first) + "\n" + fold(second)`, made as one string when the table folds both (the
    /// stored search text of every imported record, `ActivityRecord.searchText`).
    public static func fold(_ first: String, newline second: String) -> String {
        FoldTable.shared.fold(first, newline: second) ?? (fold(first) + "\n" + fold(second))
    }

    /// The rule, through Foundation: case and diacritics folded, lower case, `ł` → `l`.
    static func foundationFold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
            .replacingOccurrences(of: "ł", with: "l")
    }
}

/// `PlainText.foundationFold` of each scalar of the blocks our languages write in, kept as UTF-8,
/// so a text made only of them is folded by looking each scalar up and joining the answers.
///
/// The answers are Foundation's own, worked out once (about a thousand scalars, a few
/// milliseconds), not typed in: whatever Foundation does to one of these scalars, the table does.
/// Joining is exact only because Foundation folds each of these scalars alone, unaffected by its
/// neighbours: the table leaves out every scalar that joins the one before it into one character
/// (combining marks, joiners, format characters), so a text holding one goes through Foundation
/// whole, and `PlainTextTests` folds every ordered pair of the table's scalars both ways.
struct FoldTable: Sendable {
    /// Basic Latin, Latin-1, Latin Extended-A and -B; Cyrillic; General Punctuation (dashes,
    /// „quotes”, …); currency signs.
    static let blocks: [ClosedRange<UInt32>] = [0x0000...0x024F, 0x0400...0x04FF, 0x2000...0x206F, 0x20A0...0x20BF]
    /// One past the highest scalar value of `blocks`.
    static let limit = 0x20C0

    static let shared = FoldTable()

    /// For each scalar value below `limit`: where its answer starts in `bytes` (high 24 bits) and
    /// its length in bytes (low 8), or `absent` for a scalar the table does not answer.
    private let entries: [UInt32]
    private let bytes: [UInt8]
    /// The most bytes an answer has per byte of its scalar, to size the result.
    private let growth: Int
    static let absent = UInt32.max

    /// Whether the table folds `scalar` (false: a text holding it goes through Foundation).
    static func answers(_ scalar: Unicode.Scalar) -> Bool {
        guard blocks.contains(where: { $0.contains(scalar.value) }) else { return false }
        let properties = scalar.properties
        if properties.isGraphemeExtend { return false }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator,
             .surrogate, .privateUse, .unassigned:
            return false
        case .control:
            // Tab, line breaks and the other ASCII controls; C1 controls are left to Foundation.
            return scalar.isASCII
        default:
            return true
        }
    }

    private init() {
        var entries = [UInt32](repeating: Self.absent, count: Self.limit)
        var bytes: [UInt8] = []
        var growth = 1
        for block in Self.blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value), Self.answers(scalar) else { continue }
                let answer = Array(PlainText.foundationFold(String(Character(scalar))).utf8)
                guard answer.count < 256 else { continue }
                let length = String(Character(scalar)).utf8.count
                growth = max(growth, (answer.count + length - 1) / length)
                entries[Int(value)] = UInt32(bytes.count) << 8 | UInt32(answer.count)
                bytes.append(contentsOf: answer)
            }
        }
        self.entries = entries
        self.bytes = bytes
        self.growth = growth
    }

    /// `text` folded, or nil when it holds a scalar the table does not answer.
    func fold(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { input -> String? in
            guard !input.isEmpty else { return "" }
            // Each UTF-8 sequence is one scalar and its answer at most `growth` times as long.
            var complete = true
            let result = String(unsafeUninitializedCapacity: input.count * growth) { output -> Int in
                guard let written = fold(input, into: output, at: 0) else {
                    complete = false
                    return 0
                }
                return written
            }
            return complete ? result : nil
        }
    }

    /// `first` and `second` folded, a line feed between them; nil when either holds a scalar the
    /// table does not answer.
    func fold(_ first: String, newline second: String) -> String? {
        var first = first, second = second
        return first.withUTF8 { a -> String? in
            second.withUTF8 { b -> String? in
                var complete = true
                let result = String(unsafeUninitializedCapacity: (a.count + b.count) * growth + 1) { output -> Int in
                    guard let end = fold(a, into: output, at: 0) else {
                        complete = false
                        return 0
                    }
                    output[end] = UInt8(ascii: "\n")
                    guard let written = fold(b, into: output, at: end + 1) else {
                        complete = false
                        return 0
                    }
                    return written
                }
                return complete ? result : nil
            }
        }
    }

    /// Writes the answers for `input`'s scalars into `output` from `start` (room for
    /// `input.count * growth` bytes); returns where they end, or nil when a scalar has no answer.
    private func fold(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                      at start: Int) -> Int? {
        var complete = true
        let end = bytes.withUnsafeBufferPointer { answers in
            entries.withUnsafeBufferPointer { entries in
                var i = 0
                var o = start
                let n = input.count
                while i < n {
                    let lead = input[i]
                    var value: Int
                    var width: Int
                    if lead < 0x80 {
                        value = Int(lead)
                        width = 1
                    } else if lead & 0xE0 == 0xC0, i + 1 < n {
                        value = Int(lead & 0x1F) << 6 | Int(input[i + 1] & 0x3F)
                        width = 2
                    } else if lead & 0xF0 == 0xE0, i + 2 < n {
                        value = Int(lead & 0x0F) << 12 | Int(input[i + 1] & 0x3F) << 6 | Int(input[i + 2] & 0x3F)
                        width = 3
                    } else {
                        complete = false
                        return 0
                    }
                    guard value < entries.count else {
                        complete = false
                        return 0
                    }
                    let entry = entries[value]
                    guard entry != Self.absent else {
                        complete = false
                        return 0
                    }
                    let start = Int(entry >> 8)
                    let length = Int(entry & 0xFF)
                    if length == 1 {
                        output[o] = answers[start]
                    } else {
                        for k in 0..<length { output[o + k] = answers[start + k] }
                    }
                    o += length
                    i += width
                }
                return o
            }
        }
        return complete ? end : nil
    }
}
