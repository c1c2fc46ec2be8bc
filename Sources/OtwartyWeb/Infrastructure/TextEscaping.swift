/// Escaping for text written outside Mustache: the report's annex rows (HTML, exactly as Mustache
/// escapes, so they read like the rest of the page) and standalone SVG/XML files (XML 1.0, which
/// also forbids most control characters).
enum TextEscaping {
    enum Flavour {
        /// `& < > " '` as Mustache writes them: `&amp; &lt; &gt; &quot; &#39;`.
        case html
        /// The same with `&apos;`, and characters XML 1.0 does not allow removed.
        case xml
    }

    static func escape(_ text: String, _ flavour: Flavour) -> String {
        var out = ""
        append(text, flavour, to: &out)
        return out
    }

    static func append(_ text: String, _ flavour: Flavour, to out: inout String) {
        // Most texts need nothing: copy them whole.
        let special = text.utf8.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || ($0 < 0x20 && flavour == .xml) }
        guard special || (flavour == .xml && text.unicodeScalars.contains { $0.value == 0xFFFE || $0.value == 0xFFFF }) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += flavour == .html ? "&#39;" : "&apos;"
            default:
                if flavour == .xml {
                    // XML 1.0 allows tab, newline and carriage return, and nothing else below space.
                    if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                    if scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                }
                out.unicodeScalars.append(scalar)
            }
        }
    }
}
