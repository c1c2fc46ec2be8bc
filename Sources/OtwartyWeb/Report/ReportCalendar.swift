import Foundation
import OtwartyCore

/// The programme office's calendar day: Kraków's, whatever the server's time zone.
enum OfficeCalendar {
    /// Cached per minute: public pages ask on every request, and building a calendar in a time
    /// zone costs more than serving a cached page.
    static func today(_ now: Date) -> CalendarDate {
        let minute = Int64(now.timeIntervalSince1970 / 60)
        if let hit = TodayCache.shared.get(minute) { return hit }
        let day = OfficeDay.today(now)
        TodayCache.shared.set(minute, day)
        return day
    }

    /// Whole days from `a` to `b` (negative when `b` is earlier).
    static func days(from a: CalendarDate, to b: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let x = calendar.date(from: DateComponents(year: a.year, month: a.month, day: a.day)),
              let y = calendar.date(from: DateComponents(year: b.year, month: b.month, day: b.day)) else { return 0 }
        return calendar.dateComponents([.day], from: x, to: y).day ?? 0
    }
}

final class TodayCache: @unchecked Sendable {
    static let shared = TodayCache()
    private let lock = NSLock()
    private var entry: (minute: Int64, day: CalendarDate)?
    func get(_ minute: Int64) -> CalendarDate? { lock.withLock { entry?.minute == minute ? entry?.day : nil } }
    func set(_ minute: Int64, _ day: CalendarDate) { lock.withLock { entry = (minute, day) } }
}

/// Builds the report calendar box: which report is current on `today`, its cut-off and deadline,
/// and the dated tasks whose deadline passed without an approved record on or before it.
struct ReportCalendarBuilder {
    let programme: Programme
    let language: String
    let localiser: Localiser
    let repositories: Repositories

    func t(_ key: String) -> String { localiser.text(key, language) }

    /// The report being prepared on `today`: the last finished year of the period (the first
    /// year's report before that one ends). nil when the period's last report is long past.
    static func currentYear(of programme: Programme, today: CalendarDate) -> Int? {
        let year = min(max(today.year - 1, programme.period.from), programme.period.to)
        if today.year - 1 > programme.period.to,
           let due = programme.reportDeadline(forYear: programme.period.to), today > due {
            return nil
        }
        return year
    }

    func build(today: CalendarDate) async throws -> ReportCalendarBox? {
        guard let year = Self.currentYear(of: programme, today: today),
              let due = programme.reportDeadline(forYear: year),
              let cutOff = CalendarDate(year: year, month: 12, day: 31) else { return nil }
        let format = Formatting(language: language)
        let days = OfficeCalendar.days(from: today, to: due)
        let remaining: String
        if days == 0 { remaining = t("calendar.today") } else if days > 0 {
            remaining = localiser.plural("calendar.days-left", count: days, language)
        } else {
            remaining = localiser.plural("calendar.days-late", count: -days, language)
        }
        let frozen = try await repositories.reportVersions.versions(programme: programme.slug, year: year).first
        var late: [ReportCalendarBox.LateTask] = []
        let dated = programme.tasks.filter { ($0.deadline.map { $0 < today }) ?? false }
        if !dated.isEmpty {
            let approved = try await repositories.activities.reportedActivities(programmeSlug: programme.slug, throughYear: today.year)
            let byTask = Dictionary(grouping: approved, by: \.taskCode)
            for task in dated {
                guard let deadline = task.deadline,
                      AnnualReportBuilder.deadlineStatus(of: task, year: deadline.year, approved: byTask[task.code] ?? []) == .overdue
                else { continue }
                late.append(.init(code: task.code, title: task.title, deadline: format.date(deadline),
                                  href: SiteURL.task(slug: programme.slug, code: task.code).path(language)))
            }
        }
        return ReportCalendarBox(
            year: year, cutOff: format.date(cutOff), dueOn: format.date(due), remaining: remaining,
            isOverdue: days < 0 && frozen == nil,
            frozen: frozen.map { "\(t("report.edition.version")) \($0.number) — \(format.timestamp($0.frozenAt))" },
            reportsHref: SiteURL.reports.path(language), lateTasks: late, hasLateTasks: !late.isEmpty)
    }
}
