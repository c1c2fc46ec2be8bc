import OtwartySuppression
import Testing

/// The four properties every published table must have, as one reusable check.
/// Returns the problems found (empty when safe) so callers can attach context.
func safetyProblems(
    of published: SuppressedTable,
    truth: CountTable,
    policy: SmallCountSuppression,
    integerAttack: Bool
) -> [String] {
    var problems: [String] = []
    for (figure, shown) in published.figures {
        guard case .exact(let value) = shown else { continue }
        // (a) nothing small is shown (nor a zero when zeros are hidden).
        if (0 < value && value < policy.threshold) || (value == 0 && !policy.showZeros) {
            problems.append("\(figure) shows small value \(value)")
        }
        // (b) what is shown is true.
        if value != truth.value(of: figure) {
            problems.append("\(figure) shows \(value), true \(truth.value(of: figure))")
        }
    }
    // (c) the linear-algebra attacker recovers nothing.
    for (figure, value) in RationalAttacker(published: published).determinedFigures() {
        problems.append("\(figure) determined linearly as \(value.numerator)/\(value.denominator)")
    }
    // (d) the integer attacker (non-negativity + integrality) pins nothing.
    if integerAttack {
        let cap = 2 * truth.value(of: .grandTotal) + 2
        let pinned = IntegerAttacker(published: published, cap: cap).pinnedFigures(searchOrderHint: truth)
        for figure in pinned { problems.append("\(figure) pinned by integer attack") }
    }
    return problems
}

/// Shape sanity: the result mirrors the input's labels and dimensions.
func shapeMatches(_ published: SuppressedTable, _ truth: CountTable) -> Bool {
    published.rowLabels == truth.rowLabels && published.columnLabels == truth.columnLabels
        && published.cells.count == truth.counts.count
        && published.cells.allSatisfy { $0.count == truth.columnLabels.count }
        && published.rowTotals.count == truth.rowLabels.count
        && published.columnTotals.count == truth.columnLabels.count
}

func table(_ counts: [[Int]]) -> CountTable {
    CountTable(
        rowLabels: counts.indices.map { "r\($0)" },
        columnLabels: (counts.first ?? []).indices.map { "c\($0)" },
        counts: counts)
}
