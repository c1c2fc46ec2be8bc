import OtwartySuppression
import OtwartyTestSupport
import Testing

/// Seeded random tables; every run sees the same ones.
@Suite("Random tables")
struct PropertyTests {
    /// Many zeros and many 1–9, some mid-sized, a few large.
    static func randomCount(_ rng: inout SeededRandom, large: Bool) -> Int {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case ..<25: return 0
        case ..<60: return Int.random(in: 1...9, using: &rng)
        case ..<88 where large: return Int.random(in: 10...40, using: &rng)
        case ..<100 where large: return Int.random(in: 41...500, using: &rng)
        default: return Int.random(in: 10...16, using: &rng)
        }
    }

    static func randomTable(_ rng: inout SeededRandom, maxSide: Int, large: Bool) -> CountTable {
        let rows = Int.random(in: 1...maxSide, using: &rng)
        let columns = Int.random(in: 1...maxSide, using: &rng)
        return table((0..<rows).map { _ in (0..<columns).map { _ in randomCount(&rng, large: large) } })
    }

    @Test("Up to 8×8, default policy: (a) nothing small shown, (b) shown = true, (c) linear attack fails")
    func linearSafety() {
        let policy = SmallCountSuppression()
        var rng = SeededRandom(seed: 20_240_611)
        var secondaryShare = 0.0, innerSecondaryShare = 0.0, primaryShare = 0.0, tablesWithPrimary = 0
        let tables = 3000
        for n in 0..<tables {
            let truth = Self.randomTable(&rng, maxSide: 8, large: true)
            let out = policy.suppress(truth)
            #expect(shapeMatches(out, truth))
            let problems = safetyProblems(of: out, truth: truth, policy: policy, integerAttack: false)
            #expect(problems.isEmpty, "table #\(n) \(truth.counts): \(problems)")

            let figures = out.figures
            let primary = figures.filter { policy.isPrimary(truth.value(of: $0.0)) }.count
            let hidden = figures.filter { $0.1 == .suppressed }.count
            let inner = figures.filter { if case .cell = $0.0 { true } else { false } }
            let innerPrimary = inner.filter { policy.isPrimary(truth.value(of: $0.0)) }.count
            let innerHidden = inner.filter { $0.1 == .suppressed }.count
            primaryShare += Double(primary) / Double(figures.count)
            secondaryShare += Double(hidden - primary) / Double(figures.count)
            innerSecondaryShare += Double(innerHidden - innerPrimary) / Double(inner.count)
            if primary > 0 { tablesWithPrimary += 1 }
        }
        let mean = secondaryShare / Double(tables), innerMean = innerSecondaryShare / Double(tables)
        print("secondary suppression: mean \(percent(mean)) of all figures (cells + totals), \(percent(innerMean)) of inner cells; primary: \(percent(primaryShare / Double(tables))) of figures; \(tablesWithPrimary)/\(tables) tables had primary suppressions")
        // Guard against regressions into absurd over-suppression.
        #expect(mean < 0.25)
    }

    @Test("Up to 3×3, small counts: (d) integer attack pins nothing, plus (a)–(c)")
    func integerSafety() {
        let policy = SmallCountSuppression()
        var rng = SeededRandom(seed: 77)
        for n in 0..<1500 {
            let truth = Self.randomTable(&rng, maxSide: 3, large: false)
            let problems = safetyProblems(of: policy.suppress(truth), truth: truth, policy: policy, integerAttack: true)
            #expect(problems.isEmpty, "table #\(n) \(truth.counts): \(problems)")
        }
    }

    @Test("Other policies: thresholds 2–12, zeros hidden or shown, (a)–(c) and (d) when small")
    func otherPolicies() {
        var rng = SeededRandom(seed: 4242)
        for n in 0..<1200 {
            let policy = SmallCountSuppression(
                threshold: Int.random(in: 1...12, using: &rng), showZeros: Bool.random(using: &rng))
            let small = n % 2 == 0
            let truth = Self.randomTable(&rng, maxSide: small ? 3 : 6, large: !small)
            let problems = safetyProblems(of: policy.suppress(truth), truth: truth, policy: policy, integerAttack: small)
            #expect(problems.isEmpty, "table #\(n) t=\(policy.threshold) zeros=\(policy.showZeros) \(truth.counts): \(problems)")
        }
    }

    @Test("Deterministic: same input, same output")
    func deterministic() {
        var rng = SeededRandom(seed: 9)
        for _ in 0..<100 {
            let truth = Self.randomTable(&rng, maxSide: 6, large: true)
            #expect(SmallCountSuppression().suppress(truth) == SmallCountSuppression().suppress(truth))
        }
    }
}

extension SmallCountSuppression {
    /// The primary rule, restated in the tests.
    func isPrimary(_ value: Int) -> Bool { value == 0 ? !showZeros : value < threshold }
}

func percent(_ x: Double) -> String {
    let tenths = Int((x * 1000).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
}
