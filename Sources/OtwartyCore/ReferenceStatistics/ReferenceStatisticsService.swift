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
    /// A lower and a higher estimate of the same quantity, each with its source; all four empty
    /// when the figure has no range. An estimate needs its source and a source its estimate.
    public var lowValue: String
    public var lowSource: String
    public var highValue: String
    public var highSource: String

    public init(key: String, year: String, value: String, source: String, asOf: String = "",
                lowValue: String = "", lowSource: String = "", highValue: String = "", highSource: String = "") {
        self.key = key
        self.year = year
        self.value = value
        self.source = source
        self.asOf = asOf
        self.lowValue = lowValue
        self.lowSource = lowSource
        self.highValue = highValue
        self.highSource = highSource
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
        let low = estimate(value: input.lowValue, source: input.lowSource, fields: ("lowValue", "lowSource"), errors: &errors)
        let high = estimate(value: input.highValue, source: input.highSource, fields: ("highValue", "highSource"), errors: &errors)
        // The central figure lies inside its range; each error names the estimate that is out of place.
        if let value, let low, low.value > value {
            errors.append(FieldError(field: "lowValue", messageKey: "error.reference.low-above-value",
                                     message: "the lower estimate \(low.value) is above the value \(value)"))
        }
        if let value, let high, high.value < value {
            errors.append(FieldError(field: "highValue", messageKey: "error.reference.high-below-value",
                                     message: "the higher estimate \(high.value) is below the value \(value)"))
        }
        guard errors.isEmpty, let year, let value else { throw .invalid(errors) }
        return ReferenceValue(key: key, year: year, value: value, source: source, asOf: asOf, recordedAt: recordedAt,
                              low: low, high: high)
    }

    /// One end of the range from its two fields: nil when both are empty; an error naming the
    /// field for a number out of bounds, a source without a number, or a number without a source.
    static func estimate(value text: String, source: String, fields: (value: String, source: String),
                         errors: inout [FieldError]) -> ReferenceEstimate? {
        let trimmedSource = source.trimmingCharacters(in: .whitespacesAndNewlines)
        let trimmedValue = text.trimmingCharacters(in: .whitespaces)
        if trimmedValue.isEmpty && trimmedSource.isEmpty { return nil }
        var ok = true
        let value = Self.number(trimmedValue).flatMap { $0.isFinite && $0 > 0 && $0 <= Self.maxValue ? $0 : nil }
        if value == nil {
            ok = false
            errors.append(FieldError(field: fields.value, messageKey: "error.reference.estimate",
                                     message: "\"\(text.prefix(40))\" is not a number above 0 and at most 10^12"))
        }
        if trimmedSource.isEmpty || source.count > Self.maxSourceLength {
            ok = false
            errors.append(FieldError(field: fields.source, messageKey: "error.reference.estimate-source",
                                     message: "say where the estimate comes from (at most \(maxSourceLength) characters)"))
        }
        guard ok, let value else { return nil }
        return ReferenceEstimate(value: value, source: source)
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
        // The value and its audit entry commit together or not at all (`AuditLog.atomically`).
        try await audit.atomically { [self] in
            try await references.set(value, by: actor)
            try await audit.record(AuditEntry(at: recordedAt, actorUserID: actor, action: "reference.set",
                                              subject: "reference:\(value.key):\(value.year)", detail: Self.auditDetail(value)))
        }
        return value
    }

    /// "120000.0 (GUS)", with the range's ends and their sources when given.
    static func auditDetail(_ value: ReferenceValue) -> String {
        var text = "\(value.value) (\(value.source))"
        if let low = value.low { text += "; low \(low.value) (\(low.source))" }
        if let high = value.high { text += "; high \(high.value) (\(high.source))" }
        return text
    }
}
