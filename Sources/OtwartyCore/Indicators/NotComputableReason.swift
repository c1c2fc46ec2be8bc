/// Why a measure or a result has no value for a period. Never shown as 0: a missing figure and
/// a zero figure mean different things in a report to the City Council.
public enum NotComputableReason: Hashable, Sendable, CustomStringConvertible {
    /// The programme file gives the measure or result no `rule`.
    case noRule
    /// The rule divides by reference statistic `key`, and none has been entered for `year`.
    case missingReference(key: String, year: Int)
    /// The reference statistic is 0 (or negative), so a share of it is undefined.
    case unusableReference(key: String, year: Int, value: Double)

    /// Plain English for logs, the CLI and the API; pages translate the case instead.
    public var description: String {
        switch self {
        case .noRule:
            "no rule in the programme file"
        case let .missingReference(key, year):
            "no reference value \"\(key)\" for \(year)"
        case let .unusableReference(key, year, value):
            "reference value \"\(key)\" for \(year) is \(value.plainText), so a share of it cannot be computed"
        }
    }
}

extension Double {
    /// `0` rather than `0.0` for whole numbers, in messages.
    var plainText: String {
        rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
