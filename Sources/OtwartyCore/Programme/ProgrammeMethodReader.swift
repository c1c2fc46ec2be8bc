import Yams

/// Reading the optional `method` of measures and results (docs/programme-format.md, "method").
extension ProgrammeNodeReader {
    static let methodKeys: Set<String> = ["definition", "unit", "source", "limits"]

    /// A measure's or result's methodology; `value` is nil without an issue when the key is absent
    /// or null. Every part is required: a method without its limits would read as having none.
    mutating func methodology(_ node: Node?, _ path: String) -> (ok: Bool, value: Methodology?) {
        guard let node, !isNull(node) else { return (true, nil) }
        let before = issues.count
        guard let m = mapping(node, path, keys: Self.methodKeys) else { return (false, nil) }
        let definition = string(m["definition"], "\(path).definition")
        let unit = choice(m["unit"], "\(path).unit", CountedUnit.self)
        let sources = methodSources(m["source"], "\(path).source")
        let limits = string(m["limits"], "\(path).limits")
        guard issues.count == before, let definition, let unit, let sources, let limits else { return (false, nil) }
        return (true, Methodology(definition: definition, unit: unit, sources: sources, limits: limits))
    }

    /// `source`: one source (`"records"`) or a list of them in order (`["records", "reference-statistic"]`).
    mutating func methodSources(_ node: Node?, _ path: String) -> [MethodSource]? {
        guard let node, !isNull(node) else { fail(path, "is required", node); return nil }
        if case .sequence = node {
            guard let items = sequence(node, path) else { return nil }
            if items.isEmpty {
                fail(path, "must name at least one of: \(MethodSource.allCases.map(\.rawValue).joined(separator: ", "))", node)
                return nil
            }
            var sources: [MethodSource] = []
            var ok = true
            for (i, item) in items.enumerated() {
                guard let source = choice(item, "\(path)[\(i)]", MethodSource.self) else { ok = false; continue }
                if sources.contains(source) {
                    fail("\(path)[\(i)]", "\"\(source.rawValue)\" is listed twice", item)
                    ok = false
                } else {
                    sources.append(source)
                }
            }
            return ok ? sources : nil
        }
        return choice(node, path, MethodSource.self).map { [$0] }
    }
}
