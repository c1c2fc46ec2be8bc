import Foundation

/// When a count fed by anonymous public forms — a service point's ratings in a month (task 1.5),
/// an Ambassador edition's nominations (task 4.2) — jumps beyond the usual, the record it counts
/// through waits for the programme coordinator's approval instead of counting at once, so a loop
/// of fake submissions from many addresses is seen before it moves an official figure.
///
/// "The usual" is `max(20, 3 × median of the previous periods' counts)`: the six months before
/// for a service point (months without ratings count as 0), the up to six editions before for
/// nominations. Counts up to that many above what the coordinator last approved count at once;
/// past it the record goes to `submitted` with a review comment saying why. See
/// docs/public-side.md.
public struct BurstReview: Hashable, Sendable {
    /// At least this many submissions in a period are always usual.
    public static let floor = 20
    /// A period may hold this many times the median of the earlier ones.
    public static let factor = 3
    /// How many earlier periods the median looks at.
    public static let history = 6

    /// The most the period may reach without review, from the earlier periods' counts.
    public let limit: Int
    /// The median those counts gave (for the review comment).
    public let median: Double

    public init(previous counts: [Int]) {
        let sorted = counts.suffix(Self.history).sorted()
        let median: Double
        if sorted.isEmpty {
            median = 0
        } else if sorted.count % 2 == 1 {
            median = Double(sorted[sorted.count / 2])
        } else {
            median = Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        self.median = median
        // Counts are small whole numbers; the product cannot overflow a Double and is capped
        // before turning back into an Int.
        let scaled = min(Double(Int32.max), (Double(Self.factor) * median).rounded(.down))
        limit = max(Self.floor, Int(scaled))
    }

    /// Whether a period with `count` submissions needs the coordinator's approval, given the count
    /// the coordinator last approved (0 when never).
    public func needsReview(count: Int, approved: Int) -> Bool {
        count > approved + limit
    }

    /// What the record's status is set to and, when held, the review comment saying why.
    public struct Verdict: Hashable, Sendable {
        public var status: ActivityStatus
        public var reviewComment: String?
        public init(status: ActivityStatus, reviewComment: String?) {
            self.status = status
            self.reviewComment = reviewComment
        }
        /// Counts at once: approved, no comment.
        public static let counts = Verdict(status: .approved, reviewComment: nil)
    }

    /// Decides the status of a period's record after a new submission. `current` is the record's
    /// status now (nil before it exists) with its review comment, `approved` the count the
    /// coordinator last approved. A record that waits (submitted) stays waiting with the comment
    /// brought up to date; one the coordinator returned (or made a draft) keeps its status and
    /// comment: only the coordinator moves it on. `what` names the count and `basis` the earlier
    /// periods in the comment, in Polish like the record itself.
    public func verdict(count: Int, approved: Int, current: ActivityStatus?, comment existing: String? = nil,
                        what: String, basis: String) -> Verdict {
        let comment = "Wstrzymane do zatwierdzenia: \(count) \(what), a zwykle najwyżej \(approved + limit) "
            + "(\(approved > 0 ? "\(approved) zatwierdzonych + " : "")max(\(Self.floor), \(Self.factor) × mediana \(basis) = \(Self.format(median)))). "
            + "Sprawdź, czy to nie seria fałszywych zgłoszeń; do zatwierdzenia ten rekord nie jest liczony."
        switch current {
        case .submitted:
            return Verdict(status: .submitted, reviewComment: comment)
        case .returned, .draft:
            return Verdict(status: current ?? .returned, reviewComment: existing)
        case .approved, nil:
            return needsReview(count: count, approved: approved)
                ? Verdict(status: .submitted, reviewComment: comment) : Verdict(status: .approved, reviewComment: nil)
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
