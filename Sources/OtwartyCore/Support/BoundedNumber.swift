/// Whole numbers that come from outside — a query or path parameter, a form field, a CSV cell, a
/// JSON value, a header — are read through this one parser into a stated range, so no later
/// arithmetic on them can overflow and trap (a trap stops the whole server) and a bad value gets
/// an answer that names it (docs/security.md, "Numbers from outside are bounded").
///
/// The grammar is deliberately narrow: optional ASCII spaces around, an optional `-` (only where
/// the range allows negatives), then 1 to 19 ASCII digits `0`–`9`. Nothing else: no `+`, no
/// `0x10`, no `1e3`, no `1_000`, no thousands separators, no Arabic-Indic or other Unicode
/// digits, no fractions. The text is looked at only up to a fixed length, so a 100 kB value costs
/// no more than a short one.
public struct NumberRange: Sendable, Hashable, CustomStringConvertible {
    public let bounds: ClosedRange<Int64>

    public init(_ bounds: ClosedRange<Int64>) { self.bounds = bounds }

    public var description: String { "\(bounds.lowerBound)–\(bounds.upperBound)" }

    // The ranges per kind of number. Each is wide enough for every real use and narrow enough that
    // the arithmetic done with it (offsets, ×100 for grosze, year ± a few) stays far from overflow.

    /// A page of a paged list: 1…10,000 (×50 rows a page is far beyond any table Otwarty holds).
    public static let page = NumberRange(1...10_000)
    /// A calendar year: 1900…2200, the range a programme's period may have (programme-format.md).
    public static let year = NumberRange(1900...2200)
    /// A database id: 1…2⁶³−1 (ids are BIGINT on both engines; no arithmetic is done on them).
    public static let id = NumberRange(1...Int64.max)
    /// A count of people, events or cases: 0…1,000,000,000.
    public static let count = NumberRange(0...1_000_000_000)
    /// API page size: 1…1,000.
    public static let limit = NumberRange(1...1_000)
    /// API offset: 0…100,000,000.
    public static let offset = NumberRange(0...100_000_000)
    /// A month: 1…12.
    public static let month = NumberRange(1...12)
    /// One of Kraków's 18 districts.
    public static let district = NumberRange(1...18)
    /// A goal, task or result number inside a programme: 1…999.
    public static let ordinal = NumberRange(1...999)
    /// A risk score, a juror's score and similar small scales: 0…1,000 (each use checks its own scale).
    public static let score = NumberRange(0...1_000)
    /// A number of months (e.g. a review interval): 0…1,200.
    public static let months = NumberRange(0...1_200)
    /// An amount in grosze: 0…100,000,000,000 (1,000,000,000.00 PLN); read by `Money.parse`, which
    /// also takes decimals and the forms people type.
    public static let amountGrosze = NumberRange(0...100_000_000_000)

    public enum Failure: Error, Sendable, Equatable {
        /// Nothing was given (after trimming spaces).
        case empty
        /// Not written as a whole number with ASCII digits.
        case notANumber
        /// A whole number, but outside the range.
        case outOfRange
    }

    /// The longest text looked at: a sign, 19 digits and some spaces. Anything longer is read no
    /// further (it is either padding or a number too large for any range).
    static let maxScannedLength = 40

    /// Parses `text` into the range. Never traps, whatever the text.
    public func parse(_ text: some StringProtocol) -> Result<Int64, Failure> {
        var utf8 = Substring(text).utf8[...]
        // Long inputs: decide from a prefix whether it is digits at all, without reading it all.
        while let first = utf8.first, first == 0x20 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x20 { utf8 = utf8.dropLast() }
        if utf8.isEmpty { return .failure(.empty) }
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty else { return .failure(.notANumber) }
        var value: Int64 = 0
        var overflow = false
        var scanned = 0
        for byte in utf8 {
            scanned += 1
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.notANumber) }
            if scanned > Self.maxScannedLength {
                // All digits so far and still going: far too large; don't read 100 kB of it.
                overflow = true
                break
            }
            if overflow { continue }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { overflow = true } else { value = next }
        }
        if overflow { return .failure(.outOfRange) }
        if negative {
            if value == 0 { return bounds.contains(0) ? .success(0) : .failure(.outOfRange) }
            if bounds.lowerBound >= 0 { return .failure(.outOfRange) }
            value = -value
        }
        return bounds.contains(value) ? .success(value) : .failure(.outOfRange)
    }

    /// The number, or nil for any failure (when the caller's answer is the same for every kind).
    public func value(_ text: some StringProtocol) -> Int64? {
        try? parse(text).get()
    }

    /// As `value`, for ranges that fit `Int` (all but none on 64-bit platforms).
    public func int(_ text: some StringProtocol) -> Int? {
        value(text).map { Int(truncatingIfNeeded: $0) }
    }

    /// Plain English for logs, the CLI and the API: `"page" must be a whole number from 1 to 10000`.
    public func message(for failure: Failure) -> String {
        switch failure {
        case .empty: return "is required: a whole number from \(bounds.lowerBound) to \(bounds.upperBound)"
        case .notANumber, .outOfRange: return "must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound)"
        }
    }

    /// A field error naming `field`, for forms, JSON bodies and the API's query parameters.
    public func fieldError(_ field: String, _ failure: Failure, messageKey: String = "error.number") -> FieldError {
        FieldError(field: field, messageKey: messageKey, message: message(for: failure))
    }

    /// Parses an optional text: nil when absent or empty, else the number or a field error
    /// appended to `errors`.
    public func optional(_ text: String?, field: String, messageKey: String = "error.number",
                         errors: inout [FieldError]) -> Int? {
        guard let text else { return nil }
        switch parse(text) {
        case let .success(value): return Int(truncatingIfNeeded: value)
        case .failure(.empty): return nil
        case let .failure(failure):
            errors.append(fieldError(field, failure, messageKey: messageKey))
            return nil
        }
    }

    /// Parses a required text: the number, or a field error appended to `errors`.
    public func required(_ text: String?, field: String, messageKey: String = "error.number",
                         errors: inout [FieldError]) -> Int? {
        switch parse(text ?? "") {
        case let .success(value): return Int(truncatingIfNeeded: value)
        case let .failure(failure):
            errors.append(fieldError(field, failure, messageKey: messageKey))
            return nil
        }
    }
}
