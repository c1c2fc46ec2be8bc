/// One row of the results declaration (Deklaracja wyników).
public struct ResultIndicator: Hashable, Sendable, Codable {
    public var goal: Int
    public var indicator: String
    /// Share of the weighted index; Kraków gives each of its four indicators 0.25.
    public var weight: Double
    public var unit: Unit
    public var baseline: Baseline
    public var target: Target
    /// How the actual value is computed; nil when the programme file gives none.
    public var rule: IndicatorRule?
    /// How the number is counted, in words; nil when the file gives none (encoded only when present).
    public var method: Methodology?

    public init(goal: Int, indicator: String, weight: Double, unit: Unit, baseline: Baseline, target: Target,
                rule: IndicatorRule? = nil, method: Methodology? = nil) {
        self.rule = rule
        self.method = method
        self.goal = goal
        self.indicator = indicator
        self.weight = weight
        self.unit = unit
        self.baseline = baseline
        self.target = target
    }

    public enum Unit: String, Hashable, Sendable, Codable, CaseIterable {
        case percent, count
    }

    public struct Baseline: Hashable, Sendable, Codable {
        public var value: Double
        public var year: Int
        public init(value: Double, year: Int) { self.value = value; self.year = year }
    }

    public struct Target: Hashable, Sendable, Codable {
        public var value: Double
        public var comparison: Comparison
        /// The resolution's own wording of the target, e.g. „nie mniej niż 4% rocznie”.
        public var text: String?
        public init(value: Double, comparison: Comparison, text: String? = nil) {
            self.value = value
            self.comparison = comparison
            self.text = text
        }
    }

    public enum Comparison: String, Hashable, Sendable, Codable, CaseIterable {
        case atLeast, atMost, exactly
    }
}
