extension SmallCountSuppression {
    /// Suppresses a one-dimensional list of counts published with its total.
    ///
    /// With the total shown, a single suppressed item would equal the total minus the
    /// shown items, so a second item (or, if there is none, the total) is suppressed
    /// too. The list is solved as a one-row table, where the column totals repeat the
    /// items and the row total repeats the grand total; the one-row table's result is
    /// protected with *more* figures shown than the list shows, so the list is
    /// protected as well, with the same guarantees as the table version of `suppress`.
    ///
    /// An empty list has total `.exact(0)`: an empty sum reveals nothing.
    ///
    /// - Precondition: every count is non-negative.
    public func suppress(_ counts: [String: Int]) -> (cells: [String: PublishedCount], total: PublishedCount) {
        let keys = counts.keys.sorted()
        guard !keys.isEmpty else { return ([:], .exact(0)) }
        let table = CountTable(rowLabels: ["total"], columnLabels: keys, counts: [keys.map { counts[$0]! }])
        let result = suppress(table)
        var cells: [String: PublishedCount] = [:]
        for (column, key) in keys.enumerated() {
            // A protected one-row result hides an item iff it hides its column total.
            assert(result.cells[0][column] == result.columnTotals[column])
            cells[key] = result.cells[0][column]
        }
        assert(result.rowTotals[0] == result.grandTotal)
        return (cells, result.grandTotal)
    }
}
