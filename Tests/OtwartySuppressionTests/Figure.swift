import OtwartySuppression

/// One published figure of a table, for reporting which one an attacker recovered.
enum Figure: Hashable, CustomStringConvertible {
    case cell(Int, Int)
    case rowTotal(Int)
    case columnTotal(Int)
    case grandTotal

    var description: String {
        switch self {
        case .cell(let r, let c): "cell(\(r),\(c))"
        case .rowTotal(let r): "rowTotal(\(r))"
        case .columnTotal(let c): "columnTotal(\(c))"
        case .grandTotal: "grandTotal"
        }
    }
}

extension SuppressedTable {
    /// Every figure with what is shown for it.
    var figures: [(Figure, PublishedCount)] {
        var all: [(Figure, PublishedCount)] = []
        for (r, row) in cells.enumerated() {
            for (c, value) in row.enumerated() { all.append((.cell(r, c), value)) }
        }
        for (r, value) in rowTotals.enumerated() { all.append((.rowTotal(r), value)) }
        for (c, value) in columnTotals.enumerated() { all.append((.columnTotal(c), value)) }
        all.append((.grandTotal, grandTotal))
        return all
    }
}

extension CountTable {
    /// The true value of any figure, totals computed from the cells.
    func value(of figure: Figure) -> Int {
        switch figure {
        case .cell(let r, let c): counts[r][c]
        case .rowTotal(let r): counts[r].reduce(0, +)
        case .columnTotal(let c): counts.reduce(0) { $0 + $1[c] }
        case .grandTotal: counts.joined().reduce(0, +)
        }
    }
}
