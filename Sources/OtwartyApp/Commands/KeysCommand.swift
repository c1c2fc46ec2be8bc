import ArgumentParser
import Foundation
import OtwartyCore

/// `otwarty keys …`: replacing the keys kept beside the database (docs/operations.md, "Rotating keys").
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Replace the keys kept beside the database.",
        subcommands: [RotateOTP.self])

    struct RotateOTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-otp",
            abstract: "Make a new otp.key and re-seal every two-factor secret with it (stop every instance first).",
            discussion: """
            The new key is written beside the old one (otp.key.new), every secret is re-sealed in one \
            transaction, then the old file is kept as otp.key.before-<time> (backups made before today \
            need it) and the new one takes its place. When the key comes from OTWARTY_OTP_KEY instead of \
            a file, pass --print-new-key: the new key is printed once and must replace the variable's value \
            before any instance starts again.
            """)

        @Flag(help: "OTWARTY_OTP_KEY is set: print the new key (base64) instead of writing a file.")
        var printNewKey = false

        func run() async throws {
            try await withServices { configuration, services, _ in
                let outcome = try await OTPKeyRotation.rotate(configuration: configuration, services: services,
                                                              printNewKey: printNewKey)
                print(outcome.summary)
            }
        }
    }
}

/// The steps of `otwarty keys rotate-otp`, callable from tests.
public enum OTPKeyRotation {
    public struct Outcome: Sendable {
        public var resealed: Int
        /// The new key in base64 when it was not written to a file (the key came from the environment).
        public var printedKey: String?
        public var keyFile: String?
        public var previousKeyFile: String?

        public var summary: String {
            var lines = ["re-sealed \(resealed) two-factor secret(s) with a new key"]
            if let printedKey {
                lines.append("the new key (set OTWARTY_OTP_KEY to it before starting any instance; it is not shown again):")
                lines.append(printedKey)
            }
            if let keyFile, let previousKeyFile {
                lines.append("new key: \(keyFile); the previous key is kept as \(previousKeyFile) for backups made before now")
            }
            lines.append("restart every instance: a running one still holds the previous key")
            return lines.joined(separator: "\n")
        }
    }

    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    public static func rotate(configuration: AppConfiguration, services: AppServices, printNewKey: Bool,
                       now: Date = Date()) async throws -> Outcome {
        let newKeyText = FieldCipher.newKeyBase64()
        let newCipher = FieldCipher(key: try FieldCipher.key(from: Data(newKeyText.utf8), source: "the new key"))
        if let base64 = configuration.otpKeyBase64, !base64.isEmpty {
            guard printNewKey else {
                throw Refused(description: "the two-factor key comes from OTWARTY_OTP_KEY, so no file can be replaced: "
                              + "run again with --print-new-key and put the printed key into OTWARTY_OTP_KEY")
            }
            let count = try await services.twoFactor.rotateKey(to: newCipher)
            return Outcome(resealed: count, printedKey: newKeyText)
        }
        let path = configuration.otpKeyFile ?? SealingKey.defaultPath(named: "otp.key", for: configuration.database)
        let staged = path + ".new"
        let stamp = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        let previous = path + ".before-" + stamp
        // The new key reaches the disk before any secret depends on it: were the process to stop
        // after the commit below, otp.key.new holds the key that opens them (docs/operations.md).
        guard !FileManager.default.fileExists(atPath: staged) else {
            throw Refused(description: "\(staged) exists: an earlier rotation did not finish. If two-factor sign-in fails "
                          + "with the current otp.key, move \(staged) into its place; otherwise delete it and run again")
        }
        guard FileManager.default.createFile(atPath: staged, contents: Data((newKeyText + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Refused(description: "\(staged) cannot be written")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: staged))
        try handle.synchronize()
        try handle.close()
        let count: Int
        do {
            count = try await services.twoFactor.rotateKey(to: newCipher)
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
        try FileManager.default.moveItem(atPath: path, toPath: previous)
        try FileManager.default.moveItem(atPath: staged, toPath: path)
        return Outcome(resealed: count, keyFile: path, previousKeyFile: previous)
    }
}
