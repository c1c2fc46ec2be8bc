import Foundation

/// A request for the Mayor's patronage (task 4.3, "number of patronages"): filed by anyone through
/// the public form, decided by the programme coordinator with a reason. Granting one records an
/// approved activity of kind `patronage` in task 4.3.
public struct PatronageRequest: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable { case pending, granted, refused }

    public var id: Int64
    public var applicant: String
    public var project: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var description: String
    /// How to reach the applicant about the decision (an organisation's e-mail, usually).
    public var contact: String
    public var language: String
    public var submittedOn: CalendarDate
    public var submission: String
    public var status: Status
    public var decidedOn: CalendarDate?
    public var reason: String
    public var activityID: ActivityID?

    public init(id: Int64 = 0, applicant: String, project: String, startsOn: CalendarDate, endsOn: CalendarDate, description: String,
                contact: String, language: String, submittedOn: CalendarDate, submission: String, status: Status = .pending,
                decidedOn: CalendarDate? = nil, reason: String = "", activityID: ActivityID? = nil) {
        self.id = id
        self.applicant = applicant
        self.project = project
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.description = description
        self.contact = contact
        self.language = language
        self.submittedOn = submittedOn
        self.submission = submission
        self.status = status
        self.decidedOn = decidedOn
        self.reason = reason
        self.activityID = activityID
    }

    public func problems(today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) { errors.append(FieldError(field: field, messageKey: key, message: message)) }
        if applicant.trimmingCharacters(in: .whitespaces).isEmpty || applicant.count > 300 { add("applicant", "error.patronage.applicant", "name the applicant") }
        if project.trimmingCharacters(in: .whitespaces).isEmpty || project.count > 300 { add("project", "error.patronage.project", "name the project") }
        if description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || description.count > 5_000 {
            add("description", "error.patronage.description", "describe the project (at most 5,000 characters)")
        }
        if contact.trimmingCharacters(in: .whitespaces).isEmpty || contact.count > 200 { add("contact", "error.patronage.contact", "give a contact") }
        if endsOn < startsOn { add("endsOn", "error.patronage.dates", "ends before it starts") }
        if endsOn < today { add("endsOn", "error.patronage.past", "the project has ended") }
        return errors
    }
}

public protocol PatronageRepository: Sendable {
    /// Stores the request unless its submission token was seen; returns the stored request either way.
    func submit(_ request: PatronageRequest) async throws -> PatronageRequest
    func requests(status: PatronageRequest.Status?) async throws -> [PatronageRequest]
    func request(id: Int64) async throws -> PatronageRequest?
    /// Records the decision once; false when the request was already decided.
    func decide(id: Int64, status: PatronageRequest.Status, on: CalendarDate, reason: String, activityID: ActivityID?) async throws -> Bool
    func setActivity(_ activityID: ActivityID, requestID: Int64) async throws
}

/// Writes the approved activity records through which public work counts toward the measures
/// (a published document, a month of service-point ratings, a granted patronage), in the name of
/// the programme office.
public struct ProgrammeOfficeRecorder: Sendable {
    public let activities: any ActivityRepository
    public let organisations: any OrganisationRepository
    public let clock: OfficeClock
    public static let officeName = "Koordynator Programu"

    public init(activities: any ActivityRepository, organisations: any OrganisationRepository, clock: OfficeClock) {
        self.activities = activities
        self.organisations = organisations
        self.clock = clock
    }

    func office() async throws -> OrganisationID {
        if let found = try await organisations.organisation(named: Self.officeName) { return found.id }
        do {
            return try await organisations.create(name: Self.officeName, kind: .cityOfficeUnit).id
        } catch DomainError.conflict {
            guard let found = try await organisations.organisation(named: Self.officeName) else { throw DomainError.notFound(Self.officeName) }
            return found.id
        }
    }

    /// Creates the record, approved unless `verdict` holds it for the coordinator's review
    /// (`BurstReview`), in which case it is submitted with the comment saying why.
    public func record(programmeSlug: String, task: String, kind: ActivityKind, title: String, on day: CalendarDate,
                       languages: [String] = [], participants: Int? = nil, by user: UserID?,
                       verdict: BurstReview.Verdict = .counts) async throws -> ActivityRecord {
        let input = ActivityInput(taskCode: task, kind: kind, title: String(title.prefix(300)), startDate: day,
                                  organisationID: try await office(), participants: participants, languages: languages)
        var record = try await activities.create(programmeSlug: programmeSlug, input: input, status: verdict.status, by: user, at: clock.now())
        if let comment = verdict.reviewComment {
            try await activities.update(id: record.id, input: record.input, status: verdict.status, reviewComment: comment, at: clock.now())
            record.reviewComment = comment
        }
        return record
    }

    /// Sets the record's number of participants (the month's ratings, the edition's nominations)
    /// and its status as `verdict` decided.
    public func setParticipants(_ participants: Int, of id: ActivityID,
                                verdict: BurstReview.Verdict = .counts) async throws {
        guard var record = try await activities.record(id: id) else { return }
        record.participants = participants
        try await activities.update(id: id, input: record.input, status: verdict.status, reviewComment: verdict.reviewComment, at: clock.now())
    }
}
