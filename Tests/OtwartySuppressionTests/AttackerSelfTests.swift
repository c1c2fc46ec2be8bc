import OtwartySuppression
import Testing

/// The attackers must be able to break naive suppression, or passing them proves nothing.
@Suite("Test attackers are not vacuous")
struct AttackerSelfTests {
    @Test("Primary suppression alone is broken by subtraction")
    func linearAttackWorks() {
        let truth = table([[50, 3], [40, 20]])
        let naive = SuppressedTable(
            rowLabels: truth.rowLabels, columnLabels: truth.columnLabels,
            cells: [[.exact(50), .suppressed], [.exact(40), .exact(20)]],
            rowTotals: [.exact(53), .exact(60)], columnTotals: [.exact(90), .exact(23)], grandTotal: .exact(113))
        let found = RationalAttacker(published: naive).determinedFigures()
        #expect(found == [.cell(0, 1): Fraction(3)])
    }

    @Test("Non-negativity pins cells the linear attacker cannot")
    func integerAttackWorks() {
        // x + y = 0 with x, y ≥ 0: linearly free, but both must be 0.
        let truth = table([[0, 0, 20], [30, 30, 30]])
        let published = SuppressedTable(
            rowLabels: truth.rowLabels, columnLabels: truth.columnLabels,
            cells: [[.suppressed, .suppressed, .exact(20)], [.suppressed, .suppressed, .exact(30)]],
            rowTotals: [.exact(20), .exact(90)], columnTotals: [.exact(30), .exact(30), .exact(50)],
            grandTotal: .exact(110))
        #expect(RationalAttacker(published: published).determinedFigures().isEmpty)
        let pinned = IntegerAttacker(published: published, cap: 200).pinnedFigures(searchOrderHint: truth)
        #expect(Set(pinned) == [.cell(0, 0), .cell(0, 1), .cell(1, 0), .cell(1, 1)])
    }
}
