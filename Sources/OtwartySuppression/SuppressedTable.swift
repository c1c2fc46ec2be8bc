/// A ``CountTable`` made safe to publish, with its margins.
///
/// `cells[row][column]`, `rowTotals[row]`, `columnTotals[column]` and `grandTotal`
/// are each either the true value or `.suppressed`; see ``SmallCountSuppression``
/// for what is guaranteed about the suppressed ones.
public struct SuppressedTable: Sendable, Hashable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var cells: [[PublishedCount]]
    public var rowTotals: [PublishedCount]
    public var columnTotals: [PublishedCount]
    public var grandTotal: PublishedCount

    public init(
        rowLabels: [String],
        columnLabels: [String],
        cells: [[PublishedCount]],
        rowTotals: [PublishedCount],
        columnTotals: [PublishedCount],
        grandTotal: PublishedCount
    ) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.grandTotal = grandTotal
    }
}
