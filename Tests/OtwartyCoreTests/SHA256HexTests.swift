import Foundation
import OtwartyCore
import Testing

/// One SHA-256 hex helper: the digests stored before it (tokens, programmes, passphrases, files,
/// the audit chain) are the same text through it.
@Suite struct SHA256HexTests {
    @Test func theStandardVectors() {
        #expect(SHA256Hex.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hex.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hex.digest(Array("abc".utf8)) == SHA256Hex.digest("abc"))
        #expect(SHA256Hex.base64(Array("abc".utf8)) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    /// A session or API token's stored digest and a case passphrase's are SHA-256 hex of their text.
    @Test func tokenAndPassphraseDigestsKeepTheirForm() {
        #expect(SecretToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(CaseCredentials.digest(passphrase: "abcde-fghjk", caseCode: "KR-AAAA-0001")
                == SHA256Hex.digest("otwarty-case:KR-AAAA-0001:ABCDEFGHJK"))
        let token = SecretToken.generate()
        #expect(token.count == 64 && token.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
