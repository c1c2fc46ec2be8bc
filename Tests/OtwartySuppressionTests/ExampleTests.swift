import OtwartySuppression
import Testing

@Suite("Worked examples")
struct ExampleTests {
    let policy = SmallCountSuppression()

    @Test("One small cell gets a partner in its row and in its column: the cheapest rectangle")
    func oneSmallCell() {
        let truth = table([
            [50, 31, 3],
            [40, 60, 20],
            [25, 35, 45],
        ])
        let out = policy.suppress(truth)
        let hidden = Set(out.figures.filter { $0.1 == .suppressed }.map(\.0))
        // Cheapest cycle through (0,2): (1,2)=20, (1,0)=40, (0,0)=50; all totals stay shown.
        #expect(hidden == [.cell(0, 2), .cell(0, 0), .cell(1, 0), .cell(1, 2)])
        #expect(out.rowTotals == [.exact(84), .exact(120), .exact(105)])
        #expect(out.grandTotal == .exact(309))
        #expect(safetyProblems(of: out, truth: truth, policy: policy, integerAttack: true).isEmpty)
    }

    @Test("A total of 1–9 is suppressed, and so are the cells that would reveal it")
    func smallTotals() {
        let truth = table([
            [2, 3, 0],
            [40, 60, 20],
            [25, 35, 45],
        ])
        let out = policy.suppress(truth)
        #expect(out.rowTotals[0] == .suppressed)
        #expect(out.cells[0][0] == .suppressed && out.cells[0][1] == .suppressed)
        #expect(out.cells[0][2] == .exact(0))
        #expect(safetyProblems(of: out, truth: truth, policy: policy, integerAttack: true).isEmpty)

        let tiny = table([[1, 0], [0, 2]])  // every non-zero figure is small
        let tinyOut = policy.suppress(tiny)
        #expect(tinyOut.grandTotal == .suppressed)
        #expect(safetyProblems(of: tinyOut, truth: tiny, policy: policy, integerAttack: true).isEmpty)
    }

    @Test("A table with no small figure is published unchanged")
    func allLarge() {
        let truth = table([[10, 20], [30, 40], [50, 60]])
        let out = policy.suppress(truth)
        #expect(out.cells == truth.counts.map { $0.map(PublishedCount.exact) })
        #expect(out.rowTotals == [.exact(30), .exact(70), .exact(110)])
        #expect(out.columnTotals == [.exact(90), .exact(120)])
        #expect(out.grandTotal == .exact(210))
        #expect(shapeMatches(out, truth))
    }

    @Test("All-zero table: shown as zeros by default, fully hidden when zeros are hidden")
    func allZero() {
        let truth = table([[0, 0, 0], [0, 0, 0]])
        let shown = policy.suppress(truth)
        #expect(shown.figures.allSatisfy { $0.1 == .exact(0) })

        let strict = SmallCountSuppression(showZeros: false)
        let hidden = strict.suppress(truth)
        #expect(hidden.figures.allSatisfy { $0.1 == .suppressed })
        #expect(safetyProblems(of: hidden, truth: truth, policy: strict, integerAttack: true).isEmpty)
    }

    @Test("Zeros next to a small count are shown, not used as the partner")
    func zerosStayShown() {
        let truth = table([[4, 0, 30], [0, 25, 40]])
        let out = policy.suppress(truth)
        #expect(out.cells[0][1] == .exact(0) && out.cells[1][0] == .exact(0))
        #expect(safetyProblems(of: out, truth: truth, policy: policy, integerAttack: true).isEmpty)
    }

    @Test("Single row: the column totals repeat the cells and are hidden with them")
    func singleRow() {
        let truth = table([[3, 50, 60]])
        let out = policy.suppress(truth)
        #expect(out.cells[0] == [.suppressed, .suppressed, .exact(60)])
        #expect(out.columnTotals == out.cells[0])
        #expect(out.rowTotals == [.exact(113)] && out.grandTotal == .exact(113))
        #expect(safetyProblems(of: out, truth: truth, policy: policy, integerAttack: true).isEmpty)
    }

    @Test("Single column")
    func singleColumn() {
        let truth = table([[70], [5], [12]])
        let out = policy.suppress(truth)
        #expect(out.cells.map { $0[0] } == [.exact(70), .suppressed, .suppressed])
        #expect(out.rowTotals == out.cells.map { $0[0] })
        #expect(out.grandTotal == .exact(87))
        #expect(safetyProblems(of: out, truth: truth, policy: policy, integerAttack: true).isEmpty)
    }

    @Test("Single cell: a small count hides the cell and every total")
    func singleCell() {
        let out = policy.suppress(table([[7]]))
        #expect(out.figures.allSatisfy { $0.1 == .suppressed })
        #expect(policy.suppress(table([[12]])).figures.allSatisfy { $0.1 == .exact(12) })
    }

    @Test("Empty tables publish empty sums as zero")
    func emptyTables() {
        let noColumns = policy.suppress(CountTable(rowLabels: ["a", "b"], columnLabels: [], counts: [[], []]))
        #expect(noColumns.rowTotals == [.exact(0), .exact(0)] && noColumns.grandTotal == .exact(0))
        let noRows = policy.suppress(CountTable(rowLabels: [], columnLabels: ["x"], counts: []))
        #expect(noRows.columnTotals == [.exact(0)] && noRows.cells.isEmpty)
    }

    @Test("Labels render the threshold")
    func labels() {
        #expect(policy.label(.suppressed) == "<10")
        #expect(policy.label(.exact(42)) == "42")
        #expect(policy.label(.exact(0)) == "0")
        #expect(SmallCountSuppression(threshold: 5).label(.suppressed) == "<5")
    }

    @Test("Custom threshold")
    func customThreshold() {
        let strict = SmallCountSuppression(threshold: 5)
        let truth = table([[4, 7, 30], [9, 25, 40]])
        let out = strict.suppress(truth)
        #expect(out.cells[0][0] == .suppressed)
        #expect(out.cells[1][0] != .suppressed || out.cells[0][1] == .suppressed)
        #expect(safetyProblems(of: out, truth: truth, policy: strict, integerAttack: true).isEmpty)
    }
}
