import Foundation

/// NIST SP 800-63B style rules: a minimum length, no composition rules, and a refusal of
/// passwords that are common or guessable from context.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    /// Bcrypt reads only the first 72 bytes; longer input would silently be truncated.
    public static let maximumBytes = 72

    public enum Problem: Equatable, Sendable, Error {
        case tooShort(minimum: Int)
        case tooLong(maximumBytes: Int)
        case common
        case containsContext
    }

    private let commonPasswords: Set<String>

    public init(commonPasswords: Set<String>) {
        self.commonPasswords = commonPasswords
    }

    /// The policy with the bundled list of common passwords (Resources/common-passwords.txt).
    public static func bundled() throws -> PasswordPolicy { try bundledList.get() }

    /// The list cannot change while the process runs, so its 30,000 lines are read once (the
    /// tests open an application per test).
    private static let bundledList = Result<PasswordPolicy, any Error> {
        guard let url = Bundle.module.url(forResource: "Resources/common-passwords", withExtension: "txt") else {
            throw MissingResource(name: "common-passwords.txt")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        let words = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return PasswordPolicy(commonPasswords: Set(words))
    }

    /// The first problem with `password`, or nil when it is acceptable. `context` holds words the
    /// password must not be built on, such as the e-mail address and the service's name.
    public func problem(with password: String, context: [String] = []) -> Problem? {
        if password.count < Self.minimumLength { return .tooShort(minimum: Self.minimumLength) }
        if password.utf8.count > Self.maximumBytes { return .tooLong(maximumBytes: Self.maximumBytes) }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) || Self.isRepetitive(lowered) || Self.isSequential(lowered) {
            return .common
        }
        // "monkey123456", "password2024!": a common word padded with digits or symbols.
        let base = String(lowered.reversed().drop { $0.isNumber || "!@#$%^&*.?_-+=".contains($0) }.reversed())
        if base.count >= 4, base != lowered, commonPasswords.contains(base) || Self.isSequential(base) {
            return .common
        }
        for word in context.map({ $0.lowercased() }) where word.count >= 4 && lowered.contains(word) {
            // A password that is little more than the context word (e.g. e-mail + "123") is guessable.
            if lowered.count - word.count < 8 { return .containsContext }
        }
        return nil
    }

    /// "aaaaaaaaaaaa", "abcabcabcabc": a short unit repeated.
    static func isRepetitive(_ text: String) -> Bool {
        let chars = Array(text)
        for unit in 1...4 where chars.count % unit == 0 {
            let head = chars[0..<unit]
            if stride(from: 0, to: chars.count, by: unit).allSatisfy({ chars[$0..<$0 + unit] == head }) { return true }
        }
        return false
    }

    /// "123456789012", "abcdefghijkl", "987654321098": each character one step from the last.
    static func isSequential(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        guard scalars.count > 1 else { return false }
        let steps = zip(scalars, scalars.dropFirst()).map { Int($1) - Int($0) }
        let wraps: Set<Int> = [-9] // 9 → 0 in "…7890…"
        return steps.allSatisfy { $0 == 1 || wraps.contains($0) } || steps.allSatisfy { $0 == -1 || $0 == 9 }
    }
}
