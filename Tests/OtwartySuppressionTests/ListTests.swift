import OtwartySuppression
import OtwartyTestSupport
import Testing

@Suite("One-dimensional lists with a total")
struct ListTests {
    let policy = SmallCountSuppression()

    @Test("One small item: the next smallest item is hidden too, the total stays")
    func secondItem() {
        let (cells, total) = policy.suppress(["a": 3, "b": 50, "c": 60])
        #expect(cells == ["a": .suppressed, "b": .suppressed, "c": .exact(60)])
        #expect(total == .exact(113))
    }

    @Test("Two small items protect each other")
    func twoSmall() {
        let (cells, total) = policy.suppress(["a": 3, "b": 4, "c": 50])
        #expect(cells == ["a": .suppressed, "b": .suppressed, "c": .exact(50)])
        #expect(total == .exact(57))
    }

    @Test("A single small item hides the total")
    func singleItem() {
        let (cells, total) = policy.suppress(["only": 3])
        #expect(cells == ["only": .suppressed] && total == .suppressed)
    }

    @Test("A small total is hidden with its items")
    func smallTotal() {
        let (cells, total) = policy.suppress(["a": 2, "b": 3, "c": 0])
        #expect(cells == ["a": .suppressed, "b": .suppressed, "c": .exact(0)])
        #expect(total == .suppressed)
    }

    @Test("Zeros and large counts are shown; the empty list totals 0")
    func nothingToHide() {
        let (cells, total) = policy.suppress(["a": 0, "b": 20])
        #expect(cells == ["a": .exact(0), "b": .exact(20)] && total == .exact(20))
        let empty = policy.suppress([String: Int]())
        #expect(empty.cells.isEmpty && empty.total == .exact(0))
    }

    @Test("Random lists: nothing small shown, nothing derivable (both attackers)")
    func randomLists() {
        var rng = SeededRandom(seed: 0x11575)
        for _ in 0..<600 {
            let length = Int.random(in: 1...6, using: &rng)
            var counts: [String: Int] = [:]
            for i in 0..<length { counts["k\(i)"] = [0, 0, 1, 2, 5, 9, 10, 14, 30][Int.random(in: 0..<9, using: &rng)] }
            let (cells, total) = policy.suppress(counts)
            // Check the list as the one-row table a reader would rebuild from it.
            let keys = counts.keys.sorted()
            let truth = CountTable(rowLabels: ["all"], columnLabels: keys, counts: [keys.map { counts[$0]! }])
            let shown = keys.map { cells[$0]! }
            let published = SuppressedTable(
                rowLabels: ["all"], columnLabels: keys, cells: [shown],
                rowTotals: [total], columnTotals: shown, grandTotal: total)
            let problems = safetyProblems(of: published, truth: truth, policy: policy, integerAttack: true)
            #expect(problems.isEmpty, "\(counts): \(problems)")
        }
    }
}
