// A reader for gettext PO catalogues (the text format, not compiled .mo files).
// Format reference: the GNU gettext manual, "The Format of PO Files".

/// The translations of one gettext PO file.
///
/// Only entries that are actually translated are kept: entries flagged
/// `#, fuzzy` and entries whose `msgstr` is empty are skipped, so a lookup
/// returns `nil` and the caller can fall back to the source text. A plural
/// entry counts as translated only when it has a non-empty `msgstr[i]` for every
/// one of the `nplurals` forms; a partly translated plural is skipped rather than
/// shown with holes.
///
/// The header entry (`msgid ""` with no context) supplies `Language:` and
/// `Plural-Forms:`. As in `msgfmt`, the header is used even when flagged fuzzy,
/// because templates are routinely left that way. Without a `Plural-Forms:`
/// header the rule is gettext's default, `nplurals=2; plural=(n != 1);`.
public struct POCatalogue: Sendable {
    /// The `Language:` header, if present and non-empty (e.g. `"pl"`, `"pt_BR"`).
    public let language: String?
    private let pluralRule: POPluralRule
    private let translations: [String: POTranslation]

    public init(parsing text: String, fileName: String = "<memory>") throws(POParseError) {
        var parser = POFileParser(fileName: fileName)
        let file = try parser.parse(text)

        let header = file.header.map(POHeaderFields.init(entry:))
        self.language = header?.language
        if let pluralForms = header?.pluralForms {
            do {
                self.pluralRule = try POPluralRule(headerValue: pluralForms.value)
            } catch {
                throw POParseError(fileName: fileName, line: pluralForms.line, message: error.description)
            }
        } else {
            self.pluralRule = .gettextDefault
        }

        var translations: [String: POTranslation] = [:]
        for entry in file.entries {
            guard let id = entry.id else { continue }
            let key = Self.lookupKey(id, context: entry.context)
            if entry.pluralID != nil {
                // Indices are checked only now because the header that declares
                // nplurals need not come first in the file.
                if entry.pluralTranslations.count > pluralRule.count {
                    let firstExtraLine = entry.pluralTranslations[pluralRule.count].line
                    throw POParseError(
                        fileName: fileName,
                        line: firstExtraLine,
                        message: "msgstr[\(pluralRule.count)] is out of range: \(pluralRule.countDescription)"
                    )
                }
                let forms = entry.pluralTranslations.map(\.text)
                guard !entry.isFuzzy, forms.count == pluralRule.count, !forms.contains(where: \.isEmpty) else {
                    continue
                }
                translations[key] = .plural(forms)
            } else {
                guard !entry.isFuzzy, let translation = entry.translation, !translation.isEmpty else {
                    continue
                }
                translations[key] = .singular(translation)
            }
        }
        self.translations = translations
    }

    /// The number of plural forms (`nplurals`) of the catalogue's language.
    public var pluralCount: Int { pluralRule.count }

    /// The msgids of all translated entries. An entry with a context appears as
    /// `"context\u{4}msgid"`, the key gettext itself uses.
    public var keys: Set<String> { Set(translations.keys) }

    /// The translation of `key`, or `nil` if the catalogue does not translate it.
    /// For a plural entry this is form 0, as with gettext's `pgettext`/`gettext`.
    public func string(_ key: String, context: String? = nil) -> String? {
        switch translations[Self.lookupKey(key, context: context)] {
        case .singular(let translation): translation
        case .plural(let forms): forms.first
        case nil: nil
        }
    }

    /// The translation of the plural entry whose singular msgid is `key`, in the
    /// form the Plural-Forms rule picks for `count`; `nil` if untranslated (the
    /// caller then chooses between its own singular and plural source text).
    /// An entry without `msgid_plural` returns its only translation.
    public func plural(_ key: String, count: Int, context: String? = nil) -> String? {
        switch translations[Self.lookupKey(key, context: context)] {
        case .singular(let translation):
            return translation
        case .plural(let forms):
            let index = pluralForm(for: count)
            return forms.indices.contains(index) ? forms[index] : forms.first
        case nil:
            return nil
        }
    }

    /// The index of the plural form for `n`, always in `0..<pluralCount`.
    ///
    /// A rule that evaluates outside that range (a broken rule, not a broken
    /// count) yields form 0, as GNU gettext does. Negative counts use their
    /// magnitude: the rules are written for gettext's unsigned counts, and
    /// "-1 file" should agree with "1 file".
    public func pluralForm(for n: Int) -> Int {
        pluralRule.form(for: Int(clamping: n.magnitude))
    }

    static func lookupKey(_ id: String, context: String?) -> String {
        guard let context else { return id }
        return "\(context)\u{4}\(id)"
    }
}

/// A problem in a PO file, located by file name and 1-based line number.
/// `description` reads like a compiler diagnostic: `uk.po:42: msgstr without msgid`.
public struct POParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public let fileName: String
    public let line: Int
    public let message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    public var description: String { "\(fileName):\(line): \(message)" }
}

// MARK: - Plural rule

private enum POTranslation: Sendable {
    case singular(String)
    case plural([String])
}

/// `nplurals` plus the `plural=` expression of a `Plural-Forms` header.
private struct POPluralRule: Sendable {
    let count: Int
    /// `nil` for gettext's built-in default, `n != 1`, which needs no parsing.
    let expression: PluralFormsExpression?

    static let gettextDefault = POPluralRule(count: 2, expression: nil)

    private init(count: Int, expression: PluralFormsExpression?) {
        self.count = count
        self.expression = expression
    }

    /// Parses a header value such as `nplurals=3; plural=(n==1 ? 0 : 2);`.
    /// Unknown `name=value` parts are ignored, as gettext does.
    init(headerValue: String) throws(POPluralRuleError) {
        var declaredCount: Int?
        var expressionSource: String?
        for part in headerValue.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else {
                if part.trimmingPOWhitespace().isEmpty { continue }
                throw .header("expected name=value, found '\(part.trimmingPOWhitespace())'")
            }
            let name = part[..<equals].trimmingPOWhitespace()
            let value = part[part.index(after: equals)...].trimmingPOWhitespace()
            switch name {
            case "nplurals":
                guard let count = Int(value), count >= 1 else {
                    throw .header("nplurals must be a positive integer, found '\(value)'")
                }
                declaredCount = count
            case "plural":
                expressionSource = value
            default:
                continue
            }
        }
        guard let declaredCount else { throw .header("missing nplurals=") }
        guard let expressionSource, !expressionSource.isEmpty else { throw .header("missing plural=") }
        do {
            self.expression = try PluralFormsExpression(expressionSource)
        } catch {
            throw .expression(source: expressionSource, error)
        }
        self.count = declaredCount
    }

    var countDescription: String {
        expression == nil ? "nplurals=\(count) (gettext's default; there is no Plural-Forms header)" : "nplurals=\(count)"
    }

    func form(for n: Int) -> Int {
        let index = expression?.evaluate(n) ?? (n == 1 ? 0 : 1)
        return (0..<count).contains(index) ? index : 0
    }
}

private enum POPluralRuleError: Error, CustomStringConvertible {
    case header(String)
    case expression(source: String, PluralFormsSyntaxError)

    var description: String {
        switch self {
        case .header(let problem):
            "bad Plural-Forms header: \(problem)"
        case .expression(let source, let error):
            "bad Plural-Forms expression '\(source)': \(error.message) at column \(error.column)"
        }
    }
}

// MARK: - Header

/// The fields of the header entry that the catalogue uses.
private struct POHeaderFields {
    var language: String?
    var pluralForms: (value: String, line: Int)?

    init(entry: PORawEntry) {
        let text = entry.translation ?? ""
        for field in text.split(separator: "\n") {
            guard let colon = field.firstIndex(of: ":") else { continue }
            let name = field[..<colon].trimmingPOWhitespace().lowercased()
            let value = field[field.index(after: colon)...].trimmingPOWhitespace()
            switch name {
            case "language":
                language = value.isEmpty ? nil : value
            case "plural-forms":
                pluralForms = (value, entry.line(ofTranslationContaining: "plural-forms:"))
            default:
                continue
            }
        }
    }
}

// MARK: - Line-level parsing

/// One entry as written in the file, before deciding whether it is translated.
private struct PORawEntry {
    enum Field {
        case context, id, pluralID, translation, pluralTranslation
    }

    var isFuzzy = false
    var context: String?
    var contextLine = 0
    var id: String?
    var idLine = 0
    var pluralID: String?
    var translation: String?
    /// Each string of a singular msgstr with its line, so header problems can be
    /// reported on the line that holds the offending header field.
    var translationSegments: [(text: String, line: Int)] = []
    var pluralTranslations: [(text: String, line: Int)] = []
    /// The field a following `"..."` continuation line extends.
    var lastField: Field?

    var hasTranslation: Bool { translation != nil || !pluralTranslations.isEmpty }
    var isHeader: Bool { context == nil && id == "" }

    /// Appends a continuation string; `false` if no keyword precedes it.
    mutating func appendContinuation(_ text: String, line: Int) -> Bool {
        switch lastField {
        case .context: context?.append(text)
        case .id: id?.append(text)
        case .pluralID: pluralID?.append(text)
        case .translation:
            translation?.append(text)
            translationSegments.append((text, line))
        case .pluralTranslation:
            guard let last = pluralTranslations.indices.last else { return false }
            pluralTranslations[last].text.append(text)
        case nil:
            return false
        }
        return true
    }

    func line(ofTranslationContaining lowercasedNeedle: String) -> Int {
        let segment = translationSegments.first { $0.text.lowercased().contains(lowercasedNeedle) }
        return segment?.line ?? translationSegments.first?.line ?? idLine
    }
}

private enum POKeyword {
    case context
    case id
    case pluralID
    case translation(index: Int?)

    var spelling: String {
        switch self {
        case .context: "msgctxt"
        case .id: "msgid"
        case .pluralID: "msgid_plural"
        case .translation(nil): "msgstr"
        case .translation(let index?): "msgstr[\(index)]"
        }
    }
}

/// A line-by-line state machine over the PO grammar. An entry ends at the
/// first blank line, comment, `msgctxt` or `msgid` after its `msgstr`, so
/// entries need not be separated by blank lines.
private struct POFileParser {
    let fileName: String
    private var current = PORawEntry()
    private var header: PORawEntry?
    private var entries: [PORawEntry] = []
    /// Line of each msgid seen so far, by lookup key, to report duplicates.
    private var definitionLines: [String: Int] = [:]

    init(fileName: String) {
        self.fileName = fileName
    }

    private func error(_ line: Int, _ message: String) -> POParseError {
        POParseError(fileName: fileName, line: line, message: message)
    }

    mutating func parse(_ text: String) throws(POParseError) -> (header: PORawEntry?, entries: [PORawEntry]) {
        // "\r\n" is a single Character in Swift, so it has to be named explicitly.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, line) in lines.enumerated() {
            var scalars = Array(line.unicodeScalars)[...]
            if offset == 0, scalars.first == "\u{FEFF}" {
                scalars = scalars.dropFirst()
            }
            try parseLine(scalars.trimmingPOWhitespace(), line: offset + 1)
        }
        try finishInput()
        return (header, entries)
    }

    private mutating func parseLine(_ content: ArraySlice<Unicode.Scalar>, line: Int) throws(POParseError) {
        switch content.first {
        case nil:
            // Blank lines separate entries by convention; closing a complete entry
            // here lets a stray msgstr further on be reported as what it is.
            if current.hasTranslation { try finishCurrent() }
        case "#":
            try parseComment(content)
        case "\"":
            let text = try parseQuotedString(content, line: line)
            guard current.appendContinuation(text, line: line) else {
                throw error(line, "string continuation without a keyword before it")
            }
        default:
            let (keyword, text) = try parseKeywordLine(content, line: line)
            try apply(keyword, text: text, line: line)
        }
    }

    /// Comments are ignored except `#,` flags, of which only `fuzzy` matters.
    /// A comment after a msgstr belongs to the next entry, so it closes this one.
    private mutating func parseComment(_ content: ArraySlice<Unicode.Scalar>) throws(POParseError) {
        if current.hasTranslation {
            try finishCurrent()
        }
        guard content.dropFirst().first == "," else { return }
        let flags = String(String.UnicodeScalarView(content.dropFirst(2))).split(separator: ",")
        if flags.contains(where: { $0.trimmingPOWhitespace() == "fuzzy" }) {
            current.isFuzzy = true
        }
    }

    private mutating func apply(_ keyword: POKeyword, text: String, line: Int) throws(POParseError) {
        switch keyword {
        case .context:
            if current.hasTranslation { try finishCurrent() }
            try rejectIncompleteEntry()
            current.context = text
            current.contextLine = line
            current.lastField = .context

        case .id:
            if current.hasTranslation { try finishCurrent() }
            if current.id != nil { throw error(current.idLine, "msgid without msgstr") }
            current.id = text
            current.idLine = line
            current.lastField = .id

        case .pluralID:
            guard current.id != nil else { throw error(line, "msgid_plural without msgid") }
            guard !current.hasTranslation else { throw error(line, "msgid_plural after msgstr") }
            guard current.pluralID == nil else { throw error(line, "duplicate msgid_plural") }
            current.pluralID = text
            current.lastField = .pluralID

        case .translation(nil):
            guard current.id != nil else { throw error(line, "msgstr without msgid") }
            guard current.pluralID == nil else {
                throw error(line, "msgstr without an index in an entry with msgid_plural; expected msgstr[0]")
            }
            guard current.translation == nil else { throw error(line, "duplicate msgstr") }
            current.translation = text
            current.translationSegments = [(text, line)]
            current.lastField = .translation

        case .translation(let index?):
            guard current.id != nil else { throw error(line, "\(keyword.spelling) without msgid") }
            guard current.pluralID != nil else { throw error(line, "\(keyword.spelling) without msgid_plural") }
            let expectedIndex = current.pluralTranslations.count
            guard index == expectedIndex else {
                throw error(line, "expected msgstr[\(expectedIndex)] but found \(keyword.spelling)")
            }
            current.pluralTranslations.append((text, line))
            current.lastField = .pluralTranslation
        }
    }

    /// A new msgctxt may only start an entry that has nothing in it yet.
    private func rejectIncompleteEntry() throws(POParseError) {
        if current.id != nil { throw error(current.idLine, "msgid without msgstr") }
        if current.context != nil { throw error(current.contextLine, "msgctxt without msgid") }
    }

    private mutating func finishInput() throws(POParseError) {
        if current.hasTranslation {
            try finishCurrent()
        } else {
            try rejectIncompleteEntry()
        }
    }

    private mutating func finishCurrent() throws(POParseError) {
        let entry = current
        current = PORawEntry()
        guard let id = entry.id else { return }
        let key = POCatalogue.lookupKey(id, context: entry.context)
        if let firstLine = definitionLines[key] {
            throw error(entry.idLine, "duplicate message definition (first defined at line \(firstLine))")
        }
        definitionLines[key] = entry.idLine
        if entry.isHeader {
            header = entry
        } else {
            entries.append(entry)
        }
    }

    // MARK: Tokens within a line

    /// Parses `keyword "string"` or `msgstr[N] "string"`.
    private func parseKeywordLine(
        _ content: ArraySlice<Unicode.Scalar>, line: Int
    ) throws(POParseError) -> (POKeyword, String) {
        let nameEnd = content.firstIndex { !($0.properties.isAlphabetic || $0 == "_") } ?? content.endIndex
        let name = String(String.UnicodeScalarView(content[..<nameEnd]))
        var rest = content[nameEnd...]

        let keyword: POKeyword
        switch name {
        case "msgctxt": keyword = .context
        case "msgid": keyword = .id
        case "msgid_plural": keyword = .pluralID
        case "msgstr":
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                      let index = Int(String(String.UnicodeScalarView(rest[rest.index(after: rest.startIndex)..<close]))),
                      index >= 0
                else {
                    throw error(line, "malformed plural index; expected msgstr[N] with N a number")
                }
                keyword = .translation(index: index)
                rest = rest[rest.index(after: close)...]
            } else {
                keyword = .translation(index: nil)
            }
        case "":
            let shown = String(String.UnicodeScalarView(content.prefix(20)))
            throw error(line, "expected a keyword, a comment or a string, found '\(shown)'")
        default:
            throw error(line, "unknown keyword '\(name)'")
        }

        rest = rest.trimmingPOWhitespace()
        guard rest.first == "\"" else {
            throw error(line, "expected a quoted string after \(keyword.spelling)")
        }
        return (keyword, try parseQuotedString(rest, line: line))
    }

    /// Decodes a C string literal that makes up the rest of the line.
    private func parseQuotedString(_ content: ArraySlice<Unicode.Scalar>, line: Int) throws(POParseError) -> String {
        var decoded = String.UnicodeScalarView()
        var index = content.index(after: content.startIndex)  // past the opening quote
        while index < content.endIndex {
            let scalar = content[index]
            switch scalar {
            case "\"":
                let trailing = content[content.index(after: index)...].trimmingPOWhitespace()
                guard trailing.isEmpty else {
                    throw error(line, "unexpected text after closing quote")
                }
                return String(decoded)
            case "\\":
                index = content.index(after: index)
                guard index < content.endIndex else { throw error(line, "unterminated string") }
                guard let unescaped = Self.unescape(content[index]) else {
                    throw error(line, "invalid escape sequence '\\\(content[index])'")
                }
                decoded.append(unescaped)
            default:
                decoded.append(scalar)
            }
            index = content.index(after: index)
        }
        throw error(line, "unterminated string")
    }

    /// The single-character C escapes. Octal and hex escapes are rejected:
    /// they denote bytes, which do not fit a file read as Unicode text, and
    /// xgettext never writes them.
    private static func unescape(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "n": "\n"
        case "t": "\t"
        case "r": "\r"
        case "\"": "\""
        case "\\": "\\"
        case "a": "\u{07}"
        case "b": "\u{08}"
        case "f": "\u{0C}"
        case "v": "\u{0B}"
        default: nil
        }
    }
}

// MARK: - Whitespace

private func isPOWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\u{0B}" || scalar == "\u{0C}"
}

extension ArraySlice<Unicode.Scalar> {
    fileprivate func trimmingPOWhitespace() -> ArraySlice<Unicode.Scalar> {
        guard let first = firstIndex(where: { !isPOWhitespace($0) }),
              let last = lastIndex(where: { !isPOWhitespace($0) })
        else { return self[endIndex...] }
        return self[first...last]
    }
}

extension Substring {
    fileprivate func trimmingPOWhitespace() -> String {
        String(String.UnicodeScalarView(Array(unicodeScalars)[...].trimmingPOWhitespace()))
    }
}
