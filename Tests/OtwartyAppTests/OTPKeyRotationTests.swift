import Foundation
import OtwartyApp
import OtwartyCore
import Testing

/// `otwarty keys rotate-otp`: every two-factor secret is re-sealed with a new otp.key, the old key
/// is kept beside it for older backups, and nobody has to enrol again.
@Suite struct OTPKeyRotationTests {
    @Test func everySecretOpensWithTheNewKeyAndNoLongerWithTheOld() async throws {
        try await TestApp.withApp { app, _ in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let enrolment = try #require(try await app.services.twoFactor.enrolment(for: coordinator.user))
            let keyPath = app.folder.appendingPathComponent("otp.key").path
            let oldKeyText = try String(contentsOfFile: keyPath, encoding: .utf8)
            let oldCipher = FieldCipher(key: try FieldCipher.key(from: Data(oldKeyText.utf8), source: "old"))
            let context = SecondFactor.sealContext(userID: coordinator.user.id)
            let before = try #require(try await app.services.repositories.secondFactors.factor(userID: coordinator.user.id))
            let secret = try oldCipher.open(before.sealedSecret, context: context)

            let outcome = try await OTPKeyRotation.rotate(configuration: app.configuration, services: app.services,
                                                          printNewKey: false, now: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(outcome.resealed == 1 && outcome.printedKey == nil)
            #expect(outcome.previousKeyFile == keyPath + ".before-20270115T080000")

            let newKeyText = try String(contentsOfFile: keyPath, encoding: .utf8)
            #expect(newKeyText != oldKeyText)
            #expect(try String(contentsOfFile: try #require(outcome.previousKeyFile), encoding: .utf8) == oldKeyText)
            #expect(!FileManager.default.fileExists(atPath: keyPath + ".new"))
            let newCipher = FieldCipher(key: try FieldCipher.key(from: Data(newKeyText.utf8), source: "new"))
            let after = try #require(try await app.services.repositories.secondFactors.factor(userID: coordinator.user.id))
            #expect(try newCipher.open(after.sealedSecret, context: context) == secret)
            #expect((try? oldCipher.open(after.sealedSecret, context: context)) == nil)
            #expect(enrolment.groupedSecret.replacingOccurrences(of: " ", with: "") == Base32.encode(Array(secret.utf8)))
            let audit = try await app.services.repositories.audit.entries(subject: "otp-key", limit: 5)
            #expect(audit.map(\.action) == ["two-factor.key-rotated"])
        }
    }

    @Test func aKeyFromTheEnvironmentIsOnlyReplacedWhenTheNewOneIsPrinted() async throws {
        let key = FieldCipher.newKeyBase64()
        try await TestApp.withApp(configure: { $0.otpKeyBase64 = key }) { app, _ in
            let user = try await app.signedIn(.programmeCoordinator)
            _ = try await app.services.twoFactor.enrolment(for: user.user)
            let refusal: String
            do {
                _ = try await OTPKeyRotation.rotate(configuration: app.configuration, services: app.services, printNewKey: false)
                refusal = "(no error)"
            } catch { refusal = "\(error)" }
            #expect(refusal.contains("--print-new-key"))
            let untouched = try #require(try await app.services.repositories.secondFactors.factor(userID: user.user.id))
            let oldCipher = FieldCipher(key: try FieldCipher.key(from: Data(key.utf8), source: "old"))
            #expect((try? oldCipher.open(untouched.sealedSecret, context: SecondFactor.sealContext(userID: user.user.id))) != nil)

            let outcome = try await OTPKeyRotation.rotate(configuration: app.configuration, services: app.services, printNewKey: true)
            let printed = try #require(outcome.printedKey)
            #expect(outcome.summary.contains(printed))
            let newCipher = FieldCipher(key: try FieldCipher.key(from: Data(printed.utf8), source: "new"))
            let after = try #require(try await app.services.repositories.secondFactors.factor(userID: user.user.id))
            #expect((try? newCipher.open(after.sealedSecret, context: SecondFactor.sealContext(userID: user.user.id))) != nil)
        }
    }
}
