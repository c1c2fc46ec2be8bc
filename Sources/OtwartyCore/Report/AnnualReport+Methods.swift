extension AnnualReport {
    /// One number's methodology as the report's "How each number is counted" prints it.
    public struct MethodEntry: Hashable, Sendable {
        /// The measure (`.measure("1.1.a")`) or results row (`.result(1)`): what the glosses file's
        /// translations are keyed by, and the anchor a value's short note links to.
        public var element: ProgrammeGlosses.Element
        /// The measure's code, or the result's goal number.
        public var code: String
        /// The measure or indicator as the act words it.
        public var name: String
        public var method: Methodology

        public init(element: ProgrammeGlosses.Element, code: String, name: String, method: Methodology) {
            self.element = element
            self.code = code
            self.name = name
            self.method = method
        }

        /// The results first (the council reads them first), then the measures, in the programme's order.
        public static func all(of programme: Programme) -> [MethodEntry] {
            var entries: [MethodEntry] = []
            for (index, result) in programme.results.enumerated() {
                guard let method = result.method else { continue }
                entries.append(MethodEntry(element: .result(index + 1), code: String(result.goal), name: result.indicator,
                                           method: method))
            }
            for measure in programme.tasks.flatMap(\.measures) {
                guard let method = measure.method else { continue }
                entries.append(MethodEntry(element: .measure(measure.code), code: measure.code, name: measure.name,
                                           method: method))
            }
            return entries
        }
    }
}
