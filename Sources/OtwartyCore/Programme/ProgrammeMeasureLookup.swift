extension Programme {
    /// The measure with this code (`2.1.b`), in whichever task it is.
    public func measure(code: String) -> Measure? {
        for task in tasks {
            if let measure = task.measures.first(where: { $0.code == code }) { return measure }
        }
        return nil
    }

    /// Every rule the programme's measures and results apply, each once, in file order: the
    /// batch of aggregate queries a yearly report needs.
    public var distinctRules: [MeasureRule] {
        var seen: Set<MeasureRule> = []
        let all = tasks.flatMap(\.measures).compactMap(\.rule) + results.compactMap(\.rule?.rule)
        return all.filter { seen.insert($0).inserted }
    }
}
