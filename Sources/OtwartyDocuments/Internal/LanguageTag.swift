/// The parts of a BCP 47 tag that ODF can express (`fo:language`, `fo:script`, `fo:country`).
///
/// Only the well-formed leading subtags are used; anything doubtful is left out because a
/// wrong language attribute is worse than none (it picks the wrong spelling dictionary).
struct LanguageTag: Equatable {
    var language: String
    var script: String?
    var country: String?

    /// Canonical tag for `dc:language`, e.g. `pl-PL`.
    var tag: String {
        [language, script, country].compactMap { $0 }.joined(separator: "-")
    }

    /// Returns nil for an empty or malformed tag.
    init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
            .map(String.init)
        guard let first = parts.first, Self.isAlpha(first), (2...3).contains(first.count) else {
            return nil
        }
        language = first.lowercased()
        var rest = parts.dropFirst()
        if let next = rest.first, next.count == 4, Self.isAlpha(next) {
            script = next.prefix(1).uppercased() + next.dropFirst().lowercased()
            rest = rest.dropFirst()
        }
        if let next = rest.first {
            if next.count == 2, Self.isAlpha(next) {
                country = next.uppercased()
            } else if next.count == 3, next.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                country = next
            }
        }
    }

    private static func isAlpha(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}
