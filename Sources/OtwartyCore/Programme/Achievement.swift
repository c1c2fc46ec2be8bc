extension ResultIndicator.Target {
    /// How far `actual` goes toward this target: 1 is reached exactly, more than 1 is beyond it
    /// (the index caps each indicator at 1). The parser refuses negative targets.
    ///
    /// - `atLeast`: actual ÷ target (a target of 0 is always reached: 1).
    /// - `atMost`: target ÷ actual, and 1 when actual is 0 (nothing happened, nothing exceeded).
    /// - `exactly`: max(0, 1 − |actual − target| ÷ target): each unit off by the target's size
    ///   costs the whole of it (a target of 0: 1 when actual is 0, else 0).
    public func achievement(of actual: Double) -> Double {
        switch comparison {
        case .atLeast:
            return value > 0 ? actual / value : 1
        case .atMost:
            return actual > 0 ? value / actual : 1
        case .exactly:
            guard value != 0 else { return actual == 0 ? 1 : 0 }
            return max(0, 1 - abs(actual - value) / value)
        }
    }
}
