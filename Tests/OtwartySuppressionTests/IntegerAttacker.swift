import OtwartySuppression

/// The integer/interval attacker for small tables, written independently of the
/// library: it searches non-negative integer fillings of the suppressed cells that
/// reproduce every shown figure (suppressed totals follow from the cells), and
/// reports each suppressed figure that has the same value in every filling.
///
/// The search is exhaustive over `0...cap` per cell, where `cap` is lowered to any
/// shown total the cell belongs to. A cap can only hide fillings, never invent them,
/// so "two values found" is a real proof of ambiguity. The hint only orders the
/// values tried (nearest first) to keep the search quick; it does not prune.
struct IntegerAttacker {
    let published: SuppressedTable
    let cap: Int

    /// Suppressed figures that take a single value in every filling within the cap.
    func pinnedFigures(searchOrderHint hint: CountTable) -> [Figure] {
        guard let first = search(avoiding: nil, hint: hint) else {
            return published.figures.filter { $0.1 == .suppressed }.map(\.0)  // no filling at all
        }
        var pinned = published.figures.filter { $0.1 == .suppressed }.map(\.0)
        var index = 0
        while index < pinned.count {
            let figure = pinned[index]
            if let other = search(avoiding: (figure, first.value(of: figure)), hint: hint) {
                // This filling also proves every other figure it changes.
                pinned.removeAll { other.value(of: $0) != first.value(of: $0) }
            } else {
                index += 1
            }
        }
        return pinned
    }

    private struct State {
        var cells: [[Int]]
        var rowSum: [Int], columnSum: [Int], grandSum: Int
        var rowSlack: [Int], columnSlack: [Int], grandSlack: Int  // caps of cells still open
    }

    /// Depth-first search for one filling, optionally one where `avoiding.0` differs
    /// from `avoiding.1`.
    private func search(avoiding: (Figure, Int)?, hint: CountTable) -> CountTable? {
        let rows = published.cells.count, columns = published.columnLabels.count
        let rowTotal = published.rowTotals.map(\.exactValue)
        let columnTotal = published.columnTotals.map(\.exactValue)
        let grandTotal = published.grandTotal.exactValue

        var open: [(Int, Int, Int)] = []  // row, column, cap
        var state = State(
            cells: published.cells.map { $0.map { $0.exactValue ?? 0 } },
            rowSum: [Int](repeating: 0, count: rows), columnSum: [Int](repeating: 0, count: columns), grandSum: 0,
            rowSlack: [Int](repeating: 0, count: rows), columnSlack: [Int](repeating: 0, count: columns), grandSlack: 0)
        for r in 0..<rows {
            for c in 0..<columns {
                state.rowSum[r] += state.cells[r][c]
                state.columnSum[c] += state.cells[r][c]
                state.grandSum += state.cells[r][c]
                guard published.cells[r][c] == .suppressed else { continue }
                let bound = [cap, rowTotal[r], columnTotal[c], grandTotal].compactMap { $0 }.min()!
                open.append((r, c, bound))
                state.rowSlack[r] += bound
                state.columnSlack[c] += bound
                state.grandSlack += bound
            }
        }

        func fits(_ total: Int?, _ sum: Int, _ slack: Int) -> Bool {
            guard let total else { return true }
            return sum <= total && total - sum <= slack
        }
        func consistent(_ s: State, _ r: Int, _ c: Int) -> Bool {
            fits(rowTotal[r], s.rowSum[r], s.rowSlack[r])
                && fits(columnTotal[c], s.columnSum[c], s.columnSlack[c])
                && fits(grandTotal, s.grandSum, s.grandSlack)
        }
        guard (0..<rows).allSatisfy({ r in (0..<columns).allSatisfy { consistent(state, r, $0) } }) || rows * columns == 0
        else { return nil }

        func leaf(_ s: State) -> CountTable? {
            let filling = CountTable(rowLabels: published.rowLabels, columnLabels: published.columnLabels, counts: s.cells)
            if let (figure, value) = avoiding, filling.value(of: figure) == value { return nil }
            return filling
        }

        func step(_ k: Int, _ s: inout State) -> CountTable? {
            guard k < open.count else { return leaf(s) }
            let (r, c, bound) = open[k]
            let target = min(hint.counts[r][c], bound)
            let order = (0...bound).sorted { (abs($0 - target), $0) < (abs($1 - target), $1) }
            for v in order {
                if let (figure, value) = avoiding, figure == .cell(r, c), v == value { continue }
                s.cells[r][c] = v
                s.rowSum[r] += v; s.columnSum[c] += v; s.grandSum += v
                s.rowSlack[r] -= bound; s.columnSlack[c] -= bound; s.grandSlack -= bound
                if consistent(s, r, c), let found = step(k + 1, &s) { return found }
                s.rowSum[r] -= v; s.columnSum[c] -= v; s.grandSum -= v
                s.rowSlack[r] += bound; s.columnSlack[c] += bound; s.grandSlack += bound
            }
            return nil
        }
        return step(0, &state)
    }
}
