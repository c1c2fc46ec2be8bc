import Foundation
import Yams

/// Short unofficial titles of a programme's elements in languages other than the programme's own
/// (Kraków's: English, Ukrainian and Russian), written by whoever runs the instance so that a
/// reader who does not read Polish knows what a goal, task, measure or result indicator is about.
/// They live in their own file beside the programme file (`Resources/glosses/<slug>.yaml`,
/// docs/programme-format.md "Glosses"), never inside it: the programme file is the transcription
/// of the act and its stored digest must not move when a gloss is reworded. Pages show a gloss
/// beside the original title, never instead of it, with the file's `notice` saying which text binds.
/// A programme without a glosses file has `ProgrammeGlosses.none`, and its pages show the original
/// text only.
public struct ProgrammeGlosses: Hashable, Sendable {
    /// A programme element a gloss belongs to.
    public enum Element: Hashable, Sendable, CustomStringConvertible {
        case mainGoal
        case goal(Int)
        /// A task by its code, `4.2`.
        case task(String)
        /// A measure by its code, `4.2.b`.
        case measure(String)
        /// A row of the results declaration by its position (1 = first row).
        case result(Int)

        public var description: String {
            switch self {
            case .mainGoal: return "mainGoal"
            case .goal(let number): return "goals.\(number)"
            case .task(let code): return "tasks.\(code)"
            case .measure(let code): return "measures.\(code)"
            case .result(let row): return "results.\(row)"
            }
        }
    }

    public var programmeSlug: String
    /// The languages the file promises a gloss in for every element.
    public var languages: [String]
    /// Per language: the sentence shown once per page with glosses, saying they are unofficial
    /// and which text binds.
    public var notices: [String: String]
    /// Per language (the programme's own included): a few sentences about the programme for the
    /// home page, in the instance's own words.
    public var summaries: [String: String]
    var texts: [Element: [String: String]]
    /// The goal each results row belongs to, as the file says, to catch a reordered declaration.
    public var resultGoals: [Int: Int]
    /// Translations of the methodology texts (`Methodology`) of measures and result rows: per
    /// element, per part, per language. The programme file holds the original.
    var methodTexts: [Element: [MethodPart: [String: String]]]
    /// The goal each `methods.results` row belongs to, as the file says.
    var methodResultGoals: [Int: Int]

    /// The translated parts of a methodology; unit and sources are named by the catalogues.
    public enum MethodPart: String, Hashable, Sendable, CaseIterable {
        case definition, limits
    }

    public static let none = ProgrammeGlosses(programmeSlug: "", languages: [], notices: [:], summaries: [:], texts: [:],
                                              resultGoals: [:])

    public init(programmeSlug: String, languages: [String], notices: [String: String], summaries: [String: String],
                texts: [Element: [String: String]], resultGoals: [Int: Int],
                methodTexts: [Element: [MethodPart: [String: String]]] = [:], methodResultGoals: [Int: Int] = [:]) {
        self.methodTexts = methodTexts
        self.methodResultGoals = methodResultGoals
        self.programmeSlug = programmeSlug
        self.languages = languages
        self.notices = notices
        self.summaries = summaries
        self.texts = texts
        self.resultGoals = resultGoals
    }

    /// The gloss of `element` in `language`, or nil when there is none.
    public func text(_ element: Element, _ language: String) -> String? {
        texts[element]?[language].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func notice(_ language: String) -> String? { notices[language] }

    /// The translation of `part` of the methodology of `element` (a measure or result row) in
    /// `language`, or nil. `Programme.methodology(of:language:glosses:)` is what pages use.
    public func methodText(_ element: Element, _ part: MethodPart, _ language: String) -> String? {
        methodTexts[element]?[part]?[language].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether pages in `language` get glosses at all (never for the programme's own language).
    public func covers(_ language: String) -> Bool { languages.contains(language) }

    /// Every element of `programme` without a gloss in one of the file's languages, and every row
    /// whose goal differs from the declaration's: "tasks.4.2 uk", "results.2 goal 3 ≠ 2". Empty
    /// when the file is complete.
    public func missing(in programme: Programme) -> [String] {
        var elements: [Element] = [.mainGoal]
        for goal in programme.goals {
            elements.append(.goal(goal.number))
            for task in goal.tasks {
                elements.append(.task(task.code))
                elements += task.measures.map { .measure($0.code) }
            }
        }
        elements += programme.results.indices.map { .result($0 + 1) }
        var missing: [String] = []
        for element in elements {
            for language in languages where text(element, language) == nil { missing.append("\(element) \(language)") }
        }
        for (index, result) in programme.results.enumerated() where resultGoals[index + 1] != result.goal {
            missing.append("results.\(index + 1) goal \(resultGoals[index + 1].map(String.init) ?? "—") ≠ \(result.goal)")
        }
        for language in languages where notices[language] == nil { missing.append("notice \(language)") }
        // Every methodology the programme file gives is translated into every language.
        var methodElements: [Element] = programme.tasks.flatMap(\.measures).filter { $0.method != nil }.map { .measure($0.code) }
        methodElements += programme.results.indices.filter { programme.results[$0].method != nil }.map { .result($0 + 1) }
        for element in methodElements {
            for part in MethodPart.allCases {
                for language in languages where methodText(element, part, language) == nil {
                    missing.append("methods.\(element) \(part.rawValue) \(language)")
                }
            }
        }
        for (index, result) in programme.results.enumerated()
        where result.method != nil && methodResultGoals[index + 1] != result.goal {
            missing.append("methods.results.\(index + 1) goal \(methodResultGoals[index + 1].map(String.init) ?? "—") ≠ \(result.goal)")
        }
        return missing
    }
}

extension ProgrammeGlosses {
    /// Reads a glosses file (format in docs/programme-format.md). A malformed file is an error
    /// naming the path of the first problem.
    public static func parse(_ text: String) throws -> ProgrammeGlosses {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw GlossesFileError(path: "", problem: "not a mapping") }
        func strings(_ value: Any?, _ path: String) throws -> [String: String] {
            guard let value else { return [:] }
            guard let map = value as? [String: Any] else { throw GlossesFileError(path: path, problem: "expected language: text") }
            var out: [String: String] = [:]
            for (key, text) in map {
                guard let text = text as? String else { throw GlossesFileError(path: "\(path).\(key)", problem: "expected text") }
                out[key] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return out
        }
        guard let slug = root["programme"] as? String else { throw GlossesFileError(path: "programme", problem: "give the programme's slug") }
        guard let languages = root["languages"] as? [String], !languages.isEmpty else {
            throw GlossesFileError(path: "languages", problem: "give the languages, e.g. [en, uk]")
        }
        var texts: [Element: [String: String]] = [:]
        texts[.mainGoal] = try strings(root["mainGoal"], "mainGoal")
        for (section, make) in [("goals", { (key: String) in Int(key).map(Element.goal) }),
                                ("tasks", { (key: String) in Element.task(key) }),
                                ("measures", { (key: String) in Element.measure(key) })] as [(String, (String) -> Element?)] {
            guard let map = root[section] else { continue }
            guard let entries = map as? [AnyHashable: Any] else { throw GlossesFileError(path: section, problem: "expected code: {language: text}") }
            for (key, value) in entries {
                let code = "\(key)"
                guard let element = make(code) else { throw GlossesFileError(path: "\(section).\(code)", problem: "not a code") }
                texts[element] = try strings(value, "\(section).\(code)")
            }
        }
        var resultGoals: [Int: Int] = [:]
        if let rows = root["results"] {
            guard let rows = rows as? [[String: Any]] else { throw GlossesFileError(path: "results", problem: "expected a list of rows") }
            for (index, row) in rows.enumerated() {
                guard let goal = row["goal"] as? Int else { throw GlossesFileError(path: "results[\(index)].goal", problem: "give the row's goal") }
                resultGoals[index + 1] = goal
                texts[.result(index + 1)] = try strings(row.filter { $0.key != "goal" }, "results[\(index)]")
            }
        }
        var methodTexts: [Element: [MethodPart: [String: String]]] = [:]
        var methodResultGoals: [Int: Int] = [:]
        if let methods = root["methods"] {
            guard let methods = methods as? [String: Any] else { throw GlossesFileError(path: "methods", problem: "expected measures: and results:") }
            for key in methods.keys where !["measures", "results"].contains(key) {
                throw GlossesFileError(path: "methods.\(key)", problem: "not a known key (expected measures or results)")
            }
            func parts(_ value: Any?, _ path: String, extra: Set<String> = []) throws -> [MethodPart: [String: String]] {
                guard let map = value as? [String: Any] else { throw GlossesFileError(path: path, problem: "expected definition: and limits:") }
                var out: [MethodPart: [String: String]] = [:]
                for (key, text) in map where !extra.contains(key) {
                    guard let part = MethodPart(rawValue: key) else {
                        throw GlossesFileError(path: "\(path).\(key)", problem: "not a known key (expected definition or limits)")
                    }
                    out[part] = try strings(text, "\(path).\(key)")
                }
                return out
            }
            if let measures = methods["measures"] {
                guard let entries = measures as? [AnyHashable: Any] else {
                    throw GlossesFileError(path: "methods.measures", problem: "expected code: {definition:, limits:}")
                }
                for (key, value) in entries { methodTexts[.measure("\(key)")] = try parts(value, "methods.measures.\(key)") }
            }
            if let rows = methods["results"] {
                guard let rows = rows as? [[String: Any]] else { throw GlossesFileError(path: "methods.results", problem: "expected a list of rows") }
                for (index, row) in rows.enumerated() {
                    guard let goal = row["goal"] as? Int else {
                        throw GlossesFileError(path: "methods.results[\(index)].goal", problem: "give the row's goal")
                    }
                    methodResultGoals[index + 1] = goal
                    methodTexts[.result(index + 1)] = try parts(row, "methods.results[\(index)]", extra: ["goal"])
                }
            }
        }
        return ProgrammeGlosses(programmeSlug: slug, languages: languages, notices: try strings(root["notice"], "notice"),
                                summaries: try strings(root["summary"], "summary"), texts: texts, resultGoals: resultGoals,
                                methodTexts: methodTexts, methodResultGoals: methodResultGoals)
    }

    /// The glosses shipped for the programme `slug` (`Resources/glosses/<slug>.yaml`), or `none`.
    /// Parsed once per process: the files cannot change while it runs. A file that does not parse
    /// counts as none here; `GlossesTests` parses every shipped file and fails on it.
    public static func bundled(slug: String) -> ProgrammeGlosses { allBundled[slug] ?? .none }

    /// Every shipped file by the slug it names (a static is initialised once, thread-safely).
    private static let allBundled: [String: ProgrammeGlosses] = {
        guard let directory = Bundle.module.url(forResource: "Resources/glosses", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var found: [String: ProgrammeGlosses] = [:]
        for name in names where name.hasSuffix(".yaml") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                  let glosses = try? parse(text), name == "\(glosses.programmeSlug).yaml" else { continue }
            found[glosses.programmeSlug] = glosses
        }
        return found
    }()

    /// The text of a shipped glosses file, for tests and tools.
    public static func bundledFileText(slug: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources/glosses/\(slug)", withExtension: "yaml") else {
            throw MissingResource(name: "glosses/\(slug).yaml")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

public struct GlossesFileError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "glosses file, \(path.isEmpty ? "top level" : path): \(problem)" }
}
