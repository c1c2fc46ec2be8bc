import Crypto
import Foundation

/// Encrypts the free text and contact of incident reports at rest with AES-256-GCM. The key comes
/// from the environment or a file (never the database), so a copy of the database alone reveals
/// nothing. Each value is bound to its case and field (associated data), so a ciphertext moved
/// to another row or column fails to open instead of showing the wrong text.
public struct FieldCipher: Sendable {
    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(key: SymmetricKey) { keyBytes = key.withUnsafeBytes { Data($0) } }

    public enum KeyError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        public var description: String {
            switch self {
            case let .malformed(source):
                return "\(source) must hold a 256-bit key: 32 bytes, or 44 characters of base64 (e.g. `openssl rand -base64 32`)"
            }
        }
    }

    /// A key from base64 text (44 characters) or 32 raw bytes.
    public static func key(from data: Data, source: String) throws -> SymmetricKey {
        if data.count == 32 { return SymmetricKey(data: data) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let decoded = Data(base64Encoded: text), decoded.count == 32 else { throw KeyError.malformed(source) }
        return SymmetricKey(data: decoded)
    }

    public static func newKeyBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// `v1:` + base64(nonce ‖ ciphertext ‖ tag).
    public func seal(_ text: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw KeyError.malformed("AES-GCM") }
        return "v1:" + combined.base64EncodedString()
    }

    public func open(_ stored: String, context: String) throws -> String {
        guard stored.hasPrefix("v1:"), let data = Data(base64Encoded: String(stored.dropFirst(3))) else {
            throw DomainError.conflict("an encrypted field is malformed")
        }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(context.utf8)), as: UTF8.self)
    }
}
