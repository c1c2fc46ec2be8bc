import Crypto
import Foundation

/// The case code and passphrase on their way from the report form to the confirmation page
/// (post/redirect/get). The form's answer is a redirect; the credentials travel in a cookie sealed
/// here (AES-256-GCM), so the passphrase is never in an address, never stored on the server and
/// not sent again by a refresh of the form. The confirmation page opens the receipt for
/// `window` after the report was sent and refuses it afterwards (docs/incidents.md, "After
/// sending"). `issuedAt` is inside the sealed text, so a browser cannot stretch the window.
public struct ReporterReceipt: Hashable, Sendable {
    public var caseCode: String
    public var passphrase: String
    public var issuedAt: Date

    /// How long the confirmation page shows the passphrase after the report was sent: long enough
    /// for a reload on a phone or a second look, short enough that someone picking up the device
    /// later does not find it.
    public static let window: TimeInterval = 10 * 60

    public init(caseCode: String, passphrase: String, issuedAt: Date) {
        self.caseCode = caseCode
        self.passphrase = passphrase
        self.issuedAt = issuedAt
    }

    public func isFresh(at now: Date) -> Bool {
        now >= issuedAt.addingTimeInterval(-60) && now < issuedAt.addingTimeInterval(Self.window)
    }
}

/// Seals and opens receipts with a key of their own. Derived (HKDF-SHA256, its own label) from a
/// server secret — today the incident key — so one secret serves several instances and a restart
/// within the window, while a receipt is never a valid field ciphertext nor the other way round.
/// When incident texts move to per-handler keys (issue 14) the receipt only needs some server
/// secret: give this initialiser any 32 bytes.
public struct ReporterReceiptSealer: Sendable {
    let keyBytes: Data

    public init(secret: SymmetricKey) {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Data("otwarty reporter receipt v1".utf8),
                                             outputByteCount: 32)
        keyBytes = derived.withUnsafeBytes { Data($0) }
    }

    public init(deriving cipher: FieldCipher) {
        self.init(secret: cipher.key)
    }

    static let context = Data("reporter-receipt".utf8)

    /// URL-safe base64 of nonce ‖ ciphertext ‖ tag: fits a cookie value as it is.
    public func seal(_ receipt: ReporterReceipt) throws -> String {
        let text = "\(receipt.caseCode)\n\(receipt.passphrase)\n\(Int(receipt.issuedAt.timeIntervalSince1970))"
        let box = try AES.GCM.seal(Data(text.utf8), using: SymmetricKey(data: keyBytes), authenticating: Self.context)
        guard let combined = box.combined else { throw DomainError.conflict("the receipt could not be sealed") }
        return combined.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil for anything that is not a receipt sealed with this key (a browser's cookie is input).
    public func open(_ value: String) -> ReporterReceipt? {
        guard value.utf8.count <= 400 else { return nil }
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: SymmetricKey(data: keyBytes), authenticating: Self.context) else { return nil }
        let parts = String(decoding: plain, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard parts.count == 3, let seconds = Int(parts[2]) else { return nil }
        return ReporterReceipt(caseCode: String(parts[0]), passphrase: String(parts[1]),
                               issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
