/// The library's own attacker: decides for each suppressed figure whether the
/// published figures pin it down.
///
/// A reader knows the published figures and the identities of the table (each row
/// and each column, margins included, balances). The suppressed figures are the
/// unknowns of that linear system. Its solutions differ from the true table by
/// vectors in the null space, and for a system of "lines balance" identities the
/// null space is the cycle space of the bipartite graph whose edges are the
/// suppressed cells (``MarginGrid``): each cycle gives the vector `+1, −1, +1, …`
/// around it. Hence, over the rationals, a suppressed figure is **uniquely
/// determined iff its edge lies on no cycle** (is a bridge) — the same answer
/// Gaussian elimination gives, read off the graph instead.
///
/// This audit asks for more than that: a cell is *protected* only if it lies on a
/// cycle along which a ±1 step keeps every suppressed figure non-negative. That
/// step turns the true table into a second non-negative integer table with the same
/// published figures, so even an attacker who uses non-negativity and integrality
/// sees at least two possible values for the cell. (Cycles are walked as directed
/// paths: see ``MarginGrid/allows(_:along:)`` for which direction a zero blocks.)
struct ShiftAudit: Sendable {
    let grid: MarginGrid
    let suppressed: [Bool]

    /// Whether `cell` lies on a suppressed cycle that can be stepped by one unit
    /// without any suppressed figure going negative.
    func isProtected(_ cell: Int) -> Bool {
        StepDirection.allCases.contains { direction in
            guard grid.allows(direction, along: cell) else { return false }
            let (from, to) = grid.ends(of: cell, direction)
            return reaches(from: to, to: from, avoiding: cell)
        }
    }

    /// Suppressed cells that fail ``isProtected(_:)``, in grid order.
    func unprotectedCells() -> [Int] {
        suppressed.indices.filter { suppressed[$0] && !isProtected($0) }
    }

    /// Directed search over suppressed cells other than `avoided`, each crossed only
    /// in a direction it allows. Finding `target` closes a cycle with `avoided`.
    private func reaches(from start: Int, to target: Int, avoiding avoided: Int) -> Bool {
        var seen = [Bool](repeating: false, count: grid.nodeCount)
        var stack = [start]
        seen[start] = true
        while let node = stack.popLast() {
            if node == target { return true }
            let direction = grid.direction(leaving: node)
            for next in grid.neighbours(of: node) where !seen[next] {
                let cell = grid.cell(between: node, and: next)
                guard cell != avoided, suppressed[cell], grid.allows(direction, along: cell) else { continue }
                seen[next] = true
                stack.append(next)
            }
        }
        return false
    }
}
