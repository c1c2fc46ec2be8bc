/// Chooses the complete set of suppressed figures for one grid, given the primary
/// ones (small counts), so that every suppressed figure passes ``ShiftAudit``.
///
/// 1. Protect: walk the suppressed cells in grid order; for any not yet protected,
///    suppress the cells of its cheapest protecting cycle (``CycleCompletion``).
///    Adding suppressions never breaks an existing cycle, and every cell added lies
///    on the cycle just closed, so one pass protects everything.
/// 2. Trim: try to publish again each secondary cell, largest first, keeping the
///    change only if the audit still passes for every suppressed cell. This undoes
///    choices that later cycles made redundant.
/// 3. Verify with the audit. Should any cell still fail (a bug), fall back to
///    suppressing every figure, which is always protected: each inner cell lies on
///    the cycle "cell, its column total, grand total, its row total", which can be
///    stepped upwards, and every total lies on such a cycle too.
enum SecondarySuppression {
    static func complete(_ grid: MarginGrid, primary: [Bool]) -> [Bool] {
        var suppressed = primary
        for cell in suppressed.indices where suppressed[cell] {
            guard !ShiftAudit(grid: grid, suppressed: suppressed).isProtected(cell) else { continue }
            let finder = CycleCompletion(grid: grid, suppressed: suppressed)
            guard let extra = finder.cheapestCells(toProtect: cell) else { continue }
            for added in extra { suppressed[added] = true }
        }

        let secondary = suppressed.indices
            .filter { suppressed[$0] && !primary[$0] }
            .sorted { (grid.values[$0], $1) > (grid.values[$1], $0) }
        for cell in secondary {
            suppressed[cell] = false
            if !ShiftAudit(grid: grid, suppressed: suppressed).unprotectedCells().isEmpty {
                suppressed[cell] = true
            }
        }

        if !ShiftAudit(grid: grid, suppressed: suppressed).unprotectedCells().isEmpty {
            return [Bool](repeating: true, count: grid.cellCount)
        }
        return suppressed
    }
}
