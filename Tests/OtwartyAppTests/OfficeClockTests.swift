import Foundation
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import Testing

/// "Today at the office" is the office clock's, in the office's zone, wherever the server runs.
@Suite struct OfficeClockTests {
    /// 2026-12-31T23:30:00Z: still 2026 in UTC, already 00:30 on 1 January 2027 in Kraków.
    static let newYearsEveUTC = Date(timeIntervalSince1970: 1_798_759_800)

    /// The dashboard shows the current year of the programme's period by default
    /// (`min(max(office year, first year), last year)`): at half past midnight on New Year's Day
    /// in Kraków that is 2027, also on a server whose own zone is UTC, where it was 2026.
    @Test func theDashboardsDefaultYearTurnsAtMidnightInKrakow() async throws {
        try await TestApp.withApp { app, client in
            app.clock.set(to: Self.newYearsEveUTC)
            let viewer = try await app.signedIn(.viewer)
            let page = try await client.execute(uri: "/en/dashboard", method: .get, headers: viewer.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Results for 2027</h1>"), "the office year, not the server's")
            #expect(page.text.contains("<span aria-current=\"page\"><strong>2027</strong></span>"))

            app.clock.advance(by: -3_600) // 23:30 on 31 December in Kraków
            let before = try await client.execute(uri: "/en/dashboard", method: .get, headers: viewer.cookie)
            #expect(before.text.contains("<h1>Results for 2026</h1>"))
        }
    }

    /// `OTWARTY_TIME_ZONE` moves the office's day: on Kiritimati (UTC+14) New Year comes at
    /// 10:00 UTC on 31 December, while it is still 2026 in Kraków and in UTC.
    @Test func aConfiguredZoneDecidesTheYear() async throws {
        try await TestApp.withApp(configure: { $0.timeZone = try! #require(OfficeClock.timeZone(named: "Pacific/Kiritimati")) }) { app, client in
            app.clock.set(to: Date(timeIntervalSince1970: 1_798_713_000)) // 2026-12-31T10:30:00Z
            let viewer = try await app.signedIn(.viewer)
            #expect(app.services.clock.today == CalendarDate(year: 2027, month: 1, day: 1))
            let page = try await client.execute(uri: "/en/dashboard", method: .get, headers: viewer.cookie)
            #expect(page.text.contains("<h1>Results for 2027</h1>"))
        }
    }

    /// A name of the tz database; anything else stops the app at start (exit 78) naming the variable.
    @Test func theTimeZoneIsConfiguredByName() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).timeZone.identifier == "Europe/Warsaw")
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_TIME_ZONE": "America/New_York"]).timeZone.identifier == "America/New_York")
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_TIME_ZONE": "UTC"]).timeZone.secondsFromGMT() == 0)
        for bad in ["Europe/Krakow", "Mars/Olympus_Mons", "warsaw", "+01:00"] {
            let error = #expect(throws: AppConfiguration.Invalid.self, "\(bad)") {
                try AppConfiguration.fromEnvironment(["OTWARTY_TIME_ZONE": bad])
            }
            #expect(error?.description.hasPrefix("OTWARTY_TIME_ZONE=\"\(bad)\" is not valid: expected a time zone name") == true)
        }
    }
}
