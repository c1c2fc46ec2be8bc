import Yams

/// Reads a programme file (YAML or JSON, format 1; see docs/programme-format.md) into a `Programme`,
/// validating everything first and reporting every problem with its path.
public enum ProgrammeFileParser {
    public static let supportedFormat = 1

    public static func parse(_ text: String) throws(ProgrammeFileError) -> Programme {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ProgrammeFileError(issues: [.init(path: "", message: "the file is empty")])
            }
            root = node
        } catch let error as ProgrammeFileError {
            throw error
        } catch let error as YamlError {
            throw ProgrammeFileError(issues: [.init(path: "", message: "not valid YAML or JSON: \(describe(error))")])
        } catch {
            throw ProgrammeFileError(issues: [.init(path: "", message: "not valid YAML or JSON: \(error)")])
        }
        var reader = ProgrammeNodeReader()
        let programme = reader.programme(root)
        if let programme, reader.issues.isEmpty { return programme }
        throw ProgrammeFileError(issues: reader.issues.isEmpty
            ? [.init(path: "", message: "the file could not be read")] : reader.issues)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: error)
        }
    }
}

/// Walks the YAML node tree, collecting issues instead of stopping at the first one.
/// Internal (not private) only so that rule reading can live in its own file.
struct ProgrammeNodeReader {
    var issues: [ProgrammeFileError.Issue] = []
    /// Measure codes seen so far: activity records refer to measures by code across the programme.
    var measureCodes: Set<String> = []
    /// Codes of every task the file declares, also those rejected for another reason, so that a
    /// rule naming a broken task is not reported a second time as naming a missing one.
    var declaredTaskCodes: Set<String> = []
    /// Tasks named by rules; checked once every goal is read, since a rule may name a later task.
    var ruleTaskReferences: [RuleTaskReference] = []

    mutating func fail(_ path: String, _ message: String, _ node: Node?) {
        issues.append(.init(path: path, message: message, line: node?.mark?.line))
    }

    // MARK: Shapes

    /// The mapping's entries, after reporting keys the format does not know (usually typos).
    mutating func mapping(_ node: Node?, _ path: String, keys allowed: Set<String>) -> [String: Node]? {
        guard let node else { fail(path, "is required", nil); return nil }
        guard case let .mapping(mapping) = node else {
            fail(path, "must be a mapping (key: value), found \(kind(node))", node)
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            if !allowed.contains(name) {
                fail(join(path, name), "is not a known key (expected one of: \(allowed.sorted().joined(separator: ", ")))", key)
            } else {
                result[name] = value
            }
        }
        return result
    }

    mutating func sequence(_ node: Node?, _ path: String, required: Bool = true) -> [Node]? {
        guard let node, !isNull(node) else {
            if required { fail(path, "is required", node) }
            return required ? nil : []
        }
        guard case let .sequence(sequence) = node else {
            fail(path, "must be a list, found \(kind(node))", node)
            return nil
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node?, _ path: String, required: Bool = true) -> String? {
        guard let node, !isNull(node) else {
            if required { fail(path, "is required", node) }
            return nil
        }
        guard let scalar = node.scalar else {
            fail(path, "must be text, found \(kind(node))", node)
            return nil
        }
        let text = scalar.string.trimmingWhitespace()
        if text.isEmpty {
            fail(path, "must not be empty", node)
            return nil
        }
        return text
    }

    mutating func strings(_ node: Node?, _ path: String, required: Bool = true) -> [String]? {
        guard let items = sequence(node, path, required: required) else { return nil }
        var result: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let s = string(item, "\(path)[\(i)]") { result.append(s) } else { ok = false }
        }
        return ok ? result : nil
    }

    mutating func int(_ node: Node?, _ path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let node, !isNull(node) else { fail(path, "is required", node); return nil }
        guard let text = node.scalar?.string, let value = Int(text.trimmingWhitespace()) else {
            fail(path, "\(quoted(node)) is not a whole number", node)
            return nil
        }
        if let range, !range.contains(value) {
            fail(path, "\(value) is outside \(range.lowerBound)–\(range.upperBound)", node)
            return nil
        }
        return value
    }

    mutating func number(_ node: Node?, _ path: String) -> Double? {
        guard let node, !isNull(node) else { fail(path, "is required", node); return nil }
        guard let text = node.scalar?.string, let value = Double(text.trimmingWhitespace()), value.isFinite else {
            fail(path, "\(quoted(node)) is not a number (use a dot for decimals, e.g. 4.2)", node)
            return nil
        }
        return value
    }

    /// A date, or nil with no issue when `nullable` and the value is null.
    mutating func date(_ node: Node?, _ path: String, nullable: Bool) -> (ok: Bool, value: CalendarDate?) {
        guard let node, !isNull(node) else {
            if nullable { return (true, nil) }
            fail(path, "is required", node)
            return (false, nil)
        }
        guard let text = node.scalar?.string.trimmingWhitespace(), let date = CalendarDate(iso: text) else {
            fail(path, "\(quoted(node)) is not a date (YYYY-MM-DD)", node)
            return (false, nil)
        }
        return (true, date)
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ node: Node?, _ path: String, _: E.Type) -> E?
    where E.RawValue == String {
        guard let text = string(node, path) else { return nil }
        guard let value = E(rawValue: text) else {
            fail(path, "\"\(text)\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))", node)
            return nil
        }
        return value
    }

    // MARK: The programme

    mutating func programme(_ root: Node) -> Programme? {
        let keys: Set = ["format", "slug", "title", "resolution", "adopted", "replaces", "period", "reportDue",
                         "language", "mainGoal", "goals", "results", "riskScale", "risks", "financingSources",
                         "partnerAreas", "cooperationBodies"]
        guard let m = mapping(root, "", keys: keys) else { return nil }
        if let format = int(m["format"], "format"), format != ProgrammeFileParser.supportedFormat {
            fail("format", "\(format) is not supported (this version reads format \(ProgrammeFileParser.supportedFormat))", m["format"])
        }
        let slug = string(m["slug"], "slug")
        if let slug, !slug.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) || slug.count > 80 {
            fail("slug", "\"\(slug)\" must be lowercase letters, digits and hyphens (at most 80)", m["slug"])
        }
        let title = string(m["title"], "title")
        let resolution = string(m["resolution"], "resolution")
        let adopted = date(m["adopted"], "adopted", nullable: false).value
        let replaces = string(m["replaces"], "replaces", required: false)
        let period = self.period(m["period"])
        let reportDue = self.reportDue(m["reportDue"])
        let language = string(m["language"], "language")
        let mainGoal = string(m["mainGoal"], "mainGoal")
        let goals = self.goals(m["goals"])
        let scale = riskScale(m["riskScale"])
        let goalNumbers = Set(goals?.map(\.number) ?? [])
        let results = self.results(m["results"], goals: goalNumbers, period: period)
        let risks = self.risks(m["risks"], goals: goalNumbers, scale: scale)
        let financing = strings(m["financingSources"], "financingSources", required: false)
        let areas = partnerAreas(m["partnerAreas"])
        let bodies = strings(m["cooperationBodies"], "cooperationBodies", required: false)
        if goals != nil { checkRuleTaskReferences() }

        guard issues.isEmpty, let slug, let title, let resolution, let adopted, let period, let reportDue,
              let language, let mainGoal, let goals, let scale, let results, let risks, let financing,
              let areas, let bodies
        else { return nil }
        return Programme(slug: slug, title: title, resolution: resolution, adopted: adopted, replaces: replaces,
                         period: period, reportDue: reportDue, language: language, mainGoal: mainGoal,
                         goals: goals, results: results, riskScale: scale, risks: risks,
                         financingSources: financing, partnerAreas: areas, cooperationBodies: bodies)
    }

    mutating func period(_ node: Node?) -> Period? {
        guard let m = mapping(node, "period", keys: ["from", "to"]) else { return nil }
        guard let from = int(m["from"], "period.from", in: 1900...2200),
              let to = int(m["to"], "period.to", in: 1900...2200) else { return nil }
        guard from <= to else { fail("period", "from (\(from)) is after to (\(to))", node); return nil }
        return Period(from: from, to: to)
    }

    mutating func reportDue(_ node: Node?) -> ReportDue? {
        guard let m = mapping(node, "reportDue", keys: ["month", "day"]) else { return nil }
        guard let month = int(m["month"], "reportDue.month", in: 1...12),
              let day = int(m["day"], "reportDue.day", in: 1...31) else { return nil }
        guard day <= CalendarDate.daysIn(month: month, year: 2023) else {
            fail("reportDue", "month \(month) has no day \(day)", node)
            return nil
        }
        return ReportDue(month: month, day: day)
    }

    mutating func goals(_ node: Node?) -> [Goal]? {
        guard let items = sequence(node, "goals") else { return nil }
        if items.isEmpty { fail("goals", "must list at least one goal", node) }
        var goals: [Goal] = []
        for (i, item) in items.enumerated() {
            let path = "goals[\(i)]"
            guard let m = mapping(item, path, keys: ["number", "title", "outcomes", "tasks"]) else { continue }
            let number = int(m["number"], "\(path).number", in: 1...99)
            if let number, number != i + 1 {
                fail("\(path).number", "is \(number) but goals must be numbered 1, 2, 3… in order (expected \(i + 1))", m["number"])
            }
            let title = string(m["title"], "\(path).title")
            let outcomes = strings(m["outcomes"], "\(path).outcomes", required: false)
            let tasks = self.tasks(m["tasks"], path: "\(path).tasks", goal: number ?? i + 1)
            if let number, let title, let outcomes, let tasks {
                goals.append(Goal(number: number, title: title, outcomes: outcomes, tasks: tasks))
            }
        }
        return goals
    }

    mutating func tasks(_ node: Node?, path: String, goal: Int) -> [ProgrammeTask]? {
        guard let items = sequence(node, path) else { return nil }
        if items.isEmpty { fail(path, "must list at least one task", node) }
        var tasks: [ProgrammeTask] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            let keys: Set = ["number", "title", "measures", "deadline", "products", "implementers", "partners"]
            guard let m = mapping(item, p, keys: keys) else { continue }
            let number = int(m["number"], "\(p).number", in: 1...99)
            if let number { declaredTaskCodes.insert("\(goal).\(number)") }
            if let number, number != i + 1 {
                fail("\(p).number", "is \(number) but tasks must be numbered 1, 2, 3… in order (expected \(i + 1))", m["number"])
            }
            let title = string(m["title"], "\(p).title")
            let measures = self.measures(m["measures"], path: "\(p).measures", goal: goal, task: number ?? i + 1)
            for measure in measures ?? [] where !measureCodes.insert(measure.code).inserted {
                fail("\(p).measures", "measure code \(measure.code) is used twice", m["measures"])
            }
            // The key must be present: an explicit null says "continuous", a missing key is an omission.
            if m["deadline"] == nil { fail("\(p).deadline", "is required (null for a continuous task)", item) }
            let deadline = date(m["deadline"], "\(p).deadline", nullable: true)
            let products = strings(m["products"], "\(p).products", required: false)
            let implementers = strings(m["implementers"], "\(p).implementers")
            let partners = strings(m["partners"], "\(p).partners", required: false)
            if let number, let title, let measures, deadline.ok, let products, let implementers, let partners {
                tasks.append(ProgrammeTask(goal: goal, number: number, title: title, measures: measures,
                                           deadline: deadline.value, products: products,
                                           implementers: implementers, partners: partners))
            }
        }
        return tasks
    }

    mutating func measures(_ node: Node?, path: String, goal: Int, task: Int) -> [Measure]? {
        guard let items = sequence(node, path) else { return nil }
        if items.isEmpty { fail(path, "must list at least one measure", node) }
        var measures: [Measure] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard let m = mapping(item, p, keys: ["code", "name", "rule", "source", "method"]) else { continue }
            let name = string(m["name"], "\(p).name")
            let code = string(m["code"], "\(p).code", required: false)
                ?? Measure.defaultCode(goal: goal, task: task, index: i)
            let rule = measureRule(m["rule"], "\(p).rule", ownTask: "\(goal).\(task)")
            let source = measureSource(m["source"], "\(p).source")
            if rule.value != nil, source.value != nil {
                fail("\(p).source", "a measure has a rule or a source, not both", m["source"])
                continue
            }
            let method = methodology(m["method"], "\(p).method")
            if let name, rule.ok, source.ok, method.ok {
                measures.append(Measure(code: code, name: name, rule: rule.value, source: source.value,
                                        method: method.value))
            }
        }
        return measures
    }

    mutating func results(_ node: Node?, goals: Set<Int>, period: Period?) -> [ResultIndicator]? {
        guard let items = sequence(node, "results", required: false) else { return nil }
        var results: [ResultIndicator] = []
        for (i, item) in items.enumerated() {
            let p = "results[\(i)]"
            let keys: Set = ["goal", "indicator", "weight", "unit", "baseline", "target", "rule", "method"]
            guard let m = mapping(item, p, keys: keys) else { continue }
            let goal = goalReference(m["goal"], "\(p).goal", goals: goals)
            let indicator = string(m["indicator"], "\(p).indicator")
            var weight = number(m["weight"], "\(p).weight")
            if let w = weight, !(w > 0 && w <= 1) {
                fail("\(p).weight", "\(w) must be greater than 0 and at most 1", m["weight"])
                weight = nil
            }
            let unit = choice(m["unit"], "\(p).unit", ResultIndicator.Unit.self)
            var baseline: ResultIndicator.Baseline?
            if let b = mapping(m["baseline"], "\(p).baseline", keys: ["value", "year"]) {
                if let value = number(b["value"], "\(p).baseline.value"),
                   let year = int(b["year"], "\(p).baseline.year", in: 1900...2200) {
                    baseline = .init(value: value, year: year)
                }
            }
            var target: ResultIndicator.Target?
            if let t = mapping(m["target"], "\(p).target", keys: ["value", "comparison", "text"]) {
                var value = number(t["value"], "\(p).target.value")
                // Achievement divides by the target; a negative one has no meaning for counts or shares.
                if let v = value, v < 0 {
                    fail("\(p).target.value", "\(v.plainText) must not be negative", t["value"])
                    value = nil
                }
                let comparison = choice(t["comparison"], "\(p).target.comparison", ResultIndicator.Comparison.self)
                let text = string(t["text"], "\(p).target.text", required: false)
                if let value, let comparison { target = .init(value: value, comparison: comparison, text: text) }
            }
            let rule = indicatorRule(m["rule"], "\(p).rule")
            if unit == .percent, let r = rule.value, r.denominator == nil {
                fail("\(p).rule.denominator",
                     "is required when unit is percent (a share divides by a reference statistic, e.g. foreign-residents)",
                     m["rule"])
            }
            let method = methodology(m["method"], "\(p).method")
            if let goal, let indicator, let weight, let unit, let baseline, let target, rule.ok, method.ok {
                results.append(ResultIndicator(goal: goal, indicator: indicator, weight: weight, unit: unit,
                                               baseline: baseline, target: target, rule: rule.value,
                                               method: method.value))
            }
        }
        let total = results.map(\.weight).reduce(0, +)
        if results.count == items.count, !results.isEmpty, abs(total - 1) > 0.0001 {
            fail("results", "the weights add up to \(total), not 1", node)
        }
        return results
    }

    mutating func riskScale(_ node: Node?) -> RiskScale? {
        guard let node, !isNull(node) else { return RiskScale.krakow }
        guard let items = sequence(node, "riskScale") else { return nil }
        var bands: [RiskScale.Band] = []
        for (i, item) in items.enumerated() {
            let p = "riskScale[\(i)]"
            guard let m = mapping(item, p, keys: ["level", "from", "to", "name"]) else { continue }
            let level = choice(m["level"], "\(p).level", RiskLevel.self)
            let from = int(m["from"], "\(p).from", in: 1...100)
            let to = int(m["to"], "\(p).to", in: 1...100)
            let name = string(m["name"], "\(p).name", required: false)
            if let from, let to, from > to { fail(p, "from (\(from)) is after to (\(to))", item); continue }
            if let level, let from, let to { bands.append(.init(level: level, from: from, to: to, name: name)) }
        }
        let sorted = bands.sorted { $0.from < $1.from }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.from != a.to + 1 {
            fail("riskScale", "the bands must follow each other without gaps or overlaps (\(a.to) then \(b.from))", node)
        }
        return RiskScale(bands: bands)
    }

    mutating func risks(_ node: Node?, goals: Set<Int>, scale: RiskScale?) -> [Risk]? {
        guard let items = sequence(node, "risks", required: false) else { return nil }
        var risks: [Risk] = []
        for (i, item) in items.enumerated() {
            let p = "risks[\(i)]"
            guard let m = mapping(item, p, keys: ["goal", "name", "score", "response", "responseDetail"]) else { continue }
            let goal = goalReference(m["goal"], "\(p).goal", goals: goals)
            let name = string(m["name"], "\(p).name")
            let score = int(m["score"], "\(p).score", in: scale?.scores ?? 1...7)
            let response = choice(m["response"], "\(p).response", RiskResponse.self)
            let detail = string(m["responseDetail"], "\(p).responseDetail")
            if let goal, let name, let score, let response, let detail {
                risks.append(Risk(goal: goal, name: name, score: score, response: response, responseDetail: detail))
            }
        }
        return risks
    }

    mutating func partnerAreas(_ node: Node?) -> [PartnerArea]? {
        guard let items = sequence(node, "partnerAreas", required: false) else { return nil }
        var areas: [PartnerArea] = []
        for (i, item) in items.enumerated() {
            let p = "partnerAreas[\(i)]"
            guard let m = mapping(item, p, keys: ["area", "partners"]) else { continue }
            if let area = string(m["area"], "\(p).area"), let partners = strings(m["partners"], "\(p).partners") {
                areas.append(PartnerArea(area: area, partners: partners))
            }
        }
        return areas
    }

    mutating func goalReference(_ node: Node?, _ path: String, goals: Set<Int>) -> Int? {
        guard let goal = int(node, path) else { return nil }
        if !goals.isEmpty, !goals.contains(goal) {
            fail(path, "goal \(goal) does not exist (goals are \(goals.sorted().map(String.init).joined(separator: ", ")))", node)
            return nil
        }
        return goal
    }

    // MARK: Helpers

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull(node) ? "null" : "a single value"
        case .alias: return "an alias"
        }
    }

    func quoted(_ node: Node) -> String {
        node.scalar.map { "\"\($0.string)\"" } ?? kind(node)
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension String {
    func trimmingWhitespace() -> String {
        // Nothing to trim when the first and last bytes are ASCII and not white space, the usual
        // case (every cell of an import goes through here several times): the first character
        // then starts with that byte, and the last is that byte alone (no white space scalar
        // joins a following ASCII character into one character). Saves the copy below.
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
           !Self.isASCIIWhitespace(first), !Self.isASCIIWhitespace(last) {
            return self
        }
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// The ASCII characters Unicode calls white space: tab, line feed, vertical tab, form feed,
    /// carriage return, space.
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool { (0x09...0x0D).contains(byte) || byte == 0x20 }
}
