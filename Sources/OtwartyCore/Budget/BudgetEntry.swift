import Foundation

/// Money planned and spent on one task in one year from one funding source of the programme
/// (§ 5 of Kraków's resolution lists them). Amounts are in grosze so sums are exact.
///
/// A source is named by its 1-based position in `Programme.financingSources`: the resolution
/// numbers its sources, and the position is what a unit can type into a spreadsheet.
public struct BudgetEntry: Hashable, Sendable {
    public var programmeSlug: String
    public var year: Int
    public var taskCode: String
    /// 1-based position in `Programme.financingSources`.
    public var source: Int
    public var plannedGrosze: Int64
    /// nil until the year's spending is known.
    public var spentGrosze: Int64?
    public var note: String
    public var updatedAt: Date
    public var updatedBy: UserID?

    public init(programmeSlug: String, year: Int, taskCode: String, source: Int, plannedGrosze: Int64,
                spentGrosze: Int64?, note: String = "", updatedAt: Date = Date(timeIntervalSince1970: 0),
                updatedBy: UserID? = nil) {
        self.programmeSlug = programmeSlug
        self.year = year
        self.taskCode = taskCode
        self.source = source
        self.plannedGrosze = plannedGrosze
        self.spentGrosze = spentGrosze
        self.note = note
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public static let maxNoteLength = 500

    /// What is wrong with the entry against `programme`, each problem naming its field.
    public func problems(in programme: Programme) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        if !programme.period.years.contains(year) {
            add("year", "error.budget.year", "\(year) is outside the programme's period \(programme.period.from)–\(programme.period.to)")
        }
        if programme.task(code: taskCode) == nil {
            add("task", "error.budget.task", "\"\(taskCode)\" is not a task of the programme")
        }
        if !(1...max(programme.financingSources.count, 1)).contains(source) || programme.financingSources.isEmpty {
            add("source", "error.budget.source",
                "\(source) is not a funding source of the programme (1–\(programme.financingSources.count))")
        }
        for (field, grosze) in [("planned", plannedGrosze), ("spent", spentGrosze)] {
            guard let grosze else { continue }
            if grosze < 0 { add(field, "error.budget.amount", "must not be negative") }
            if grosze > Money.maxAmount.grosze {
                add(field, "error.budget.amount", "must be at most \(Money.maxAmount.grosze / 100) PLN")
            }
        }
        if note.count > Self.maxNoteLength {
            add("note", "error.budget.note", "must be at most \(Self.maxNoteLength) characters")
        }
        return errors
    }
}
