import Foundation

/// The programme office's clock: the moment now, and the office's calendar day in the office's
/// time zone (Europe/Warsaw unless `OTWARTY_TIME_ZONE` names another), whatever the server's own
/// zone is. The bootstrap makes one and hands it to every service and to the web layer; "today",
/// "this year" and "midnight at the office" are asked of it and of nothing else. Tests hand in
/// one that reads a clock they move by hand.
public struct OfficeClock: Sendable {
    /// The zone the programme office keeps its days in when nothing is configured (Kraków).
    public static let defaultTimeZoneIdentifier = "Europe/Warsaw"
    /// Europe/Warsaw; the process's own zone only on a machine without time zone data, which the
    /// configuration refuses at start (`OfficeClock.timeZone(named:)`).
    public static let defaultTimeZone = TimeZone(identifier: defaultTimeZoneIdentifier) ?? .current

    /// The office's time zone: days, years and the times people read are in it.
    public let timeZone: TimeZone
    private let calendar: Calendar
    private let currentTime: @Sendable () -> Date
    private let lastDay = DayMemo()

    /// A clock in `timeZone` reading `now` (the system clock unless a test passes its own).
    public init(timeZone: TimeZone = OfficeClock.defaultTimeZone, now: @escaping @Sendable () -> Date = Date.init) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.currentTime = now
    }

    /// The zone with this name of the tz database (`Europe/Warsaw`, `UTC`), or nil when the
    /// machine does not know it (a misspelling, a city that is not a zone, no tzdata installed).
    public static func timeZone(named identifier: String) -> TimeZone? {
        TimeZone(identifier: identifier)
    }

    /// The moment now.
    public func now() -> Date { currentTime() }

    /// The office's calendar day now.
    public var today: CalendarDate { day(of: currentTime()) }

    /// The office's year now (a few hours after UTC's around New Year in Kraków).
    public var year: Int { today.year }

    /// The office's calendar day at `moment`.
    public func day(of moment: Date) -> CalendarDate {
        // Public pages ask on every request, and working out a day in a time zone costs more
        // than serving a cached page: the answer is kept for the minute it was asked in.
        let minute = Int64((moment.timeIntervalSince1970 / 60).rounded(.down))
        if let day = lastDay.day(at: minute) { return day }
        let c = calendar.dateComponents([.year, .month, .day], from: moment)
        let day = CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
            ?? CalendarDate(year: 1970, month: 1, day: 1)!
        lastDay.keep(day, at: minute)
        return day
    }

    /// Midnight at the start of `day` at the office: the time stored for acts whose second must
    /// not be kept (anonymous incident reports).
    public func start(of day: CalendarDate) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// Midnight at the start of the office day `moment` falls in.
    public func startOfDay(containing moment: Date) -> Date { start(of: day(of: moment)) }
}

/// The last minute a clock was asked about and the day it fell in.
private final class DayMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var minute: Int64?
    private var value: CalendarDate?

    func day(at minute: Int64) -> CalendarDate? { lock.withLock { self.minute == minute ? value : nil } }
    func keep(_ day: CalendarDate, at minute: Int64) { lock.withLock { self.minute = minute; value = day } }
}
