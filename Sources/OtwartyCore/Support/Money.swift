/// An amount in Polish złoty, held as a whole number of grosze (1 PLN = 100 grosze), so amounts
/// and their sums are exact: no floating point is involved anywhere between what a person types
/// and what a page, a file or the API shows.
///
/// Every amount that comes from outside — a form field, a CSV cell, a JSON value — is read by
/// `Money.parse`, and every amount shown is written by `plain` (files, form fields, the API) or
/// `formatted(_:)` (pages and documents). The database keeps grosze in BIGINT columns.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let grosze: Int64

    public init(grosze: Int64) { self.grosze = grosze }

    public static let zero = Money(grosze: 0)

    /// The largest amount one field may hold: 1,000,000,000.00 PLN (10¹¹ grosze), the amount range
    /// of `NumberRange.amountGrosze`. A sum of 90 million such amounts still fits 64 bits, and sums
    /// are checked anyway (`adding`, `sum`).
    public static let maxAmount = Money(grosze: NumberRange.amountGrosze.bounds.upperBound)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.grosze < rhs.grosze }

    /// `self + other`, or nil when the sum does not fit 64 bits (it never traps).
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = grosze.addingReportingOverflow(other.grosze)
        return overflow ? nil : Money(grosze: sum)
    }

    /// The sum of `amounts` (zero for none), or nil when it does not fit 64 bits.
    public static func sum(_ amounts: some Sequence<Money>) -> Money? {
        var total = Money.zero
        for amount in amounts {
            guard let next = total.adding(amount) else { return nil }
            total = next
        }
        return total
    }

    /// As `sum`, for amounts kept as grosze in a model's field.
    public static func sum(grosze amounts: some Sequence<Int64>) -> Int64? {
        sum(amounts.lazy.map(Money.init(grosze:)))?.grosze
    }

    // MARK: Writing

    /// 150050 → `1500.50`: no grouping, a decimal point, always two decimals. The form of files
    /// (CSV exports and imports), form fields and the API; `parse` reads it back in either form.
    public var plain: String {
        let magnitude = grosze.magnitude
        let fraction = magnitude % 100
        return (grosze < 0 ? "-" : "") + String(magnitude / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    public var description: String { plain }

    /// How a page shows numbers: the separators of the reader's language.
    public struct DisplayStyle: Hashable, Sendable {
        /// Between groups of three digits.
        public var group: String
        /// Before the grosze.
        public var decimal: String
        /// Numbers with fewer digits than this are not grouped (Polish writes `1500` but `15 000`).
        public var groupFromDigits: Int

        public init(group: String, decimal: String, groupFromDigits: Int) {
            self.group = group
            self.decimal = decimal
            self.groupFromDigits = groupFromDigits
        }

        /// `15 000,50` with a non-breaking space; four-digit numbers ungrouped (CLDR's Polish).
        public static let polish = DisplayStyle(group: "\u{00A0}", decimal: ",", groupFromDigits: 5)
        /// `15,000.50`.
        public static let english = DisplayStyle(group: ",", decimal: ".", groupFromDigits: 4)

        /// A whole number with its digits grouped: 1500 → `1500`, 15000 → `15 000`.
        public func integer(_ value: Int64) -> String {
            let digits = String(value.magnitude)
            var out = value < 0 ? "-" : ""
            guard digits.count >= groupFromDigits else { return out + digits }
            var remaining = digits.count
            for character in digits {
                out.append(character)
                remaining -= 1
                if remaining > 0 && remaining % 3 == 0 { out += group }
            }
            return out
        }
    }

    /// 150050 → `1500,50`, 1500050 → `15 000,50` (Polish) / `15,000.50` (English): always two decimals.
    /// No currency: pages put `zł` or `PLN` where their layout wants it.
    public func formatted(_ style: DisplayStyle) -> String {
        let fraction = grosze.magnitude % 100
        let whole = style.integer(Int64(grosze.magnitude / 100))
        return (grosze < 0 ? "-" : "") + whole + style.decimal + (fraction < 10 ? "0" : "") + String(fraction)
    }

    // MARK: Reading

    /// Which texts `parse` reads.
    public enum Forms: Sendable {
        /// What people type and spreadsheets write: `1500`, `1 500`, `1 500,50`, `1500,5`, `1500.50`,
        /// `1500.50 zł`, `1 500 zł`, `PLN 1500`, `1500 PLN`.
        case typed
        /// Only `1500`, `1500.5` and `1500.50`: the API's form, for programs rather than people.
        case plain
    }

    public enum ParseError: Error, Hashable, Sendable {
        /// Nothing but spaces (and perhaps a currency).
        case empty
        /// Not written as an amount (letters, an exponent, `1.234,56`, `1 5000`, `.5`, `15.`…).
        case notAnAmount
        /// A minus sign where the field takes no negative amounts.
        case negative
        /// Three or more digits after the decimal separator.
        case tooManyDecimals
        /// Larger than `Money.maxAmount` (or, negative, smaller than its opposite).
        case tooLarge

        /// Plain English naming the text as `shown` (the caller quotes or shortens it), e.g.
        /// `"12.345" has more than 2 decimal places`; the examples are of the `forms` read.
        public func message(shown text: String, forms: Forms = .typed) -> String {
            let examples = forms == .typed ? "e.g. 1500, 1 500,50 or 1500.50 zł" : "e.g. 1500 or 1500.50"
            switch self {
            case .empty: return "an amount in PLN is required (\(examples))"
            case .notAnAmount: return "\(text) is not an amount in PLN (\(examples))"
            case .negative: return "\(text): the amount cannot be negative"
            case .tooManyDecimals:
                return "\(text) has more than 2 decimal places" + (forms == .typed ? " (group thousands with spaces: 1 500)" : "")
            case .tooLarge: return "\(text) is too large (at most \(Money.maxAmount.grosze / 100) PLN)"
            }
        }
    }

    /// The longest text looked at, in bytes: an amount with grouping, decimals and a currency is far
    /// shorter; anything longer is refused without being read to its end.
    static let maxScannedLength = 64

    /// Reads an amount, never trapping whatever the text.
    ///
    /// The typed forms: spaces around are ignored; a currency may stand before (`PLN`) or after
    /// (`zł`, `PLN`, in any case); a minus sign only where `allowsNegative`. The złoty are digits,
    /// optionally grouped by threes with a space, a non-breaking space (U+00A0) or a narrow one
    /// (U+202F) — `1 500`, `15 000 000`, but not `1 5000`. Then, optionally, one `,` or `.` and one
    /// or two digits of grosze. Refused, because they are ambiguous or not amounts: `.` or `,` as a
    /// thousands separator (`1.500.000`, `1,500.50`, `1.500,50` — `1,500` and `1.500` have three
    /// decimals, refused as such), `.5`, `15.`, exponents (`1e3`), `+`, other digits than ASCII.
    public static func parse(_ text: some StringProtocol, forms: Forms = .typed,
                             allowsNegative: Bool = false) -> Result<Money, ParseError> {
        var copy = String(text.utf8.count > maxScannedLength ? text.prefix(maxScannedLength + 1) : text[...])
        return copy.withUTF8 { parse(utf8: $0, forms: forms, allowsNegative: allowsNegative) }
    }

    /// As `parse(_:)`, on UTF-8 bytes (a CSV cell), without making a String of them.
    public static func parse(utf8 text: UnsafeBufferPointer<UInt8>, forms: Forms = .typed,
                             allowsNegative: Bool = false) -> Result<Money, ParseError> {
        if text.count > maxScannedLength {
            // Decide on a prefix: all digits and spaces so far means a number far too large.
            let prefix = text.prefix(maxScannedLength)
            return prefix.allSatisfy({ isDigit($0) || $0 == 0x20 }) && prefix.contains(where: isDigit)
                ? .failure(.tooLarge) : .failure(.notAnAmount)
        }
        var start = 0, end = text.count
        func trim() {
            while start < end, case let n = spaceLength(text, at: start, tabs: true), n > 0 { start += n }
            while start < end, case let n = spaceLength(text, endingAt: end), n > 0 { end -= n }
        }
        trim()
        if forms == .typed {
            if let n = currencySuffixLength(text, start: start, end: end) {
                end -= n
                trim()
            } else if end - start >= 3, lowered(text[start]) == 0x70, lowered(text[start + 1]) == 0x6C,
                      lowered(text[start + 2]) == 0x6E {  // "pln"
                start += 3
                trim()
            }
        }
        if start == end { return .failure(.empty) }
        var negative = false
        if text[start] == UInt8(ascii: "-") {
            negative = true
            start += 1
        }

        var zloty: Int64 = 0, fraction: Int64 = 0
        var tooLarge = false
        var groups = 0, digitsInGroup = 0, fractionDigits = 0
        var inFraction = false
        var i = start
        while i < end {
            let byte = text[i]
            if isDigit(byte) {
                let digit = Int64(byte &- 0x30)
                if inFraction {
                    fractionDigits += 1
                    if fractionDigits <= 2 { fraction = fraction * 10 + digit }
                } else {
                    digitsInGroup += 1
                    // 64 bytes hold at most 64 digits: checked anyway, and the bound decides.
                    let (times10, o1) = zloty.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.addingReportingOverflow(digit)
                    if o1 || o2 || next > maxAmount.grosze / 100 { tooLarge = true } else { zloty = next }
                }
                i += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                // One decimal separator, after a whole group of złoty; the plain form has only `.`.
                guard !inFraction, digitsInGroup > 0, groups == 0 || digitsInGroup == 3,
                      forms == .typed || byte == UInt8(ascii: ".") else { return .failure(.notAnAmount) }
                inFraction = true
                i += 1
            } else if case let n = spaceLength(text, at: i, tabs: false), n > 0 {
                // A thousands separator: the first group 1–3 digits, every later one 3.
                guard forms == .typed, !inFraction, digitsInGroup > 0,
                      groups == 0 ? digitsInGroup <= 3 : digitsInGroup == 3 else { return .failure(.notAnAmount) }
                groups += 1
                digitsInGroup = 0
                i += n
            } else {
                return .failure(.notAnAmount)
            }
        }
        if inFraction ? fractionDigits == 0 : (digitsInGroup == 0 || groups > 0 && digitsInGroup != 3) {
            return .failure(.notAnAmount)
        }
        if negative && !allowsNegative { return .failure(.negative) }
        if fractionDigits > 2 { return .failure(.tooManyDecimals) }
        if fractionDigits == 1 { fraction *= 10 }
        let grosze = tooLarge ? nil : zloty.multipliedReportingOverflow(by: 100).partialValue + fraction
        guard let grosze, grosze <= maxAmount.grosze else { return .failure(.tooLarge) }
        return .success(Money(grosze: negative ? -grosze : grosze))
    }

    /// A form field or JSON value that may be left empty: nil when it is, else the amount, or nil
    /// and a field error naming `field` appended to `errors`.
    public static func optional(_ text: String, field: String, messageKey: String, forms: Forms = .typed,
                                errors: inout [FieldError]) -> Money? {
        switch parse(text, forms: forms) {
        case let .success(money): return money
        case .failure(.empty): return nil
        case let .failure(failure):
            errors.append(FieldError(field: field, messageKey: messageKey,
                                     message: failure.message(shown: quoted(text), forms: forms)))
            return nil
        }
    }

    /// A form field that must hold an amount: the amount, or nil and a field error appended to `errors`.
    public static func required(_ text: String, field: String, messageKey: String, errors: inout [FieldError]) -> Money? {
        switch parse(text) {
        case let .success(money): return money
        case let .failure(failure):
            errors.append(FieldError(field: field, messageKey: messageKey, message: failure.message(shown: quoted(text))))
            return nil
        }
    }

    /// The text in quotes for a message, shortened to 40 characters.
    public static func quoted(_ text: String) -> String {
        "\"" + (text.count > 40 ? text.prefix(40) + "…" : text) + "\""
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The length in bytes of a space at `i`: a space (1), a no-break space U+00A0 (2) or a narrow
    /// no-break space U+202F (3) — what people and spreadsheets put between groups of thousands —
    /// and, when `tabs`, a tab (around the amount only); 0 for anything else.
    static func spaceLength(_ text: UnsafeBufferPointer<UInt8>, at i: Int, tabs: Bool) -> Int {
        let rest = text.count - i
        if text[i] == 0x20 || tabs && text[i] == 0x09 { return 1 }
        if rest >= 2, text[i] == 0xC2, text[i + 1] == 0xA0 { return 2 }
        if rest >= 3, text[i] == 0xE2, text[i + 1] == 0x80, text[i + 2] == 0xAF { return 3 }
        return 0
    }

    /// As `spaceLength(_:at:tabs:)` for a space (or tab) that ends just before `end`.
    static func spaceLength(_ text: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int {
        for n in 1...3 where end - n >= 0 && spaceLength(text, at: end - n, tabs: true) == n { return n }
        return 0
    }

    /// The length of `zł` (3 bytes) or `pln` (3) ending at `end`, in any case; nil when neither.
    static func currencySuffixLength(_ text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Int? {
        guard end - start >= 3 else { return nil }
        let a = text[end - 3], b = text[end - 2], c = text[end - 1]
        if lowered(a) == 0x7A, b == 0xC5, c == 0x82 || c == 0x81 { return 3 }  // "zł", "zŁ", "Zł", "ZŁ"
        if lowered(a) == 0x70, lowered(b) == 0x6C, lowered(c) == 0x6E { return 3 }  // "pln"
        return nil
    }

    /// ASCII capitals to small letters; every other byte as it is.
    static func lowered(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte + 0x20 : byte }
}
