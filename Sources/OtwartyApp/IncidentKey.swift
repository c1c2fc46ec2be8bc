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
        if let base64, !base64.isEmpty {
            return FieldCipher(key: try FieldCipher.key(from: Data(base64.utf8), source: "OTWARTY_INCIDENT_KEY"))
        }
        let path = file ?? defaultPath(for: database)
        if let data = FileManager.default.contents(atPath: path) {
            return FieldCipher(key: try FieldCipher.key(from: data, source: path))
        }
        if file != nil {
            // A configured key file that is missing is a mistake, not a first start: making a new
            // key would leave every sealed report unreadable.
            throw FieldCipher.KeyError.malformed("\(path) (missing)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        let text = FieldCipher.newKeyBase64() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw FieldCipher.KeyError.malformed("\(path) (cannot be created)")
        }
        logger.warning("created a new key for incident reports at \(path); back it up apart from the database (docs/incidents.md)")
        return FieldCipher(key: try FieldCipher.key(from: Data(text.utf8), source: path))
    }

    static func defaultPath(for database: DatabaseLocation) -> String {
        if case let .sqlite(path) = database {
            return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("incident.key")
        }
        return "./data/incident.key"
    }
}
