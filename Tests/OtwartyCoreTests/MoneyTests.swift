import Testing
@testable import OtwartyCore

@Suite("Money: one type in grosze, one parser, one formatter")
struct MoneyTests {
    // MARK: Reading

    @Test(arguments: [
        ("1500", Int64(150_000)), ("1 500", 150_000), ("1 500,50", 150_050), ("1500,5", 150_050),
        ("1500.50", 150_050), ("1500.50 zł", 150_050), ("1 500 zł", 150_000), ("1500zł", 150_000),
        ("1500 ZŁ", 150_000), ("PLN 1500", 150_000), ("pln1500", 150_000), ("1500 PLN", 150_000),
        ("1\u{00A0}500,50", 150_050), ("1\u{202F}500,50", 150_050), ("15\u{00A0}000\u{00A0}000", 1_500_000_000),
        ("  1 500,50  ", 150_050), ("\t1500\t", 150_000), ("1\u{00A0}500,50\u{00A0}zł", 150_050),
        ("0", 0), ("0,01", 1), ("0.1", 10), ("007", 700), ("1 000 000 000", 100_000_000_000),
        ("1000000000.00", 100_000_000_000),
    ])
    func typedForms(text: String, grosze: Int64) {
        #expect(Money.parse(text) == .success(Money(grosze: grosze)), "\(text)")
        // What plain writes, parse reads back in both forms.
        #expect(Money.parse(Money(grosze: grosze).plain) == .success(Money(grosze: grosze)))
        #expect(Money.parse(Money(grosze: grosze).plain, forms: .plain) == .success(Money(grosze: grosze)))
    }

    @Test(arguments: [
        // Empty, or only a currency.
        ("", Money.ParseError.empty), ("   ", .empty), ("zł", .empty), ("PLN", .empty), ("\u{00A0}", .empty),
        // Not amounts.
        ("abc", .notAnAmount), ("1e3", .notAnAmount), ("1E3", .notAnAmount), ("+5", .notAnAmount),
        ("0x10", .notAnAmount), ("1_000", .notAnAmount), ("１２", .notAnAmount), ("١٢", .notAnAmount),
        (".5", .notAnAmount), (",5", .notAnAmount), ("15.", .notAnAmount), ("15,", .notAnAmount),
        ("-", .notAnAmount), ("- 5", .notAnAmount), ("1 500 EUR", .notAnAmount), ("€ 1500", .notAnAmount),
        ("zł 1500", .notAnAmount), ("1500 zł zł", .notAnAmount), ("1500 PLN zł", .notAnAmount),
        // Grouping must be by threes, with spaces only, before the decimals.
        ("1 5000", .notAnAmount), ("1500 000", .notAnAmount), ("15 00", .notAnAmount), ("1  500", .notAnAmount),
        ("1\t500", .notAnAmount), ("1 500, 50", .notAnAmount), ("1 500,5 0", .notAnAmount), ("1 500 ,50", .notAnAmount),
        // Mixed or repeated separators are ambiguous: refused.
        ("1,500.50", .notAnAmount), ("1.500,50", .notAnAmount), ("1.500.000", .notAnAmount), ("1,500,000", .notAnAmount),
        ("1,5,0", .notAnAmount),
        // Three decimals, including the thousands-separator reading of "1.500" and "1,500".
        ("12.345", .tooManyDecimals), ("1.500", .tooManyDecimals), ("1,500", .tooManyDecimals), ("0,001", .tooManyDecimals),
        // Negative where the field takes none.
        ("-5", .negative), ("-5,50", .negative), ("-1 500 zł", .negative), ("-0", .negative),
        // Too large.
        ("1000000000.01", .tooLarge), ("1 000 000 000,01", .tooLarge), ("1000000001", .tooLarge),
        ("12345678901234", .tooLarge), ("99999999999999999999.99", .tooLarge), ("92233720368547758.08", .tooLarge),
        ("9223372036854775807", .tooLarge), ("99999999999999999999999999999999999999999999999999", .tooLarge),
    ])
    func refused(text: String, error: Money.ParseError) {
        #expect(Money.parse(text) == .failure(error), "\(text)")
    }

    @Test func thePlainFormIsOnlyDigitsAndAPoint() {
        #expect(Money.parse("1500.5", forms: .plain) == .success(Money(grosze: 150_050)))
        for text in ["1 500", "1500,50", "1500 zł", "PLN 1500", "1\u{00A0}500"] {
            #expect(Money.parse(text, forms: .plain) == .failure(.notAnAmount), "\(text)")
        }
    }

    @Test func negativesWhereTheFieldAllowsThem() {
        #expect(Money.parse("-1 500,50", allowsNegative: true) == .success(Money(grosze: -150_050)))
        #expect(Money.parse("-1000000000.00", allowsNegative: true) == .success(Money(grosze: -100_000_000_000)))
        #expect(Money.parse("-1000000000.01", allowsNegative: true) == .failure(.tooLarge))
        #expect(Money.parse("--5", allowsNegative: true) == .failure(.notAnAmount))
    }

    @Test func longTextIsNotReadToItsEnd() {
        #expect(Money.parse(String(repeating: "9", count: 100_000)) == .failure(.tooLarge))
        #expect(Money.parse(String(repeating: "x", count: 100_000)) == .failure(.notAnAmount))
        #expect(Money.parse("1" + String(repeating: " 000", count: 30)) == .failure(.tooLarge))
    }

    @Test func bytesAndTextAreReadAlike() {
        for text in ["1 500,50", "1\u{202F}500 zł", "abc", "-5", "12.345", ""] {
            var copy = text
            let fromBytes = copy.withUTF8 { Money.parse(utf8: $0) }
            #expect(fromBytes == Money.parse(text), "\(text)")
        }
    }

    @Test func messagesNameTheText() {
        #expect(Money.ParseError.tooManyDecimals.message(shown: "\"12.345\"").hasPrefix("\"12.345\" has more than 2 decimal places"))
        #expect(Money.ParseError.negative.message(shown: "\"-5\"") == "\"-5\": the amount cannot be negative")
        #expect(Money.ParseError.tooLarge.message(shown: "\"x\"") == "\"x\" is too large (at most 1000000000 PLN)")
        #expect(Money.ParseError.notAnAmount.message(shown: "\"a\"", forms: .plain) == "\"a\" is not an amount in PLN (e.g. 1500 or 1500.50)")
        var errors: [FieldError] = []
        #expect(Money.optional("", field: "spent", messageKey: "error.budget.amount", errors: &errors) == nil)
        #expect(errors.isEmpty)
        #expect(Money.optional("1,500.50", field: "spent", messageKey: "error.budget.amount", errors: &errors) == nil)
        #expect(Money.required("", field: "planned", messageKey: "error.budget.amount", errors: &errors) == nil)
        #expect(errors.map(\.field) == ["spent", "planned"])
        #expect(errors[0].message.hasPrefix("\"1,500.50\" is not an amount in PLN"))
        #expect(errors.allSatisfy { $0.messageKey == "error.budget.amount" })
    }

    // MARK: Bounds and sums

    @Test func boundIsTheAmountRange() {
        #expect(Money.maxAmount.grosze == 100_000_000_000)
        #expect(Money.maxAmount.grosze == NumberRange.amountGrosze.bounds.upperBound)
        #expect(Money.parse(Money.maxAmount.plain) == .success(.maxAmount))
        #expect(Money.parse(Money(grosze: Money.maxAmount.grosze + 1).plain) == .failure(.tooLarge))
    }

    @Test func sumsAreCheckedNeverTrap() {
        #expect(Money.sum([Money(grosze: 1), Money(grosze: 2)]) == Money(grosze: 3))
        #expect(Money.sum([Money]()) == .zero)
        #expect(Money(grosze: .max).adding(Money(grosze: 1)) == nil)
        #expect(Money(grosze: .min).adding(Money(grosze: -1)) == nil)
        #expect(Money.sum(grosze: [Int64.max - 1, 1]) == .max)
        #expect(Money.sum(grosze: [Int64.max, 1]) == nil)
        // 90 million amounts at the bound still add up.
        #expect(Money.sum(grosze: repeatElement(Money.maxAmount.grosze, count: 1_000)) == Money.maxAmount.grosze * 1_000)
        #expect(!Money.maxAmount.grosze.multipliedReportingOverflow(by: 90_000_000).overflow)
        #expect(Money(grosze: 5) < Money(grosze: 6) && [Money(grosze: 2), .zero].max() == Money(grosze: 2))
    }

    // MARK: Writing

    @Test(arguments: [
        (Int64(0), "0.00", "0,00", "0.00"), (7, "0.07", "0,07", "0.07"), (-150, "-1.50", "-1,50", "-1.50"),
        (150_050, "1500.50", "1500,50", "1,500.50"), (1_500_000, "15000.00", "15\u{00A0}000,00", "15,000.00"),
        (100_000_000_000, "1000000000.00", "1\u{00A0}000\u{00A0}000\u{00A0}000,00", "1,000,000,000.00"),
        (Int64.min, "-92233720368547758.08", "-92\u{00A0}233\u{00A0}720\u{00A0}368\u{00A0}547\u{00A0}758,08",
         "-92,233,720,368,547,758.08"),
    ])
    func formats(grosze: Int64, plain: String, polish: String, english: String) {
        let money = Money(grosze: grosze)
        #expect(money.plain == plain)
        #expect(money.description == plain)
        #expect(money.formatted(.polish) == polish)
        #expect(money.formatted(.english) == english)
    }

    @Test func integersGroupAsAmountsDo() {
        #expect(Money.DisplayStyle.polish.integer(1500) == "1500")
        #expect(Money.DisplayStyle.polish.integer(15000) == "15\u{00A0}000")
        #expect(Money.DisplayStyle.polish.integer(-1_234_567) == "-1\u{00A0}234\u{00A0}567")
        #expect(Money.DisplayStyle.english.integer(1500) == "1,500")
        #expect(Money.DisplayStyle.english.integer(999) == "999")
    }
}
