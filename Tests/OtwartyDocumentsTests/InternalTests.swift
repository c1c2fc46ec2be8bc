import Foundation
@testable import OtwartyDocuments
import Testing

@Suite("Internal helpers")
struct InternalTests {
    @Test(arguments: [
        ("pl-PL", "pl", nil, "PL", "pl-PL"),
        ("en", "en", nil, nil, "en"),
        ("sr_latn_rs", "sr", "Latn", "RS", "sr-Latn-RS"),
        ("es-419", "es", nil, "419", "es-419"),
    ] as [(String, String, String?, String?, String)])
    func languageTags(input: String, language: String, script: String?, country: String?, tag: String) throws {
        let parsed = try #require(LanguageTag(input))
        #expect(parsed.language == language)
        #expect(parsed.script == script)
        #expect(parsed.country == country)
        #expect(parsed.tag == tag)
    }

    @Test(arguments: ["", "1", "x", "-PL", "polski-jezyk"])
    func malformedLanguageTags(input: String) {
        #expect(LanguageTag(input) == nil)
    }

    @Test func calendarConversion() {
        #expect(UTCDateTime(Date(timeIntervalSince1970: 0)).iso8601 == "1970-01-01T00:00:00Z")
        #expect(UTCDateTime(Date(timeIntervalSince1970: 951_782_400)).iso8601 == "2000-02-29T00:00:00Z")
        #expect(UTCDateTime(Date(timeIntervalSince1970: -1)).iso8601 == "1969-12-31T23:59:59Z")
        #expect(UTCDateTime(Date(timeIntervalSince1970: 1_750_000_000.9)).iso8601 == "2025-06-15T15:06:40Z")
        #expect(UTCDateTime(Date.distantPast).iso8601 == "0001-01-01T00:00:00Z")
        #expect(UTCDateTime(Date.distantFuture).iso8601 == "4001-01-01T00:00:00Z")
        #expect(UTCDateTime(Date(timeIntervalSince1970: 1e15)).iso8601 == "9999-12-31T23:59:59Z")
    }

    @Test func calendarAgreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        var seconds: Int64 = -2_208_988_800 // 1900-01-01
        while seconds < 4_102_444_800 { // 2100-01-01
            let date = Date(timeIntervalSince1970: Double(seconds))
            let ours = UTCDateTime(date)
            let theirs = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            #expect([ours.year, ours.month, ours.day, ours.hour, ours.minute, ours.second]
                == [theirs.year, theirs.month, theirs.day, theirs.hour, theirs.minute, theirs.second])
            seconds += 86_400 * 37 + 3_607
        }
    }

    @Test func dosDateTime() {
        let value = UTCDateTime(Date(timeIntervalSince1970: 1_750_000_000)).dosDateTime
        #expect(value.date == UInt16((2025 - 1980) << 9 | 6 << 5 | 15))
        #expect(value.time == UInt16(15 << 11 | 6 << 5 | 20))
        #expect(UTCDateTime(Date(timeIntervalSince1970: 0)).dosDateTime.date == UInt16(1 << 5 | 1))
    }

    @Test func lengths() {
        #expect(Length.centimetres(17) == "17cm")
        #expect(Length.centimetres(5.6667) == "5.667cm")
        #expect(Length.centimetres(0.05) == "0.05cm")
        #expect(Length.centimetres(-1) == "1cm")
        #expect(Length.centimetres(.infinity) == "1cm")
    }
}
