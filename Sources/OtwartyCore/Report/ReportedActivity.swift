/// What the annual report needs of an approved record: the annex's columns and what decides
/// deadline statuses. A report on a busy year lists hundreds of thousands of records, so storage
/// reads only these columns (`ActivityRepository.reportedActivities`).
public struct ReportedActivity: Hashable, Sendable {
    public var id: ActivityID
    public var taskCode: String
    public var title: String
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var organisationID: OrganisationID
    public var district: District?
    public var participants: Int?
    public var amountGrosze: Int64?

    public init(id: ActivityID, taskCode: String, title: String, startDate: CalendarDate, endDate: CalendarDate?,
                organisationID: OrganisationID, district: District?, participants: Int?, amountGrosze: Int64?) {
        self.id = id
        self.taskCode = taskCode
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
        self.organisationID = organisationID
        self.district = district
        self.participants = participants
        self.amountGrosze = amountGrosze
    }

    public init(_ record: ActivityRecord) {
        self.init(id: record.id, taskCode: record.taskCode, title: record.title, startDate: record.startDate,
                  endDate: record.endDate, organisationID: record.organisationID, district: record.district,
                  participants: record.participants, amountGrosze: record.amountGrosze)
    }

    public var year: Int { startDate.year }
}
