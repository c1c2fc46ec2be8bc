import Foundation
import OtwartyCore
import Testing

/// The one parser for numbers from outside (issue 10, item 1).
@Suite struct BoundedNumberTests {
    @Test(arguments: [
        ("1", 1), ("10000", 10_000), ("  42 ", 42), ("007", 7), ("0000000000000000000000000000001", 1),
    ] as [(String, Int64)])
    func acceptsPlainDigitsInRange(text: String, value: Int64) {
        #expect(NumberRange.page.parse(text) == .success(value))
    }

    @Test(arguments: [
        "abc", "1e3", "1e999", "0x10", "+1", "1.5", "1,5", "1_000", "1 000", "٣", "١٢", "２", "Ⅻ", "NaN", "-", "--1", "1-",
        "\u{0}1", "1\u{0}", "\t1", "1\n", "¹",
    ])
    func refusesEverythingButASCIIDigits(text: String) {
        #expect(NumberRange.count.parse(text) == .failure(.notANumber), "\(text.debugDescription)")
    }

    @Test(arguments: ["0", "10001", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                      "99999999999999999999999999999"])
    func refusesOutOfRange(text: String) {
        #expect(NumberRange.page.parse(text) == .failure(.outOfRange))
    }

    @Test func emptyIsItsOwnCase() {
        #expect(NumberRange.page.parse("") == .failure(.empty))
        #expect(NumberRange.page.parse("   ") == .failure(.empty))
        var errors: [FieldError] = []
        #expect(NumberRange.page.optional("", field: "page", errors: &errors) == nil && errors.isEmpty)
        #expect(NumberRange.page.optional(nil, field: "page", errors: &errors) == nil && errors.isEmpty)
        #expect(NumberRange.page.required("", field: "page", errors: &errors) == nil)
        #expect(errors.map(\.field) == ["page"] && errors[0].message.contains("1") && errors[0].message.contains("10000"))
    }

    @Test func theWholeInt64RangeAndNegativesWhereAllowed() {
        #expect(NumberRange.id.parse("9223372036854775807") == .success(Int64.max))
        #expect(NumberRange.id.parse("9223372036854775808") == .failure(.outOfRange))
        #expect(NumberRange.id.parse("0") == .failure(.outOfRange))
        let signed = NumberRange(-5...5)
        #expect(signed.parse("-5") == .success(-5))
        #expect(signed.parse("-6") == .failure(.outOfRange))
        #expect(NumberRange.count.parse("-0") == .success(0))
        #expect(NumberRange(Int64.min + 1...0).parse("-9223372036854775807") == .success(Int64.min + 1))
        #expect(NumberRange(Int64.min + 1...0).parse("-9223372036854775808") == .failure(.outOfRange))
    }

    @Test func aHundredKilobytesIsReadNoFurtherThanNeeded() {
        let digits = String(repeating: "9", count: 100_000)
        #expect(NumberRange.count.parse(digits) == .failure(.outOfRange))
        #expect(NumberRange.count.parse(digits + "x") == .failure(.outOfRange))
        #expect(NumberRange.count.parse(String(repeating: "a", count: 100_000)) == .failure(.notANumber))
        #expect(NumberRange.count.parse(String(repeating: " ", count: 100_000) + "5") == .success(5))
    }

    @Test func everyRangeLeavesRoomForItsArithmetic() {
        // The arithmetic done on each: (page − 1) × 50, amount sums, year ± 1.
        let page = NumberRange.page.bounds.upperBound
        #expect(!(page - 1).multipliedReportingOverflow(by: 50).overflow)
        #expect(NumberRange.amountGrosze.bounds.upperBound == Money.maxAmount.grosze)
        #expect(NumberRange.year.bounds == 1900...2200)
        #expect(NumberRange.limit.bounds.upperBound + NumberRange.offset.bounds.upperBound < Int64(Int32.max))
        // A sum of 90 million records at the largest amount still fits.
        #expect(!ActivityInput.maxAmountGrosze.multipliedReportingOverflow(by: 90_000_000).overflow)
        #expect(!NumberRange.count.bounds.upperBound.multipliedReportingOverflow(by: 9_000_000_000).overflow)
    }

    @Test func activityInputsAreBoundedAboveAsWellAsBelow() throws {
        let programme = try EmbeddedProgrammes.krakow()
        func problems(_ change: (inout ActivityInput) -> Void) -> [String] {
            var input = ActivityInput(taskCode: "4.1", kind: .event, title: "Spotkanie", startDate: CalendarDate(iso: "2025-05-01")!,
                                      organisationID: 1)
            change(&input)
            return input.problems(in: programme).map(\.field)
        }
        #expect(problems { $0.participants = 1_000_000_000 }.isEmpty)
        #expect(problems { $0.participants = 1_000_000_001 } == ["participants"])
        #expect(problems { $0.beneficiaries = Int.max } == ["beneficiaries"])
        #expect(problems { $0.amountGrosze = ActivityInput.maxAmountGrosze }.isEmpty)
        #expect(problems { $0.amountGrosze = ActivityInput.maxAmountGrosze + 1 } == ["amount"])
        #expect(problems { $0.amountGrosze = -1 } == ["amount"])
    }
}
