import Foundation
import OtwartyCore
import OtwartyTestSupport
import Testing

/// The office's day, year and midnight come from its zone, not the process's.
@Suite struct OfficeClockCoreTests {
    static let warsaw = TimeZone(identifier: "Europe/Warsaw")!

    @Test func theDayAndYearAreTheOffices() {
        let newYear = Date(timeIntervalSince1970: 1_798_759_800) // 2026-12-31T23:30:00Z
        let clock = OfficeClock(timeZone: Self.warsaw, now: { newYear })
        #expect(clock.today == CalendarDate(year: 2027, month: 1, day: 1))
        #expect(clock.year == 2027)
        #expect(clock.now() == newYear)
        let utc = OfficeClock(timeZone: TimeZone(identifier: "UTC")!, now: { newYear })
        #expect(utc.today == CalendarDate(year: 2026, month: 12, day: 31))
    }

    @Test func midnightIsTheOfficesMidnight() throws {
        let clock = OfficeClock(timeZone: Self.warsaw)
        // Winter (UTC+1) and summer (UTC+2).
        #expect(clock.start(of: try #require(CalendarDate(year: 2027, month: 1, day: 1))) == Date(timeIntervalSince1970: 1_798_758_000))
        #expect(clock.start(of: try #require(CalendarDate(year: 2026, month: 7, day: 1))) == Date(timeIntervalSince1970: 1_782_856_800))
        let lateEvening = Date(timeIntervalSince1970: 1_782_936_000) // 2026-07-01T20:00:00Z, 22:00 in Kraków
        #expect(clock.startOfDay(containing: lateEvening) == Date(timeIntervalSince1970: 1_782_856_800))
    }

    /// The day is remembered for the minute it was asked in; the next minute asks again.
    @Test func aMovingClockGivesTheNewDay() {
        let time = TestClock(Date(timeIntervalSince1970: 1_798_758_000 - 30)) // 23:59:30 on 31 December in Kraków
        let clock = time.office
        #expect(clock.today == CalendarDate(year: 2026, month: 12, day: 31))
        time.advance(by: 60)
        #expect(clock.today == CalendarDate(year: 2027, month: 1, day: 1))
    }

    @Test func daysBetweenCalendarDates() throws {
        let a = try #require(CalendarDate(year: 2027, month: 2, day: 27))
        let b = try #require(CalendarDate(year: 2027, month: 4, day: 30))
        #expect(a.days(to: b) == 62)
        #expect(b.days(to: a) == -62)
        #expect(a.days(to: a) == 0)
    }

    @Test func namesOfTheTimeZoneDatabaseAreTaken() {
        #expect(OfficeClock.timeZone(named: "Europe/Warsaw")?.identifier == "Europe/Warsaw")
        #expect(OfficeClock.timeZone(named: "UTC")?.secondsFromGMT() == 0)
        #expect(OfficeClock.timeZone(named: "europe/warsaw") == nil)
        #expect(OfficeClock.timeZone(named: "Europe/Krakow") == nil)
        #expect(OfficeClock.timeZone(named: "") == nil)
    }
}
