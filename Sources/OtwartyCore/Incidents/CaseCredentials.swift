import Foundation

/// The case code and passphrase a reporter gets after submitting: the only way back to the case,
/// without an account. The code is printed on the status page and may be shared; the passphrase
/// is secret and shown once. Only a salted SHA-256 of the passphrase is stored: with 100 random
/// bits it cannot be guessed offline, so a slow hash buys nothing.
public struct CaseCredentials: Hashable, Sendable {
    public var caseCode: String
    public var passphrase: String

    /// Crockford's base32 without I, L, O, U: nothing to misread on paper or over the phone.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func generate() -> CaseCredentials {
        var generator = SystemRandomNumberGenerator()
        func chars(_ n: Int) -> String { String((0..<n).map { _ in alphabet[Int(generator.next() % 32)] }) }
        // 8 characters (40 bits) of code: unique enough to look up, checked for collisions on insert.
        let code = "KR-" + chars(4) + "-" + chars(4)
        // 20 characters = 100 bits, in groups of 5.
        let pass = (0..<4).map { _ in chars(5) }.joined(separator: "-")
        return CaseCredentials(caseCode: code, passphrase: pass)
    }

    /// Reporters type codes in any case, with or without dashes and spaces.
    public static func normalise(_ text: String) -> String {
        text.uppercased().filter { !$0.isWhitespace && $0 != "-" }
            .replacingOccurrences(of: "O", with: "0").replacingOccurrences(of: "I", with: "1").replacingOccurrences(of: "L", with: "1")
    }

    /// The stored form of a case code: normalised, then the dashes back in place.
    public static func canonicalCode(_ text: String) -> String? {
        let n = normalise(text)
        guard n.count == 10, n.hasPrefix("KR"), n.dropFirst(2).allSatisfy({ alphabet.contains($0) }) else { return nil }
        let body = Array(n.dropFirst(2))
        return "KR-" + String(body[0..<4]) + "-" + String(body[4..<8])
    }

    public static func digest(passphrase: String, caseCode: String) -> String {
        SHA256Hex.digest("otwarty-case:\(caseCode):\(normalise(passphrase))")
    }

    /// Compares in constant time, so response times say nothing about how much of a guess was right.
    public static func matches(passphrase: String, caseCode: String, digest stored: String) -> Bool {
        SecretToken.constantTimeEquals(digest(passphrase: passphrase, caseCode: caseCode), stored)
    }
}
