import Foundation

/// A calendar date and time in UTC, computed with integer arithmetic only.
///
/// `DateFormatter`, `Calendar` and C's `gmtime` bring locale, time-zone or thread-safety
/// concerns (glibc's `gmtime` shares one static result buffer between threads); the output
/// must be byte-identical for the same `Date`, so the proleptic Gregorian conversion is done here.
struct UTCDateTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// Earliest and latest instants that `xsd:dateTime` with a four-digit year can express.
    private static let earliest: Int64 = -62_135_596_800 // 0001-01-01T00:00:00Z
    private static let latest: Int64 = 253_402_300_799 // 9999-12-31T23:59:59Z

    /// Whole seconds (rounded down) are used; out-of-range or non-finite dates are clamped so
    /// a strange input can never trap.
    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds: Int64
        if !interval.isFinite {
            seconds = 0
        } else if interval <= Double(Self.earliest) {
            seconds = Self.earliest
        } else if interval >= Double(Self.latest) {
            seconds = Self.latest
        } else {
            seconds = Int64(interval.rounded(.down))
        }
        self.init(secondsSince1970: seconds)
    }

    init(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
        second = secondOfDay % 60
        (year, month, day) = Self.civilDate(daysSince1970: Int(days))
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Converts a day count to a Gregorian date by working in 400-year cycles that start on
    /// 1 March, which puts the leap day at the end of each year and keeps the formula simple.
    private static func civilDate(daysSince1970 days: Int) -> (Int, Int, Int) {
        let shifted = days + 719_468 // days from 0000-03-01 to 1970-01-01
        let cycle = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfCycle = shifted - cycle * 146_097
        let yearOfCycle = (dayOfCycle - dayOfCycle / 1_460 + dayOfCycle / 36_524
            - dayOfCycle / 146_096) / 365
        let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        let year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, as used by `meta:creation-date` and `dc:date`.
    var iso8601: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))Z"
    }

    /// MS-DOS date and time for zip headers. The format covers 1980–2107 with two-second
    /// resolution, so earlier or later dates are pinned to the nearest representable value.
    var dosDateTime: (date: UInt16, time: UInt16) {
        var value = self
        if year < 1980 {
            value = UTCDateTime(year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        } else if year > 2107 {
            value = UTCDateTime(year: 2107, month: 12, day: 31, hour: 23, minute: 59, second: 58)
        }
        let date = (value.year - 1980) << 9 | value.month << 5 | value.day
        let time = value.hour << 11 | value.minute << 5 | value.second / 2
        return (UInt16(truncatingIfNeeded: date), UInt16(truncatingIfNeeded: time))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
