import Crypto
import Foundation

/// SHA-256 as lowercase hex, the form people compare by eye and `sha256sum` prints: the one way
/// Otwarty writes a digest (token and passphrase digests, audit chain hashes, programme, document
/// and report file digests), so a stored digest means the same bytes everywhere.
public enum SHA256Hex {
    public static func digest(_ bytes: some Sequence<UInt8>) -> String {
        lowercaseHex(SHA256.hash(data: Array(bytes)))
    }

    /// The digest of a text's UTF-8 bytes.
    public static func digest(_ text: String) -> String { digest(Array(text.utf8)) }

    /// SHA-256 in base64, the form a Content-Security-Policy hash source takes.
    public static func base64(_ bytes: some Sequence<UInt8>) -> String {
        Data(SHA256.hash(data: Array(bytes))).base64EncodedString()
    }

    static let digits = Array("0123456789abcdef".utf8)

    /// Any bytes as lowercase hex, two digits a byte (also the form of random tokens). A lookup
    /// table: a token is made on every anonymous page view, and `String(format:)` per byte cost
    /// more than serving a cached page.
    static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
