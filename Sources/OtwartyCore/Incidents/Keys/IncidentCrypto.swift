import _CryptoExtras
import Crypto
import Foundation

/// The cost of scrypt (RFC 7914): `2^logN` rounds of `blockSize` (r) blocks, `parallelism` (p)
/// lanes; memory is 128 · 2^logN · r bytes. Stored beside every key wrapped with it, so the
/// parameters can be raised later without making older wraps unreadable.
public struct ScryptParameters: Hashable, Sendable, Codable, CustomStringConvertible {
    public var logN: Int
    public var blockSize: Int
    public var parallelism: Int

    public init(logN: Int, blockSize: Int = 8, parallelism: Int = 1) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// 2^16 · 8 · 128 B = 64 MiB, about 220 ms on the 2-core machines CI and a city's server run
    /// on (docs/incidents.md, "Parameters"): a guess costs an attacker the same, and sign-in
    /// (bcrypt + scrypt) stays well under a second.
    public static let standard = ScryptParameters(logN: 16)
    /// For tests only: 2^10 (1 MiB), so hundreds of sign-ins stay fast. Never stored by `serve`.
    public static let testing = ScryptParameters(logN: 10)

    /// The range accepted when reading a stored wrap: a row naming more could make one sign-in
    /// claim gigabytes (the database is not trusted with the server's memory either).
    public var isAcceptable: Bool { (10...20).contains(logN) && (1...16).contains(blockSize) && (1...4).contains(parallelism) }

    public var memoryBytes: Int { 128 << logN * blockSize }

    /// `s16r8p1`: the stored form.
    public var description: String { "s\(logN)r\(blockSize)p\(parallelism)" }

    public init?(stored: String) {
        let scanner = Scanner(string: stored)
        guard scanner.scanString("s") != nil, let n = scanner.scanInt(), scanner.scanString("r") != nil, let r = scanner.scanInt(),
              scanner.scanString("p") != nil, let p = scanner.scanInt(), scanner.isAtEnd else { return nil }
        self.init(logN: n, blockSize: r, parallelism: p)
        guard isAcceptable else { return nil }
    }

    public func deriveKey(from secret: String, salt: Data) throws -> SymmetricKey {
        guard isAcceptable else { throw IncidentKeyError.unusable("scrypt parameters \(self)") }
        return try KDF.Scrypt.deriveKey(from: Data(secret.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logN,
                                        blockSize: blockSize, parallelism: parallelism)
    }
}

public enum IncidentKeyError: Error, Equatable, CustomStringConvertible {
    /// A stored key or envelope does not read (malformed, or sealed for another key or context).
    case unusable(String)
    public var description: String {
        switch self { case let .unusable(what): "cannot open \(what)" }
    }
}

/// A handler's (or the recovery key's) X25519 private key in memory. Kept as bytes:
/// swift-crypto's key types are not `Sendable`.
public struct HandlerPrivateKey: Sendable, Hashable {
    let raw: Data

    public init(rawRepresentation raw: Data) throws {
        _ = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
        self.raw = raw
    }

    public static func generate() -> HandlerPrivateKey {
        HandlerPrivateKey(unchecked: Curve25519.KeyAgreement.PrivateKey().rawRepresentation)
    }

    init(unchecked raw: Data) { self.raw = raw }

    var key: Curve25519.KeyAgreement.PrivateKey { try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw) }
    public var publicKey: Data { key.publicKey.rawRepresentation }
    public var rawRepresentation: Data { raw }
}

/// The primitives of incident-text protection (docs/incidents.md, "Keys"), all from swift-crypto:
/// scrypt wraps a private key under a password, HKDF wraps it under a session token, HPKE
/// (RFC 9180, X25519 · HKDF-SHA256 · ChaCha20-Poly1305) seals a case's content key to a public
/// key, and AES-256-GCM seals each text under the content key, bound to case and field.
public enum IncidentCrypto {
    static var suite: HPKE.Ciphersuite { .Curve25519_SHA256_ChachaPoly }

    // MARK: Wrapping a private key

    /// `scrypt-params:salt:box`, base64 parts: the private key sealed (AES-256-GCM) under a key
    /// derived from `secret` by scrypt with a fresh 16-byte salt; `context` (the user) is bound in.
    public static func wrap(_ key: HandlerPrivateKey, password: String, parameters: ScryptParameters, context: String) throws -> String {
        let salt = Data(SymmetricKey(size: .init(bitCount: 128)).withUnsafeBytes { Data($0) })
        let kek = try parameters.deriveKey(from: password, salt: salt)
        let box = try AES.GCM.seal(key.raw, using: kek, authenticating: Data("handler-key:\(context)".utf8))
        guard let combined = box.combined else { throw IncidentKeyError.unusable("a fresh key box") }
        return "\(parameters):\(salt.base64EncodedString()):\(combined.base64EncodedString())"
    }

    public static func unwrap(_ stored: String, password: String, context: String) throws -> HandlerPrivateKey {
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let parameters = ScryptParameters(stored: String(parts[0])),
              let salt = Data(base64Encoded: String(parts[1])), salt.count == 16,
              let combined = Data(base64Encoded: String(parts[2])) else { throw IncidentKeyError.unusable("the stored handler key") }
        let kek = try parameters.deriveKey(from: password, salt: salt)
        do {
            let raw = try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: kek,
                                       authenticating: Data("handler-key:\(context)".utf8))
            return try HandlerPrivateKey(rawRepresentation: raw)
        } catch {
            throw IncidentKeyError.unusable("the handler key with this password")
        }
    }

    /// The stored wrap's scrypt parameters, to re-wrap when the standard has moved on.
    public static func parameters(ofWrap stored: String) -> ScryptParameters? {
        stored.split(separator: ":").first.flatMap { ScryptParameters(stored: String($0)) }
    }

    // MARK: Session wrapping

    /// The key a session's copy of the handler key is sealed under: HKDF-SHA256 of the cookie's
    /// token. The database holds only the token's SHA-256 (a different function of it), so the
    /// row alone opens nothing; the browser's cookie, sent with every request, opens it on any
    /// instance. The token has 256 random bits, so no slow KDF is needed here.
    static func sessionKey(token: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(token.utf8)),
                               info: Data("otwarty session incident key v1".utf8), outputByteCount: 32)
    }

    public static func wrap(_ key: HandlerPrivateKey, sessionToken token: String) throws -> String {
        let box = try AES.GCM.seal(key.raw, using: sessionKey(token: token), authenticating: Data("session-key".utf8))
        guard let combined = box.combined else { throw IncidentKeyError.unusable("a fresh session box") }
        return combined.base64EncodedString()
    }

    public static func unwrap(_ stored: String, sessionToken token: String) throws -> HandlerPrivateKey {
        guard let combined = Data(base64Encoded: stored),
              let raw = try? AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: sessionKey(token: token),
                                          authenticating: Data("session-key".utf8)) else {
            throw IncidentKeyError.unusable("the session's handler key")
        }
        return try HandlerPrivateKey(rawRepresentation: raw)
    }

    // MARK: Sealing to a public key (HPKE)

    static func info(_ purpose: String, caseCode: String) -> Data { Data("otwarty \(purpose) v1 \(caseCode)".utf8) }

    /// `h1:` + base64(encapsulated key) + `:` + base64(ciphertext): `plaintext` sealed to
    /// `recipient` (32-byte X25519 public key), bound to the case and purpose.
    public static func seal(_ plaintext: Data, to recipient: Data, purpose: String, caseCode: String) throws -> String {
        let publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient)
        var sender = try HPKE.Sender(recipientKey: publicKey, ciphersuite: suite, info: info(purpose, caseCode: caseCode))
        let ciphertext = try sender.seal(plaintext)
        return "h1:\(sender.encapsulatedKey.base64EncodedString()):\(ciphertext.base64EncodedString())"
    }

    public static func open(_ stored: String, with key: HandlerPrivateKey, purpose: String, caseCode: String) throws -> Data {
        let parts = stored.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "h1", let encapsulated = Data(base64Encoded: String(parts[1])),
              let ciphertext = Data(base64Encoded: String(parts[2])) else { throw IncidentKeyError.unusable("a sealed envelope") }
        do {
            var recipient = try HPKE.Recipient(privateKey: key.key, ciphersuite: suite, info: info(purpose, caseCode: caseCode),
                                               encapsulatedKey: encapsulated)
            return try recipient.open(ciphertext)
        } catch {
            throw IncidentKeyError.unusable("a sealed envelope with this key")
        }
    }

    // MARK: The reporter's key

    /// The reporter's key pair, derived from the passphrase shown once (scrypt, salted with the
    /// case code): the server keeps only the public part, so updates sealed to it open only with
    /// the passphrase. The passphrase is normalised as the status page reads it.
    public static func reporterKey(passphrase: String, caseCode: String, parameters: ScryptParameters) throws -> HandlerPrivateKey {
        let seed = try parameters.deriveKey(from: CaseCredentials.normalise(passphrase),
                                            salt: Data("otwarty-reporter:\(caseCode)".utf8))
        return try HandlerPrivateKey(rawRepresentation: seed.withUnsafeBytes { Data($0) })
    }
}

/// A case's content key: 32 random bytes, sealed (HPKE) to each reader. It is also the case's
/// X25519 private key, so a reporter's later additions can be sealed to the case's public key
/// without the server holding the content key; handlers' texts are sealed with AES-256-GCM under
/// a key derived from it (HKDF), each bound to case and field.
public struct CaseContentKey: Sendable, Hashable {
    public let privateKey: HandlerPrivateKey

    public static func generate() -> CaseContentKey { CaseContentKey(privateKey: .generate()) }

    public init(privateKey: HandlerPrivateKey) { self.privateKey = privateKey }

    public var publicKey: Data { privateKey.publicKey }

    var fieldCipher: FieldCipher {
        FieldCipher(key: HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: privateKey.raw),
                                                info: Data("otwarty case fields v1".utf8), outputByteCount: 32))
    }

    /// Seals a text of this case: AES-256-GCM, bound to `caseCode/field`.
    public func seal(_ text: String, caseCode: String, field: String) throws -> String {
        try fieldCipher.seal(text, context: "\(caseCode)/\(field)")
    }

    /// Opens a text of this case: sealed by a handler (`v1:`) or by the reporter to the case's
    /// public key (`h1:`).
    public func open(_ stored: String, caseCode: String, field: String) throws -> String {
        if stored.hasPrefix("h1:") {
            return String(decoding: try IncidentCrypto.open(stored, with: privateKey, purpose: "case-\(field)", caseCode: caseCode),
                          as: UTF8.self)
        }
        return try fieldCipher.open(stored, context: "\(caseCode)/\(field)")
    }

    /// Seals a text without the content key, to the case's public key (the reporter's additions).
    public static func seal(_ text: String, toCase publicKey: Data, caseCode: String, field: String) throws -> String {
        try IncidentCrypto.seal(Data(text.utf8), to: publicKey, purpose: "case-\(field)", caseCode: caseCode)
    }

    /// The content key sealed to a reader's public key.
    public func envelope(for recipient: Data, caseCode: String) throws -> String {
        try IncidentCrypto.seal(privateKey.raw, to: recipient, purpose: "case-key", caseCode: caseCode)
    }

    public static func open(envelope: String, with key: HandlerPrivateKey, caseCode: String) throws -> CaseContentKey {
        CaseContentKey(privateKey: try HandlerPrivateKey(rawRepresentation:
            IncidentCrypto.open(envelope, with: key, purpose: "case-key", caseCode: caseCode)))
    }

    /// The content key sealed with the old server key (`FieldCipher`): the escrow kept only while
    /// cases from before per-handler keys still wait for handlers who have not signed in since.
    public func escrow(with cipher: FieldCipher, caseCode: String) throws -> String {
        try cipher.seal(privateKey.raw.base64EncodedString(), context: "escrow/\(caseCode)")
    }

    public static func open(escrow: String, with cipher: FieldCipher, caseCode: String) throws -> CaseContentKey {
        guard let raw = Data(base64Encoded: try cipher.open(escrow, context: "escrow/\(caseCode)")) else {
            throw IncidentKeyError.unusable("the escrowed case key")
        }
        return CaseContentKey(privateKey: try HandlerPrivateKey(rawRepresentation: raw))
    }
}
