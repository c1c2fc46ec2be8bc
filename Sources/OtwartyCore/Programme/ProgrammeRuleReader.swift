import Yams

/// A task code written in a rule, remembered until every goal has been read.
struct RuleTaskReference {
    var path: String
    var code: String
    var node: Node?
}

/// Reading the optional `rule` of measures and results (docs/programme-format.md, "rule").
extension ProgrammeNodeReader {
    /// How `aggregate` is spelled in the file; the file's words, not Swift's case names.
    enum AggregateName: String, CaseIterable {
        case count, sum
        case distinctInstitutions = "distinct-institutions"
    }

    static let selectionKeys: Set<String> = ["aggregate", "field", "task", "kinds", "audiences", "people"]
    static let resultOnlyRuleKeys: Set<String> = ["denominator", "scale"]

    /// A measure's rule; `value` is nil without an issue when the key is absent or null.
    /// `ownTask` is the measure's own task, counted when the rule names no other.
    mutating func measureRule(_ node: Node?, _ path: String, ownTask: String) -> (ok: Bool, value: MeasureRule?) {
        guard let node, !isNull(node) else { return (true, nil) }
        let before = issues.count
        // Result-only keys are accepted by the mapping so they get a precise message below,
        // instead of the generic "not a known key".
        guard let m = mapping(node, path, keys: Self.selectionKeys.union(Self.resultOnlyRuleKeys)) else {
            return (false, nil)
        }
        for key in Self.resultOnlyRuleKeys.sorted() where m[key] != nil {
            fail("\(path).\(key)", "is only allowed in a result's rule, not a measure's", m[key])
        }
        let rule = selection(m, path, ruleNode: node, defaultTask: ownTask)
        return (issues.count == before, issues.count == before ? rule : nil)
    }

    /// A result's rule: a selection of records with a required `task`, optionally divided by a
    /// reference statistic and scaled.
    mutating func indicatorRule(_ node: Node?, _ path: String) -> (ok: Bool, value: IndicatorRule?) {
        guard let node, !isNull(node) else { return (true, nil) }
        let before = issues.count
        guard let m = mapping(node, path, keys: Self.selectionKeys.union(Self.resultOnlyRuleKeys)) else {
            return (false, nil)
        }
        let rule = selection(m, path, ruleNode: node, defaultTask: nil)
        let denominator = referenceKey(m["denominator"], "\(path).denominator")
        var scale: Double = 1
        if let scaleNode = m["scale"], !isNull(scaleNode), let value = number(scaleNode, "\(path).scale") {
            if value > 0 {
                scale = value
            } else {
                fail("\(path).scale", "\(value.plainText) must be greater than 0 (use 100 for a percentage)", scaleNode)
            }
        }
        guard issues.count == before, let rule else { return (false, nil) }
        return (true, IndicatorRule(rule: rule, denominator: denominator, scale: scale))
    }

    /// Which records a rule reads and what it adds up: the keys measures and results share.
    mutating func selection(_ m: [String: Node], _ path: String, ruleNode: Node,
                            defaultTask: String?) -> MeasureRule? {
        let aggregate = self.aggregate(m, path)
        let task = ruleTask(m["task"], "\(path).task", ruleNode: ruleNode, defaultTask: defaultTask)
        let kinds = choiceSet(m["kinds"], "\(path).kinds", ActivityKind.self, noun: "kind")
        let audiences = choiceSet(m["audiences"], "\(path).audiences", Audience.self, noun: "audience")
        let people = peopleFlag(m["people"], "\(path).people", aggregate: aggregate)
        guard let aggregate, let task, let kinds, let audiences, let people else { return nil }
        return MeasureRule(taskCode: task, aggregate: aggregate, kinds: kinds, audiences: audiences, people: people)
    }

    /// `people: true` counts people ("of whom new this year") instead of attendances: only for a
    /// sum of participants or beneficiaries, since amounts and record counts have no people.
    mutating func peopleFlag(_ node: Node?, _ path: String, aggregate: MeasureRule.Aggregate?) -> Bool? {
        guard let node, !isNull(node) else { return false }
        guard let text = node.scalar?.string.trimmingWhitespace(), text == "true" || text == "false" else {
            fail(path, "\(quoted(node)) must be true or false", node)
            return nil
        }
        let people = text == "true"
        if people, let aggregate, aggregate != .sum(.participants), aggregate != .sum(.beneficiaries) {
            fail(path, "is only allowed with aggregate sum of participants or beneficiaries", node)
            return nil
        }
        return people
    }

    /// How `source` is spelled in the file: one key naming what is read.
    static let sourceKeys: Set<String> = ["register", "ratings", "import"]
    /// The ratings a measure can read; one kind today.
    enum RatingsName: String, CaseIterable { case servicePoints = "service-points" }

    /// A measure's `source` (a register, the service-point ratings or a yearly data import) instead
    /// of a rule over records; nil without an issue when absent or null.
    mutating func measureSource(_ node: Node?, _ path: String) -> (ok: Bool, value: MeasureSource?) {
        guard let node, !isNull(node) else { return (true, nil) }
        let before = issues.count
        guard let m = mapping(node, path, keys: Self.sourceKeys) else { return (false, nil) }
        // An unknown key is already reported; "exactly one" would only repeat it.
        if issues.count > before { return (false, nil) }
        let named = Self.sourceKeys.sorted().filter { m[$0] != nil }
        guard named.count == 1, let key = named.first else {
            fail(path, "must name exactly one of: \(Self.sourceKeys.sorted().joined(separator: ", "))", node)
            return (false, nil)
        }
        let keyPath = "\(path).\(key)"
        switch key {
        case "register":
            return choice(m[key], keyPath, ProgrammeRegister.self).map { (true, .register($0)) } ?? (false, nil)
        case "ratings":
            return choice(m[key], keyPath, RatingsName.self).map { _ in (true, .serviceRatings) } ?? (false, nil)
        default:
            return choice(m[key], keyPath, DataImportKind.self).map { (true, .dataImport($0)) } ?? (false, nil)
        }
    }

    /// `aggregate` with its `field`: required for `sum`, forbidden otherwise.
    mutating func aggregate(_ m: [String: Node], _ path: String) -> MeasureRule.Aggregate? {
        let name = choice(m["aggregate"], "\(path).aggregate", AggregateName.self)
        let fieldNode = m["field"].flatMap { isNull($0) ? nil : $0 }
        let fieldPath = "\(path).field"
        switch name {
        case .sum:
            guard let fieldNode else {
                let fields = ActivityField.allCases.map(\.rawValue).joined(separator: ", ")
                fail(fieldPath, "is required when aggregate is sum (one of: \(fields))", m["aggregate"])
                return nil
            }
            return choice(fieldNode, fieldPath, ActivityField.self).map { .sum($0) }
        case .count, .distinctInstitutions:
            if let fieldNode {
                fail(fieldPath, "is only allowed when aggregate is sum", fieldNode)
                return nil
            }
            return name == .count ? .count : .distinctInstitutions
        case nil:
            // Still check the field's value, so one pass reports both mistakes.
            if let fieldNode { _ = choice(fieldNode, fieldPath, ActivityField.self) }
            return nil
        }
    }

    /// The rule's task code: the default when absent (a measure's own task), required otherwise.
    /// Whether the task exists is checked when the whole file has been read.
    mutating func ruleTask(_ node: Node?, _ path: String, ruleNode: Node, defaultTask: String?) -> String? {
        guard let node, !isNull(node) else {
            if defaultTask == nil {
                fail(path, "is required (the code of the task whose records count, e.g. \"1.1\")", ruleNode)
            }
            return defaultTask
        }
        guard let code = string(node, path) else { return nil }
        ruleTaskReferences.append(RuleTaskReference(path: path, code: code, node: node))
        return code
    }

    mutating func checkRuleTaskReferences() {
        for reference in ruleTaskReferences where !declaredTaskCodes.contains(reference.code) {
            fail(reference.path, "task \"\(reference.code)\" does not exist in this programme", reference.node)
        }
    }

    /// An optional list of enumeration values. Absent means "any"; an explicit empty list is
    /// refused because it reads as "none" while meaning "any".
    mutating func choiceSet<E: RawRepresentable & CaseIterable & Hashable>(
        _ node: Node?, _ path: String, _ type: E.Type, noun: String
    ) -> Set<E>? where E.RawValue == String {
        guard let node, !isNull(node) else { return [] }
        guard let items = sequence(node, path) else { return nil }
        if items.isEmpty {
            fail(path, "must not be an empty list (leave the key out to count any \(noun))", node)
            return nil
        }
        var values: Set<E> = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard let value = choice(item, "\(path)[\(i)]", type) else { ok = false; continue }
            if !values.insert(value).inserted {
                fail("\(path)[\(i)]", "\"\(value.rawValue)\" is listed twice", item)
                ok = false
            }
        }
        return ok ? values : nil
    }

    /// The key of a reference statistic, e.g. `foreign-residents`; nil without an issue when absent.
    mutating func referenceKey(_ node: Node?, _ path: String) -> String? {
        guard let node, !isNull(node), let key = string(node, path) else { return nil }
        guard ReferenceKeyFormat.isValid(key) else {
            fail(path, "\"\(key)\" must be lowercase letters, digits and hyphens (at most \(ReferenceKeyFormat.maxLength)), e.g. foreign-residents", node)
            return nil
        }
        return key
    }
}

/// What a reference statistic's key may look like: it appears in URLs and forms, like a slug.
public enum ReferenceKeyFormat {
    public static let maxLength = 80

    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.count <= maxLength
            && key.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
