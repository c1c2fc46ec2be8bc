import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Every language has every text; templates use only texts that exist.
@Suite struct LocalisationTests {
    let localiser = try! Localiser.bundled()

    static var templatesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OtwartyWeb/Resources/templates")
    }

    @Test func shipsTheFourLanguages() {
        #expect(localiser.languages.map(\.code) == ["pl", "en", "ru", "uk"])
        #expect(localiser.languages.map(\.name) == ["Polski", "English", "Русский", "Українська"])
    }

    @Test func noKeyIsMissingInAnyLanguage() throws {
        let source = try #require(localiser.catalogues["pl"]).keys
        #expect(source.count > 100)
        for (code, catalogue) in localiser.catalogues {
            let missing = source.subtracting(catalogue.keys)
            let extra = catalogue.keys.subtracting(source)
            #expect(missing.isEmpty, "\(code).po lacks \(missing.sorted())")
            #expect(extra.isEmpty, "\(code).po has keys Polish lacks: \(extra.sorted())")
        }
    }

    @Test func keysNestWithoutClashes() throws {
        // `a.b` and `a.b.c` cannot both exist: templates read texts as nested objects.
        let keys = try #require(localiser.catalogues["pl"]).keys
        for key in keys {
            #expect(!keys.contains { $0.hasPrefix(key + ".") }, "\(key) is both a text and a group")
        }
    }

    @Test func everyTemplateKeyExists() throws {
        let keys = try #require(localiser.catalogues["pl"]).keys
        let files = try FileManager.default.contentsOfDirectory(at: Self.templatesDirectory, includingPropertiesForKeys: nil)
        #expect(files.count >= 10)
        var used: Set<String> = []
        for file in files where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /\{\{page\.t\.([a-zA-Z0-9.\-]+)\}\}/) { used.insert(String(match.1)) }
        }
        #expect(used.count > 60)
        #expect(used.subtracting(keys).isEmpty, "templates use unknown keys: \(used.subtracting(keys).sorted())")
    }

    @Test func keysBuiltInCodeExist() throws {
        let keys = try #require(localiser.catalogues["pl"]).keys
        var needed = Role.allCases.map { "role.\($0.rawValue)" }
        needed += OrganisationKind.allCases.map { "organisation.kind.\($0.rawValue)" }
        needed += RiskLevel.allCases.map { "risk.level.\($0.rawValue)" }
        needed += RiskResponse.allCases.map { "risk.response.\($0.rawValue)" }
        needed += ResultIndicator.Comparison.allCases.map { "results.comparison.\($0.rawValue)" }
        needed += ResultIndicator.Unit.allCases.map { "unit.\($0.rawValue)" }
        // Kinds (issue 13 added conference, seminar, debate): the form, the queue and CSV labels read these.
        needed += ActivityKind.allCases.map { "activity.kind.\($0.rawValue)" }
        for kind in ["not-found", "forbidden", "unauthorized", "conflict", "invalid", "throttled", "csrf", "internal"] {
            needed += ["error.\(kind).title", "error.\(kind).message"]
        }
        needed += ["error.password.too-short", "error.password.too-long", "error.password.common", "error.password.context",
                   "error.password.mismatch", "error.email.invalid", "error.name.invalid", "error.organisation.required"]
        #expect(Set(needed).subtracting(keys).isEmpty, "\(Set(needed).subtracting(keys).sorted())")
    }

    @Test func pluralFormsFollowEachLanguage() {
        #expect(localiser.plural("programme.task-count", count: 1, "pl") == "1 zadanie")
        #expect(localiser.plural("programme.task-count", count: 3, "pl") == "3 zadania")
        #expect(localiser.plural("programme.task-count", count: 5, "pl") == "5 zadań")
        #expect(localiser.plural("programme.task-count", count: 22, "pl") == "22 zadania")
        #expect(localiser.plural("programme.task-count", count: 1, "en") == "1 task")
        #expect(localiser.plural("programme.task-count", count: 21, "uk") == "21 завдання")
        #expect(localiser.plural("programme.task-count", count: 5, "uk") == "5 завдань")
        #expect(localiser.plural("programme.task-count", count: 2, "ru") == "2 задачи")
        #expect(localiser.plural("programme.task-count", count: 11, "ru") == "11 задач")
    }

    @Test func acceptLanguageNegotiation() {
        #expect(localiser.negotiate(acceptLanguage: nil) == "pl")
        #expect(localiser.negotiate(acceptLanguage: "uk") == "uk")
        #expect(localiser.negotiate(acceptLanguage: "ru-RU,ru;q=0.9") == "ru")
        #expect(localiser.negotiate(acceptLanguage: "fr, en;q=0.1") == "en")
        #expect(localiser.negotiate(acceptLanguage: "en;q=0, de") == "pl")
        #expect(localiser.negotiate(acceptLanguage: "garbage;;;,") == "pl")
    }

    @Test func addingALanguageIsAddingOneFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-locales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundled = try #require(Bundle.module.url(forResource: "Resources/locales", withExtension: nil) ?? Self.localesDirectory)
        for file in try FileManager.default.contentsOfDirectory(at: bundled, includingPropertiesForKeys: nil) {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        try """
            msgid ""
            msgstr ""
            "Language: cs\\n"
            "Plural-Forms: nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;\\n"

            msgid "language.name"
            msgstr "Čeština"

            msgid "programme.task-count"
            msgid_plural "programme.task-count"
            msgstr[0] "%d úkol"
            msgstr[1] "%d úkoly"
            msgstr[2] "%d úkolů"
            """.write(to: folder.appendingPathComponent("cs.po"), atomically: true, encoding: .utf8)
        let extended = try Localiser.load(directory: folder)
        #expect(extended.supports("cs"))
        #expect(extended.languages.map(\.name).contains("Čeština"))
        #expect(extended.plural("programme.task-count", count: 3, "cs") == "3 úkoly")
        // Untranslated texts fall back to Polish rather than showing keys.
        #expect(extended.text("nav.login", "cs") == "Zaloguj się")
    }

    static var localesDirectory: URL {
        templatesDirectory.deletingLastPathComponent().appendingPathComponent("locales")
    }
}

extension LocalisationTests {
    /// Several people add texts at the end of the catalogues; a second `msgid` with the same key
    /// would silently replace the first.
    @Test func noCatalogueDefinesATextTwice() throws {
        let directory = Self.templatesDirectory.deletingLastPathComponent().appendingPathComponent("locales")
        for code in ["pl", "en", "uk", "ru"] {
            let text = try String(contentsOf: directory.appendingPathComponent("\(code).po"), encoding: .utf8)
            var seen = Set<String>()
            for line in text.split(separator: "\n") where line.hasPrefix("msgid \"") {
                let key = String(line)
                #expect(seen.insert(key).inserted, "\(code).po defines \(key) twice")
            }
        }
    }
}
