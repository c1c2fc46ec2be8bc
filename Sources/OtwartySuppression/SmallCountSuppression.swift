/// Statistical disclosure control for published counts (hate-incident statistics):
/// small counts are never shown, and the table's sums cannot be used to recover them.
///
/// **Primary suppression.** Every figure — inner cell, row total, column total,
/// grand total — with `0 < value < threshold` is suppressed. Zeros are shown by
/// default (`showZeros: true`), because a true zero identifies nobody; with
/// `showZeros: false` zeros are treated as small counts.
///
/// **Secondary suppression.** With totals published, one suppressed cell in a line
/// could be recovered by subtraction, so further figures are suppressed: for each
/// unprotected figure the cheapest set of partners that closes a protecting cycle,
/// cost being the partners' values (small cells before large ones and before the
/// totals they sum; zeros only as a last resort), then any partner that turned out
/// redundant is shown again.
///
/// **Guaranteed** (and checked by the library before returning, falling back to
/// suppressing everything should the check ever fail):
/// - No shown figure is in `1..<threshold` (nor `0` when `showZeros` is false),
///   and every shown figure is the true value.
/// - No suppressed figure, cell or total, is determined by the shown figures and the
///   table identities (row sums, column sums, totals row, grand total): the linear
///   system leaves it free.
/// - Stronger: every suppressed figure lies on a cycle of suppressed figures that can
///   be stepped by ±1 keeping all of them non-negative, so even with non-negativity
///   and integrality an attacker sees at least two possible values for it.
///
/// **Not guaranteed:** any *width* of the attacker's feasible range. A suppressed
/// cell may be narrowed to, say, `{3, 4}`, or to "at most 5" when the suppressed
/// figures of a line sum to little. Nor does the rendered `"<10"` hold for secondary
/// suppressions, which can be large: the guarantees assume a reader treats a
/// suppressed figure as an unknown non-negative number, not as a number below the
/// threshold. External knowledge (other tables on the same data, earlier releases)
/// is out of scope.
public struct SmallCountSuppression: Sendable {
    /// Counts `c` with `0 < c < threshold` are never shown.
    public let threshold: Int
    /// Whether a zero may be shown as `0` (it identifies nobody). When `false`, zeros
    /// are suppressed like small counts.
    public let showZeros: Bool

    /// - Precondition: `threshold >= 1`.
    public init(threshold: Int = 10, showZeros: Bool = true) {
        precondition(threshold >= 1, "threshold must be at least 1")
        self.threshold = threshold
        self.showZeros = showZeros
    }

    /// Suppresses a two-dimensional table and its row, column and grand totals.
    ///
    /// - Precondition: `table.counts` has `rowLabels.count` rows of
    ///   `columnLabels.count` non-negative counts each.
    public func suppress(_ table: CountTable) -> SuppressedTable {
        let rows = table.rowLabels.count, columns = table.columnLabels.count
        precondition(table.counts.count == rows, "counts must have one row per row label")
        precondition(table.counts.allSatisfy { $0.count == columns }, "each row needs one count per column label")
        precondition(table.counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "counts must be non-negative")

        let grid = MarginGrid(counts: table.counts, innerColumns: columns)
        let suppressed: [Bool]
        if rows == 0 || columns == 0 {
            // Every total is an empty sum, 0 whatever the data: nothing to protect.
            suppressed = [Bool](repeating: false, count: grid.cellCount)
        } else {
            let primary = grid.values.map(isSmall)
            suppressed = SecondarySuppression.complete(grid, primary: primary)
        }

        func published(_ r: Int, _ c: Int) -> PublishedCount {
            let cell = grid.cell(row: r, column: c)
            return suppressed[cell] ? .suppressed : .exact(grid.values[cell])
        }
        return SuppressedTable(
            rowLabels: table.rowLabels,
            columnLabels: table.columnLabels,
            cells: (0..<rows).map { r in (0..<columns).map { c in published(r, c) } },
            rowTotals: (0..<rows).map { published($0, columns) },
            columnTotals: (0..<columns).map { published(rows, $0) },
            grandTotal: published(rows, columns)
        )
    }

    /// `"<threshold"` for a suppressed figure, otherwise the number.
    public func label(_ count: PublishedCount) -> String {
        switch count {
        case .exact(let value): String(value)
        case .suppressed: "<\(threshold)"
        }
    }

    /// Whether a figure must be hidden on its own account (primary suppression).
    func isSmall(_ value: Int) -> Bool {
        value == 0 ? !showZeros : value < threshold
    }
}
