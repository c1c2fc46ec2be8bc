import Foundation
import OtwartyCore

/// The interface languages, one gettext catalogue per language in Resources/locales/<code>.po.
/// Adding a language is adding one file: its code comes from the file name, its name from the
/// `language.name` entry, its plural rules from the catalogue's Plural-Forms header.
public struct Localiser: Sendable {
    public struct Language: Sendable, Hashable {
        public var code: String
        /// The language's own name for itself, e.g. „Українська”.
        public var name: String
    }

    /// Polish is the source language and the fallback for everything.
    public static let defaultLanguage = "pl"

    public let catalogues: [String: POCatalogue]
    /// Polish first, then alphabetical by code: the order of the language switch.
    public let languages: [Language]
    private let templateStrings: [String: [String: Any & Sendable]]

    public init(catalogues: [String: POCatalogue]) {
        self.catalogues = catalogues
        let codes = catalogues.keys.sorted { a, b in
            a == Self.defaultLanguage ? true : b == Self.defaultLanguage ? false : a < b
        }
        languages = codes.map { Language(code: $0, name: catalogues[$0]?.string("language.name") ?? $0) }
        var strings: [String: [String: Any & Sendable]] = [:]
        for (code, catalogue) in catalogues {
            strings[code] = Self.nest(catalogue.keys.compactMap { key in catalogue.string(key).map { (key, $0) } })
        }
        templateStrings = strings
    }

    /// Every `.po` file bundled with the Web module.
    public static func bundled() throws -> Localiser { try bundledCatalogues.get() }

    /// The bundled files cannot change while the process runs, so they are parsed once (the tests
    /// build an application per test).
    private static let bundledCatalogues = Result<Localiser, any Error> {
        guard let directory = Bundle.module.url(forResource: "Resources/locales", withExtension: nil) else {
            throw MissingResource(name: "locales")
        }
        return try load(directory: directory)
    }

    public static func load(directory: URL) throws -> Localiser {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "po" }
        var catalogues: [String: POCatalogue] = [:]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            catalogues[file.deletingPathExtension().lastPathComponent] =
                try POCatalogue(parsing: text, fileName: file.lastPathComponent)
        }
        guard catalogues[defaultLanguage] != nil else { throw MissingResource(name: "locales/\(defaultLanguage).po") }
        return Localiser(catalogues: catalogues)
    }

    public func supports(_ code: String) -> Bool { catalogues[code] != nil }

    /// The best supported language for an `Accept-Language` header, else Polish.
    public func negotiate(acceptLanguage: String?) -> String {
        guard let header = acceptLanguage else { return Self.defaultLanguage }
        let ranked = header.split(separator: ",").compactMap { item -> (String, Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            // RFC 9110: q is 0…1; anything else (NaN, 1e999, -5) counts as 0, so the sort's order stays total.
            for p in parts.dropFirst() where p.hasPrefix("q=") {
                quality = Double(p.dropFirst(2)).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0
            }
            return (tag.lowercased(), quality)
        }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        for (tag, _) in ranked {
            let primary = String(tag.split(separator: "-").first ?? "")
            if supports(primary) { return primary }
        }
        return Self.defaultLanguage
    }

    /// The text for `key`, falling back to Polish, then to the key itself (which a test forbids).
    public func text(_ key: String, _ language: String) -> String {
        catalogues[language]?.string(key) ?? catalogues[Self.defaultLanguage]?.string(key) ?? key
    }

    /// A plural text with `%d` replaced by the count, chosen by the language's plural rule.
    public func plural(_ key: String, count: Int, _ language: String) -> String {
        let form = catalogues[language]?.plural(key, count: count)
            ?? catalogues[Self.defaultLanguage]?.plural(key, count: count) ?? key
        return form.replacingOccurrences(of: "%d", with: String(count))
    }

    /// All texts of a language as nested dictionaries, so templates write `{{t.nav.programme}}`.
    public func strings(_ language: String) -> [String: Any & Sendable] {
        templateStrings[language] ?? templateStrings[Self.defaultLanguage] ?? [:]
    }

    static func nest(_ pairs: [(String, String)]) -> [String: Any & Sendable] {
        var root: [String: Any & Sendable] = [:]
        for (key, value) in pairs {
            insert(value, at: key.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into node: inout [String: Any & Sendable]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            node[head] = value
        } else {
            var child = node[head] as? [String: Any & Sendable] ?? [:]
            insert(value, at: path.dropFirst(), into: &child)
            node[head] = child
        }
    }
}

extension Localiser {
    /// Why a value is missing, in the reader's language (the English `reason` is for logs and the API).
    func reason(_ reason: NotComputableReason?, fallback: String?, _ language: String) -> String? {
        guard let reason else { return fallback }
        switch reason {
        case .noRule:
            return text("reason.no-rule", language)
        case let .missingReference(key, year):
            return text("reason.missing-reference", language).replacingOccurrences(of: "{statistic}", with: statisticName(key, language))
                .replacingOccurrences(of: "{year}", with: String(year))
        case let .unusableReference(key, year, _):
            return text("reason.unusable-reference", language).replacingOccurrences(of: "{statistic}", with: statisticName(key, language))
                .replacingOccurrences(of: "{year}", with: String(year))
        }
    }

    /// A reference statistic as a reader knows it ("the number of foreign residents of Kraków"),
    /// never its key (`foreign-residents` is the programme file's name for it). A key the
    /// catalogues do not name (another city's programme) reads as "the reference figure".
    func statisticName(_ key: String, _ language: String) -> String {
        let name = "reference-statistic.\(key)"
        let known = catalogues[language]?.string(name) ?? catalogues[Self.defaultLanguage]?.string(name)
        return known ?? text("reference-statistic.unnamed", language)
    }
}
