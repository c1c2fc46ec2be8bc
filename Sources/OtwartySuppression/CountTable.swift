/// A two-dimensional table of true, unprotected counts (for example incidents per
/// region × category) together with the labels the published table will carry.
///
/// `counts[row][column]`; every row must have `columnLabels.count` entries, and
/// `counts.count` must equal `rowLabels.count`. Counts must be non-negative.
/// Row totals, column totals and the grand total are *not* stored: they are always
/// computed from `counts`, so they can never disagree with the cells.
public struct CountTable: Sendable, Hashable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var counts: [[Int]]

    public init(rowLabels: [String], columnLabels: [String], counts: [[Int]]) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.counts = counts
    }
}
