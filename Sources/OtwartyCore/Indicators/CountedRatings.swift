/// Which service-point ratings count toward measure 1.5.a ("Liczba uzyskanych pozytywnych
/// i negatywnych ocen w ankietach"), positive and negative kept apart.
///
/// Ratings are anonymous and feed a public figure, so a loop of fake submissions must not move it
/// before anyone has looked. Otwarty already guards this per point and month (`BurstReview`): each
/// month of a point's ratings counts through one task-1.5 record whose participants are the month's
/// number of ratings; a month beyond the usual waits (`submitted`) for the coordinator, who approves
/// or returns it, and the count the coordinator approved is kept (`monthApprovedCount`). The ratings
/// measure keeps exactly that protection: a month adds at most as many ratings as its approved
/// figure allows, taken in the order they arrived (the earlier ones are those the approval saw):
///
/// - record approved: up to its participants (the month's count when last recounted, or what the
///   coordinator set);
/// - record waiting, returned or a draft: up to the count the coordinator last approved for the
///   month (0 when never — then, as for the record itself, nothing counts until approval);
/// - no record (cannot happen through `PublicServices.rate`): nothing.
public enum CountedRatings {
    /// One point's month: its ratings in arrival order (true = positive) and what its record allows.
    public struct Month: Hashable, Sendable {
        public var pointID: Int64
        public var month: Int
        public var ratings: [Bool]
        /// The month's task-1.5 record, when one exists.
        public var record: (status: ActivityStatus, participants: Int?)?
        /// The count the coordinator last approved for the month (0 when never).
        public var approvedCount: Int

        public init(pointID: Int64, month: Int, ratings: [Bool], record: (status: ActivityStatus, participants: Int?)?,
                    approvedCount: Int = 0) {
            self.pointID = pointID
            self.month = month
            self.ratings = ratings
            self.record = record
            self.approvedCount = approvedCount
        }

        /// How many of the month's ratings count.
        public var allowed: Int {
            guard let record else { return 0 }
            let cap = record.status == .approved ? (record.participants ?? 0) : approvedCount
            return max(0, min(ratings.count, cap))
        }

        public static func == (a: Month, b: Month) -> Bool {
            a.pointID == b.pointID && a.month == b.month && a.ratings == b.ratings && a.approvedCount == b.approvedCount
                && a.record?.status == b.record?.status && a.record?.participants == b.record?.participants
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(pointID)
            hasher.combine(month)
            hasher.combine(ratings)
        }
    }

    /// Positive and negative ratings that count, over all points and months given.
    public static func count(_ months: [Month]) -> (positive: Int, negative: Int) {
        var positive = 0, negative = 0
        for month in months {
            let counted = month.ratings.prefix(month.allowed)
            let up = counted.filter { $0 }.count
            positive += up
            negative += counted.count - up
        }
        return (positive, negative)
    }
}
