/// The table *with* its margins as one `(R+1) × (C+1)` grid: the last column holds
/// the row totals, the last row the column totals, the corner the grand total.
///
/// Why one grid: every identity a reader can use ("cells of a row add up to its
/// total", likewise for columns, and the totals add up to the grand total) becomes
/// "this grid line balances", so cells and totals are handled by one mechanism and
/// a suppressed total is protected exactly like a suppressed cell.
///
/// The grid is also read as a bipartite graph: one node per grid row, one per grid
/// column, and one edge per cell. A change to the suppressed cells that leaves every
/// published figure and every identity intact is exactly a set of ±1 steps around a
/// cycle of suppressed cells (see ``ShiftAudit``).
struct MarginGrid: Sendable {
    /// Rows and columns of the inner table (without margins).
    let innerRows: Int
    let innerColumns: Int
    /// Row-major values, margins included.
    let values: [Int]

    var rowCount: Int { innerRows + 1 }
    var columnCount: Int { innerColumns + 1 }
    var cellCount: Int { rowCount * columnCount }
    var nodeCount: Int { rowCount + columnCount }

    init(counts: [[Int]], innerColumns: Int) {
        innerRows = counts.count
        self.innerColumns = innerColumns
        var grid = [Int](repeating: 0, count: (innerRows + 1) * (innerColumns + 1))
        let width = innerColumns + 1
        for (r, row) in counts.enumerated() {
            for (c, value) in row.enumerated() {
                grid[r * width + c] = value
                grid[r * width + innerColumns] += value
                grid[innerRows * width + c] += value
                grid[innerRows * width + innerColumns] += value
            }
        }
        values = grid
    }

    func cell(row: Int, column: Int) -> Int { row * columnCount + column }
    func row(of cell: Int) -> Int { cell / columnCount }
    func column(of cell: Int) -> Int { cell % columnCount }

    /// Graph node of grid row `r` / grid column `c`.
    func rowNode(_ r: Int) -> Int { r }
    func columnNode(_ c: Int) -> Int { rowCount + c }
    func isRowNode(_ node: Int) -> Bool { node < rowCount }

    /// Row totals and column totals (not the grand total) enter their lines' identities
    /// with the opposite sign to the figures they sum, so the step direction that
    /// raises an inner cell (or the grand total) lowers a margin, and vice versa.
    func isMargin(_ cell: Int) -> Bool {
        (row(of: cell) == innerRows) != (column(of: cell) == innerColumns)
    }

    /// Whether stepping along `cell` in `direction` keeps it non-negative.
    ///
    /// Walking a cycle in the bipartite graph, a step from a row node to a column node
    /// is `+1` in the signed grid and a step back is `-1`; for a margin the true value
    /// moves the other way. A value can always rise, and can fall only if it is ≥ 1.
    func allows(_ direction: StepDirection, along cell: Int) -> Bool {
        if values[cell] >= 1 { return true }
        let raisesValue = (direction == .rowToColumn) != isMargin(cell)
        return raisesValue
    }

    /// The cell joining two nodes, one a row node and the other a column node.
    func cell(between a: Int, and b: Int) -> Int {
        isRowNode(a) ? cell(row: a, column: b - rowCount) : cell(row: b, column: a - rowCount)
    }

    /// The direction in which a walk from `node` leaves along an edge.
    func direction(leaving node: Int) -> StepDirection {
        isRowNode(node) ? .rowToColumn : .columnToRow
    }

    /// Nodes adjacent to `node`: every column for a row node and vice versa.
    func neighbours(of node: Int) -> Range<Int> {
        isRowNode(node) ? rowCount..<nodeCount : 0..<rowCount
    }

    /// The two ends of `cell`, in the order a walk in `direction` meets them.
    func ends(of cell: Int, _ direction: StepDirection) -> (from: Int, to: Int) {
        let r = rowNode(row(of: cell)), c = columnNode(column(of: cell))
        return direction == .rowToColumn ? (r, c) : (c, r)
    }
}

/// Which way a walk crosses a cell: from its row node to its column node or back.
enum StepDirection: Sendable, CaseIterable {
    case rowToColumn
    case columnToRow
}
