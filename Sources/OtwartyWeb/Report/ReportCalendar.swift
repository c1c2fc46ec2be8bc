import Foundation
import OtwartyCore

/// Builds the report calendar box: which report is current on `today`, its cut-off and deadline,
/// and the dated tasks whose deadline passed with products not yet delivered.
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

    /// The box as it stands on the office's `clock` today.
    func build(clock: OfficeClock) async throws -> ReportCalendarBox? {
        let today = clock.today
        guard let year = Self.currentYear(of: programme, today: today),
              let due = programme.reportDeadline(forYear: year),
              let cutOff = CalendarDate(year: year, month: 12, day: 31) else { return nil }
        let format = Formatting(language: language)
        let days = today.days(to: due)
        let remaining: String
        if days == 0 { remaining = t("calendar.today") } else if days > 0 {
            remaining = localiser.plural("calendar.days-left", count: days, language)
        } else {
            remaining = localiser.plural("calendar.days-late", count: -days, language)
        }
        let frozen = try await repositories.reportVersions.versions(programme: programme.slug, year: year).first
        var late: [ReportCalendarBox.LateTask] = []
        // A task is late once its deadline day is over and not all its products are delivered
        // (`TaskDelivery`). Only the product rows are read (a few dozen), never the records: the
        // record scan this replaced took 7.6 s per dashboard view at a million records (issue 15).
        let dated = programme.tasks.filter { ($0.deadline.map { $0 < today }) ?? false }
        if !dated.isEmpty {
            let products = try await repositories.products.products(programmeSlug: programme.slug)
            for task in dated {
                guard let deadline = task.deadline,
                      TaskDelivery.status(of: task, endOf: today, products: products) == .overdue
                else { continue }
                late.append(.init(code: task.code, title: task.title, deadline: format.date(deadline),
                                  href: SiteURL.task(slug: programme.slug, code: task.code).path(language)))
            }
        }
        return ReportCalendarBox(
            year: year, cutOff: format.date(cutOff), dueOn: format.date(due), remaining: remaining,
            isOverdue: days < 0 && frozen == nil,
            frozen: frozen.map { "\(t("report.edition.version")) \($0.number) — \(format.timestamp($0.frozenAt, in: clock))" },
            // The year's own section of the reports page: on the dashboard a way there, on the
            // reports page a jump down to it (the bare reports address was the page itself).
            reportsHref: SiteURL.reports.path(language, fragment: "year-\(year)"),
            reportsLabel: t("calendar.open-year-report").replacingOccurrences(of: "{year}", with: String(year)),
            lateTasks: late, hasLateTasks: !late.isEmpty)
    }
}
