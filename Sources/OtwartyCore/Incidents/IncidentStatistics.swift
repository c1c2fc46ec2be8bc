import OtwartySuppression

/// Public statistics of incident reports for one year, protected by small-count suppression
/// (`SmallCountSuppression`): counts 1–9 are never shown, and further figures are hidden so that
/// none of them can be worked out from the totals. Every table that is shown or exported comes
/// from here; nothing else reads case counts for the public.
///
/// Only cases a handler has triaged as bias-motivated count (`IncidentFacts.countsInPublicFigures`):
/// reports awaiting triage and reports found not bias-motivated are left out, so nobody can move a
/// public figure — or unmask a hidden one — by sending reports. A case with several motivations
/// counts once under each, so the motivation figures add up to mentions, not cases.
public struct IncidentStatistics: Hashable, Sendable {
    public struct List: Hashable, Sendable {
        public var keys: [String]
        public var cells: [PublishedCount]
        /// Cases (or, for motivations, mentions).
        public var total: PublishedCount
    }

    public var year: Int
    public var threshold: Int
    /// Keys `01`…`12`.
    public var byMonth: List
    /// Keys are district numbers `1`…`18`, and `unknown` for cases without a district.
    public var byDistrict: List
    /// Keys are `IncidentCategory` raw values.
    public var byCategory: List
    /// Keys are `BiasMotivation` raw values; the row totals of the ODIHR table.
    public var byMotivation: List
    /// Bias motivation (rows) × type of incident (columns), counting each case under each of its
    /// motivations: the shape of OSCE/ODIHR's hate-crime data call.
    public var odihr: SuppressedTable

    public static func build(year: Int, facts: [IncidentFacts], threshold: Int = 10) -> IncidentStatistics {
        let suppression = SmallCountSuppression(threshold: threshold, showZeros: true)
        let counted = facts.filter { $0.date.year == year && $0.countsInPublicFigures }

        func list(_ keys: [String], _ key: (IncidentFacts) -> String) -> List {
            var counts = Dictionary(uniqueKeysWithValues: keys.map { ($0, 0) })
            for fact in counted { counts[key(fact), default: 0] += 1 }
            let (cells, total) = suppression.suppress(counts)
            return List(keys: keys, cells: keys.map { cells[$0] ?? .exact(0) }, total: total)
        }
        let months = (1...12).map { $0 < 10 ? "0\($0)" : "\($0)" }
        let districts = (1...18).map(String.init) + ["unknown"]
        var byMonth = list(months) { $0.date.month < 10 ? "0\($0.date.month)" : "\($0.date.month)" }
        var byDistrict = list(districts) { $0.district.map { String($0.number) } ?? "unknown" }
        var byCategory = list(IncidentCategory.allCases.map(\.rawValue)) { $0.category.rawValue }
        // The three case lists share one total: hidden in one means hidden in all, or the list that
        // hid it would be open to subtraction from the others.
        if [byMonth, byDistrict, byCategory].contains(where: { $0.total.isSuppressed }) {
            byMonth.total = .suppressed
            byDistrict.total = .suppressed
            byCategory.total = .suppressed
        }

        let motivations = BiasMotivation.allCases, categories = IncidentCategory.allCases
        var matrix = Array(repeating: Array(repeating: 0, count: categories.count), count: motivations.count)
        for fact in counted {
            guard let column = categories.firstIndex(of: fact.category) else { continue }
            for (row, motivation) in motivations.enumerated() where fact.motivations.contains(motivation) {
                matrix[row][column] += 1
            }
        }
        let odihr = suppression.suppress(CountTable(rowLabels: motivations.map(\.rawValue),
                                                    columnLabels: categories.map(\.rawValue), counts: matrix))
        let byMotivation = List(keys: motivations.map(\.rawValue), cells: odihr.rowTotals, total: odihr.grandTotal)
        return IncidentStatistics(year: year, threshold: threshold, byMonth: byMonth, byDistrict: byDistrict,
                                  byCategory: byCategory, byMotivation: byMotivation, odihr: odihr)
    }
}
