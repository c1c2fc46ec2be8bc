/// Finds the cheapest set of extra cells that puts a given suppressed cell on a
/// protecting cycle (see ``ShiftAudit``).
///
/// Why a shortest path rather than "suppress the smallest other cell in each line":
/// protecting one cell needs a whole cycle — its row *and* column both need a
/// partner, and those partners need partners — and the line-by-line rule tends to
/// pick partners that do not meet, cascading across the table. A cheapest path
/// from one end of the cell to the other, through cells that are already suppressed
/// (free) or cheap to suppress, closes the cycle in one go and reuses existing
/// suppressions. This is the classic network heuristic for cell suppression.
struct CycleCompletion: Sendable {
    let grid: MarginGrid
    let suppressed: [Bool]

    /// The cells, not yet suppressed, that must be suppressed so that `cell` lies on
    /// a protecting cycle; `nil` if no such cycle exists even with every cell
    /// suppressed (which cannot happen for a table with at least one row and column).
    func cheapestCells(toProtect cell: Int) -> [Int]? {
        var best: (cost: Int, cells: [Int])?
        for direction in StepDirection.allCases where grid.allows(direction, along: cell) {
            let (from, to) = grid.ends(of: cell, direction)
            guard let path = cheapestPath(from: to, to: from, avoiding: cell) else { continue }
            if best == nil || path.cost < best!.cost { best = path }
        }
        return best?.cells
    }

    /// Cost of suppressing `cell` in addition: free if already suppressed; otherwise
    /// its value plus one, so that small cells and few cells are preferred; a zero
    /// costs more than any non-zero cell, because a suppressed zero can only be
    /// stepped upwards and so shields its partners less (and reveals that the
    /// partners' sum is small).
    private func cost(of cell: Int, zeroCost: Int) -> Int {
        if suppressed[cell] { return 0 }
        let value = grid.values[cell]
        return value == 0 ? zeroCost : value + 1
    }

    /// Dijkstra on the (small, dense) bipartite graph; ties go to the lower node
    /// index so results are deterministic.
    private func cheapestPath(from start: Int, to target: Int, avoiding avoided: Int) -> (cost: Int, cells: [Int])? {
        let zeroCost = (grid.values.max() ?? 0) + 2
        let count = grid.nodeCount
        var distance = [Int?](repeating: nil, count: count)
        var viaCell = [Int](repeating: -1, count: count)
        var viaNode = [Int](repeating: -1, count: count)
        var done = [Bool](repeating: false, count: count)
        distance[start] = 0
        while true {
            var current = -1
            for node in 0..<count where !done[node] {
                guard let d = distance[node] else { continue }
                if current < 0 || d < distance[current]! { current = node }
            }
            guard current >= 0 else { return nil }
            if current == target { break }
            done[current] = true
            let direction = grid.direction(leaving: current)
            for next in grid.neighbours(of: current) where !done[next] {
                let cell = grid.cell(between: current, and: next)
                guard cell != avoided, grid.allows(direction, along: cell) else { continue }
                let candidate = distance[current]! + cost(of: cell, zeroCost: zeroCost)
                if distance[next] == nil || candidate < distance[next]! {
                    distance[next] = candidate
                    viaCell[next] = cell
                    viaNode[next] = current
                }
            }
        }
        var cells: [Int] = []
        var node = target
        while node != start {
            if !suppressed[viaCell[node]] { cells.append(viaCell[node]) }
            node = viaNode[node]
        }
        return (distance[target]!, cells)
    }
}
