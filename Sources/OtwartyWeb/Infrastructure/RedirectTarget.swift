/// Where a `next` parameter may send someone after sign-in: a path on this site, checked against a
/// strict grammar. Everything else falls back to the default page. This is the one check every
/// reader of `next` uses (the sign-in form and post, the second-factor step, the anonymous redirect
/// to sign-in in `Routes`).
///
/// Accepted: `/` alone, or `/` followed by a letter or digit, then only `A-Z a-z 0-9 - . _ ~ / ? = & %`;
/// at most `maximumLength` bytes. Refused, among others:
/// - anything not starting with exactly one `/` (`//host`, `/\host`, `https://…`, `javascript:…`);
/// - `//` anywhere, a backslash, whitespace, control characters (a browser drops a tab or newline
///   and reads `/<TAB>/evil.example` as `//evil.example`), any non-ASCII character (`／／evil`);
/// - `.` or `..` as a path segment;
/// - a percent escape that is malformed or stands for `\`, `%`, a control character or a non-ASCII
///   byte (`%5C`, `%09`, `%252F`, `%EF%BC%8F`), or in the path (before `?`) for `/` or `.`
///   (`%2F%2F`, `%2e%2e`), so no later decoding step can turn it into one of the above. In the
///   query an encoded `/` is data, as in a nested `?next=%2Fpl%2F`.
public enum RedirectTarget {
    public static let maximumLength = 512

    /// The path when it is a safe same-site target; nil otherwise.
    public static func sameSite(_ candidate: String) -> String? {
        let bytes = Array(candidate.utf8)
        guard (1...maximumLength).contains(bytes.count), bytes[0] == slash else { return nil }
        if bytes.count > 1, !isAlphanumeric(bytes[1]) { return nil }
        var index = 0
        var inQuery = false
        while index < bytes.count {
            let byte = bytes[index]
            guard isAllowed(byte) else { return nil }
            if byte == UInt8(ascii: "?") { inQuery = true }
            if byte == percent {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                let decoded = high << 4 | low
                guard decoded >= 0x20, decoded < 0x7F, !forbiddenEncoded.contains(decoded) else { return nil }
                // In the query an encoded `/` or `.` is data (a nested `next`); in the path it is refused.
                if !inQuery, decoded == slash || decoded == UInt8(ascii: ".") { return nil }
                index += 3
                continue
            }
            if byte == slash, index + 1 < bytes.count, bytes[index + 1] == slash { return nil }
            index += 1
        }
        let path = candidate.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            return nil
        }
        return candidate
    }

    /// `candidate` when safe, else `fallback`.
    public static func sameSite(_ candidate: String?, or fallback: String) -> String {
        candidate.flatMap(sameSite) ?? fallback
    }

    private static let slash = UInt8(ascii: "/"), percent = UInt8(ascii: "%")
    private static let forbiddenEncoded: Set<UInt8> = [UInt8(ascii: "\\"), UInt8(ascii: "%")]
    private static let punctuation: Set<UInt8> = Set("-._~/?=&%".utf8)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || punctuation.contains(byte) }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
