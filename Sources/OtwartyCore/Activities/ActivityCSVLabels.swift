import Foundation

/// Names an import file may use instead of the codes in `kind` and `audience`: the labels people
/// see in the application, in every language it speaks ("wydarzenie", "подія", "event" for
/// `event`), so a file typed in a Polish spreadsheet imports without learning the English codes.
/// The code is what is stored either way.
///
/// Matching folds letter case, runs of spaces (also non-breaking ones) and diacritics, and reads
/// `ł` as `l`: "Dzialanie  promocyjne" is "działanie promocyjne". Diacritics are folded rather than
/// required because people type on keyboards without Polish or Ukrainian letters, and because the
/// district column already reads names that way; a label that then names two different values of
/// one column is refused as ambiguous, naming the column, rather than guessed (docs/import-format.md).
public struct ActivityCSVLabels: Sendable, Hashable {
    /// Folded label → the values it names (more than one: ambiguous).
    public private(set) var kinds: [String: Set<ActivityKind>] = [:]
    public private(set) var audiences: [String: Set<Audience>] = [:]

    /// Only the codes, as written: the command line's default before labels existed, and tests'.
    public static let codesOnly = ActivityCSVLabels()

    public init() {}

    /// `kinds` and `audiences`: every label of each value (all languages together). The codes
    /// themselves are added too, so `Event` or `research report` also read.
    public init(kinds: [ActivityKind: [String]], audiences: [Audience: [String]]) {
        for kind in ActivityKind.allCases {
            for label in [kind.rawValue] + (kinds[kind] ?? []) {
                let key = Self.folded(label)
                if !key.isEmpty { self.kinds[key, default: []].insert(kind) }
            }
        }
        for audience in Audience.allCases {
            for label in [audience.rawValue] + (audiences[audience] ?? []) {
                let key = Self.folded(label)
                if !key.isEmpty { self.audiences[key, default: []].insert(audience) }
            }
        }
    }

    /// Labels that name more than one value of their column, for a test to keep at none.
    public var ambiguous: [String] {
        (Array(kinds.filter { $0.value.count > 1 }.keys) + Array(audiences.filter { $0.value.count > 1 }.keys)).sorted()
    }

    /// Lower case, diacritics removed (`ł` → `l`), `_` read as a space, whitespace runs as one space, trimmed.
    public static func folded(_ text: String) -> String {
        let plain = PlainText.fold(text).replacingOccurrences(of: "_", with: " ")
        return plain.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
