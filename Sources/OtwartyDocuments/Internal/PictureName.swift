import Foundation

/// Turns a caller's picture file name into a safe zip entry name.
///
/// The name ends up in a zip path and in `xlink:href`; slashes, `..` or non-ASCII characters
/// could escape `Pictures/`, need percent-encoding or upset other zip tools, so only
/// `[A-Za-z0-9._-]` are kept.
enum PictureName {
    /// Returns the stem and the extension (with its dot) so a numeric suffix can go between.
    /// Only a short alphanumeric suffix counts as an extension; every other dot becomes `_`
    /// so no `..` can appear.
    static func sanitized(_ fileName: String, mediaType: String, ordinal: Int) -> (String, String) {
        let cleaned = String(fileName.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return Character(scalar)
            default: return "_"
            }
        })
        var stem = cleaned
        var ext = defaultExtension(for: mediaType)
        if let dot = cleaned.lastIndex(of: "."), dot != cleaned.startIndex {
            let candidate = cleaned[cleaned.index(after: dot)...]
            if (1...8).contains(candidate.count), candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                stem = String(cleaned[..<dot])
                ext = "." + candidate
            }
        }
        stem = stem.replacingOccurrences(of: ".", with: "_")
        if stem.isEmpty || stem.allSatisfy({ $0 == "_" }) {
            return ("image\(ordinal)", ext)
        }
        return (stem, ext)
    }

    static func defaultExtension(for mediaType: String) -> String {
        switch mediaType.lowercased() {
        case "image/svg+xml": return ".svg"
        case "image/png": return ".png"
        case "image/jpeg": return ".jpg"
        case "image/gif": return ".gif"
        case "image/webp": return ".webp"
        default: return ".bin"
        }
    }

    /// Formats that are already compressed gain nothing from deflate, so they are stored.
    static func isAlreadyCompressed(_ mediaType: String) -> Bool {
        switch mediaType.lowercased() {
        case "image/png", "image/jpeg", "image/gif", "image/webp": return true
        default: return false
        }
    }
}
