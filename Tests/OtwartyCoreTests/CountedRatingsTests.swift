import Testing
@testable import OtwartyCore

/// Measure 1.5.a counts positive and negative ratings apart, and only as many of a month's ratings
/// as its approved figure allows (the burst protection of `BurstReview` kept).
@Suite struct CountedRatingsTests {
    static func ratings(_ pattern: String) -> [Bool] { pattern.map { $0 == "+" } }

    @Test func eachMonthCountsWhatItsApprovedFigureAllowsInArrivalOrder() {
        let months: [CountedRatings.Month] = [
            // Approved, 5 ratings, participants 5: all count → +3, −2.
            .init(pointID: 1, month: 3, ratings: Self.ratings("++-+-"), record: (.approved, 5)),
            // Held (a burst: 10 usual, then 20 fakes), never approved before → 0.
            .init(pointID: 1, month: 4, ratings: Self.ratings("+++++++---" + String(repeating: "-", count: 20)),
                  record: (.submitted, 30), approvedCount: 0),
            // Held again after the coordinator approved 22 (12 +, 10 −); 3 newer ratings wait → +12, −10.
            .init(pointID: 2, month: 4, ratings: Self.ratings(String(repeating: "+", count: 12) + String(repeating: "-", count: 10) + "+++"),
                  record: (.submitted, 25), approvedCount: 22),
            // Returned by the coordinator, nothing approved before → 0.
            .init(pointID: 2, month: 5, ratings: Self.ratings("--++"), record: (.returned, 4)),
            // Approved at 2 while 3 ratings are stored: the first 2 count → +2.
            .init(pointID: 3, month: 6, ratings: Self.ratings("+++"), record: (.approved, 2)),
            // No record: nothing counts.
            .init(pointID: 3, month: 7, ratings: Self.ratings("+"), record: nil),
        ]
        #expect(months.map(\.allowed) == [5, 0, 22, 0, 2, 0])
        let counted = CountedRatings.count(months)
        // Positive 3 + 0 + 12 + 0 + 2 = 17; negative 2 + 0 + 10 + 0 + 0 = 12.
        #expect(counted.positive == 17)
        #expect(counted.negative == 12)
    }

    @Test func anApprovedRecordWithoutParticipantsOrMoreAllowedThanStoredIsBounded() {
        // participants nil → 0; an approved count above the stored ratings takes only what exists.
        #expect(CountedRatings.Month(pointID: 1, month: 1, ratings: [true], record: (.approved, nil)).allowed == 0)
        #expect(CountedRatings.Month(pointID: 1, month: 1, ratings: [true, false], record: (.draft, 1), approvedCount: 9).allowed == 2)
    }
}
