import Foundation
import OtwartyCore

/// The one settable clock of the test suites: tests move time by hand (`advance(by:)`, `set(to:)`)
/// and hand `office` to anything that takes the office clock (services, repositories; TestApp
/// passes `now` to `AppServices.open`). Starts on a whole second so timestamps stored as seconds
/// read back equal.
public final class TestClock: @unchecked Sendable {
    /// 2026-09-21T12:53:20Z: a Monday inside the programme's period, in the app tests' current year.
    public static let defaultStart = Date(timeIntervalSince1970: 1_790_000_000)

    private let lock = NSLock()
    private var current: Date
    /// The office's time zone the clock's `office` keeps days in.
    public let timeZone: TimeZone

    public init(_ start: Date = TestClock.defaultStart, timeZone: TimeZone = OfficeClock.defaultTimeZone) {
        current = start
        self.timeZone = timeZone
    }

    /// The moment the clock shows.
    public var now: Date { lock.withLock { current } }

    /// The clock as a function of no arguments, for what takes `now` as a closure.
    public var function: @Sendable () -> Date { { [self] in now } }

    /// The office clock reading this one.
    public var office: OfficeClock { OfficeClock(timeZone: timeZone, now: function) }

    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    public func set(to date: Date) { lock.withLock { current = date } }
}
