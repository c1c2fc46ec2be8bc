import Crypto
import Foundation
import Logging
import OtwartyCore
import OtwartyStorage

/// Where the key that seals incident reports comes from: `OTWARTY_INCIDENT_KEY` (base64), else
/// the file `OTWARTY_INCIDENT_KEY_FILE`, else `incident.key` beside the SQLite file (or in
/// `./data` with PostgreSQL), created with a new random key and mode 0600 on first start. Never
/// the database: a copy of the database alone must reveal nothing.
public enum IncidentKey {
    public static func load(base64: String?, file: String?, database: DatabaseLocation, logger: Logger) throws -> FieldCipher {
        try SealingKey.load(base64: base64, variable: "OTWARTY_INCIDENT_KEY", file: file, defaultName: "incident.key",
                            purpose: "incident reports (docs/incidents.md)", database: database, logger: logger)
    }

    static func defaultPath(for database: DatabaseLocation) -> String {
        SealingKey.defaultPath(named: "incident.key", for: database)
    }
}

/// Where the key that seals TOTP secrets comes from: `OTWARTY_OTP_KEY` (base64), else the file
/// `OTWARTY_OTP_KEY_FILE`, else `otp.key` beside the SQLite file (or in `./data` with
/// PostgreSQL), created on first start. A key of its own, not the incident key: the two protect
/// different things, are rotated for different reasons, and the incident key's readers (case
/// work) have no business with sign-in secrets (docs/security.md).
public enum OTPKey {
    public static func load(base64: String?, file: String?, database: DatabaseLocation, logger: Logger) throws -> FieldCipher {
        try SealingKey.load(base64: base64, variable: "OTWARTY_OTP_KEY", file: file, defaultName: "otp.key",
                            purpose: "two-factor secrets (docs/security.md)", database: database, logger: logger)
    }
}

/// A 256-bit AES-GCM key from an environment variable, a configured file, or a default file made
/// with a new random key (mode 0600) on first start.
enum SealingKey {
    static func load(base64: String?, variable: String, file: String?, defaultName: String, purpose: String,
                     database: DatabaseLocation, logger: Logger) throws -> FieldCipher {
        if let base64, !base64.isEmpty {
            return FieldCipher(key: try FieldCipher.key(from: Data(base64.utf8), source: variable))
        }
        let path = file ?? defaultPath(named: defaultName, for: database)
        if let data = FileManager.default.contents(atPath: path) {
            return FieldCipher(key: try FieldCipher.key(from: data, source: path))
        }
        if file != nil {
            // A configured key file that is missing is a mistake, not a first start: making a new
            // key would leave everything sealed with the old one unreadable.
            throw FieldCipher.KeyError.malformed("\(path) (missing)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        let text = FieldCipher.newKeyBase64() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw FieldCipher.KeyError.malformed("\(path) (cannot be created)")
        }
        logger.warning("created a new key for \(purpose) at \(path); back it up apart from the database")
        return FieldCipher(key: try FieldCipher.key(from: Data(text.utf8), source: path))
    }

    static func defaultPath(named name: String, for database: DatabaseLocation) -> String {
        if case let .sqlite(path) = database {
            return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        }
        return "./data/" + name
    }
}
