import Foundation

/// A place where the city serves residents with migration experience (the Information Point for
/// Foreigners, the Multicultural Centre…): what the public page shows and feedback is given on.
public struct ServicePoint: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var address: String
    /// Free text as the office writes it: "Mon–Fri 9:00–17:00".
    public var openingHours: String
    /// Languages spoken, as text: "polski, українська, English".
    public var languages: String
    public var contact: String

    public init(id: Int64 = 0, name: String, address: String, openingHours: String, languages: String, contact: String) {
        self.id = id
        self.name = name
        self.address = address
        self.openingHours = openingHours
        self.languages = languages
        self.contact = contact
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        for (field, value, limit) in [("name", name, 200), ("address", address, 300), ("openingHours", openingHours, 500),
                                      ("languages", languages, 300), ("contact", contact, 300)] where value.count > limit {
            errors.append(FieldError(field: field, messageKey: "error.point.too-long", message: "at most \(limit) characters"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "name", messageKey: "error.point.name", message: "give the name"))
        }
        return errors
    }
}

/// One resident's rating of a service point (task 1.5: "number of positive and negative ratings
/// in surveys"). No personal data: a rating, an optional comment, the language of the page.
public struct ServiceFeedback: Hashable, Sendable {
    public var pointID: Int64
    public var positive: Bool
    public var comment: String
    public var language: String
    public var receivedOn: CalendarDate
    /// The form's one-time token: the same submission sent twice stores one row.
    public var submission: String

    public init(pointID: Int64, positive: Bool, comment: String, language: String, receivedOn: CalendarDate, submission: String) {
        self.pointID = pointID
        self.positive = positive
        self.comment = comment
        self.language = language
        self.receivedOn = receivedOn
        self.submission = submission
    }

    public static let maxComment = 2_000
}

public struct FeedbackSummary: Hashable, Sendable {
    public var pointID: Int64
    public var year: Int
    public var month: Int
    public var positive: Int
    public var negative: Int

    public init(pointID: Int64, year: Int, month: Int, positive: Int, negative: Int) {
        self.pointID = pointID
        self.year = year
        self.month = month
        self.positive = positive
        self.negative = negative
    }
}

public protocol ServicePointRepository: Sendable {
    func all() async throws -> [ServicePoint]
    func point(id: Int64) async throws -> ServicePoint?
    /// Inserts (id 0) or updates; returns the stored point.
    func save(_ point: ServicePoint) async throws -> ServicePoint
    /// Stores the rating unless its submission token was seen; false for a duplicate.
    func addFeedback(_ feedback: ServiceFeedback) async throws -> Bool
    /// Ratings per point and month, of one year.
    func feedbackSummary(year: Int) async throws -> [FeedbackSummary]
    /// The comments, newest first (staff only).
    func comments(pointID: Int64, limit: Int) async throws -> [ServiceFeedback]
    /// The activity record a month of a point's ratings counts through (task 1.5).
    func monthActivity(pointID: Int64, year: Int, month: Int) async throws -> ActivityID?
    func setMonthActivity(_ id: ActivityID, pointID: Int64, year: Int, month: Int) async throws
    /// The month's count of ratings the coordinator last approved when it went beyond the usual
    /// (`BurstReview`); 0 when never.
    func monthApprovedCount(pointID: Int64, year: Int, month: Int) async throws -> Int
    func setMonthApprovedCount(_ count: Int, pointID: Int64, year: Int, month: Int) async throws
}
