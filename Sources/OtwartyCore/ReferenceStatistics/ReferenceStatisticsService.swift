import Foundation

/// A reference statistic as someone typed it, on the page's form or the command line: every
/// field is text, so both are read by the same rules.
public struct ReferenceStatisticInput: Hashable, Sendable {
    public var key: String
    public var year: String
    public var value: String
    public var source: String
    /// The day the figure was published or taken (`YYYY-MM-DD`); empty when not known.
    public var asOf: String

    public init(key: String, year: String, value: String, source: String, asOf: String = "") {
        self.key = key
        self.year = year
        self.value = value
        self.source = source
        self.asOf = asOf
    }
}

/// Recording reference statistics (denominators such as `foreign-residents`): one set of rules
/// for the page and the command line, each value a new revision (the earlier ones stay, so a
/// corrected figure never erases the one an earlier report used), each audited as `reference.set`.
public struct ReferenceStatisticsService: Sendable {
    public let references: any ReferenceRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(references: any ReferenceRepository, audit: any AuditLog, clock: OfficeClock = OfficeClock()) {
        self.references = references
        self.audit = audit
        self.clock = clock
    }

    /// The years a statistic may describe: the programmes Otwarty serves and their baselines.
    public static let years = 1990...2100
    /// No statistic of a city comes near 10¹²; the bound also keeps `1e999` (infinity) out.
    public static let maxValue = 1e12
    public static let maxSourceLength = 300

    /// The value `input` describes, or `DomainError.invalid` with every problem, each naming its
    /// field (and the text given, for the command line and logs; pages show the `messageKey` text).
    public static func validated(_ input: ReferenceStatisticInput, recordedAt: Date) throws(DomainError) -> ReferenceValue {
        var errors: [FieldError] = []
        func quoted(_ text: String) -> String { "\"\(text.prefix(40))\"" }
        let key = input.key
        if !ReferenceKeyFormat.isValid(key) {
            errors.append(FieldError(field: "key", messageKey: "error.reference.key",
                                     message: "\(quoted(key)): use lowercase letters, digits and hyphens (at most \(ReferenceKeyFormat.maxLength) characters)"))
        }
        let year = NumberRange.year.int(input.year).flatMap { Self.years.contains($0) ? $0 : nil }
        if year == nil {
            errors.append(FieldError(field: "year", messageKey: "error.reference.year",
                                     message: "\(quoted(input.year)) is not a year from \(years.lowerBound) to \(years.upperBound)"))
        }
        let value = Self.number(input.value).flatMap { $0.isFinite && $0 >= 0 && $0 <= Self.maxValue ? $0 : nil }
        if value == nil {
            errors.append(FieldError(field: "value", messageKey: "error.reference.value",
                                     message: "\(quoted(input.value)) is not a number from 0 to 10^12"))
        }
        let source = input.source
        if source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || source.count > Self.maxSourceLength {
            errors.append(FieldError(field: "source", messageKey: "error.reference.source",
                                     message: "say where the figure comes from (at most \(maxSourceLength) characters)"))
        }
        let asOfText = input.asOf
        let asOf = asOfText.isEmpty ? nil : CalendarDate(iso: asOfText)
        if !asOfText.isEmpty && asOf == nil {
            errors.append(FieldError(field: "asOf", messageKey: "error.activity.date", message: "\(quoted(asOfText)) is not a date (YYYY-MM-DD)"))
        }
        guard errors.isEmpty, let year, let value else { throw .invalid(errors) }
        return ReferenceValue(key: key, year: year, value: value, source: source, asOf: asOf, recordedAt: recordedAt)
    }

    /// A statistic's value as people type it: a decimal comma or point, spaces between thousands
    /// ("125 000,5").
    static func number(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: ""))
    }

    /// Records the value `input` describes as the newest revision of its key and year.
    @discardableResult
    public func set(_ input: ReferenceStatisticInput, by actor: UserID?) async throws -> ReferenceValue {
        let recordedAt = clock.now()
        let value = try Self.validated(input, recordedAt: recordedAt)
        try await references.set(value, by: actor)
        try await audit.record(AuditEntry(at: recordedAt, actorUserID: actor, action: "reference.set",
                                          subject: "reference:\(value.key):\(value.year)", detail: "\(value.value) (\(value.source))"))
        return value
    }
}
