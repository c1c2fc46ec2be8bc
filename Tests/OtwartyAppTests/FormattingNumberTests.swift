import Foundation
@testable import OtwartyWeb
import Testing

/// `Formatting.number` keeps one formatter per language and number of decimals: its answers must be
/// exactly those of a formatter made for the call, in every language we ship, also when many
/// requests format at once.
@Suite struct FormattingNumberTests {
    static let values: [Double] = [0, 1, -1, 0.5, 2.5, 3.14159, 999, 1234, 12_345.678, 1_000_000, -98_765.4321, 0.005, 1e12]

    static func fresh(_ value: Double, _ formatting: Formatting, _ digits: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = formatting.locale
        formatter.numberStyle = .decimal
        formatter.minimumFractionDigits = 0
        formatter.maximumFractionDigits = digits
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    @Test(arguments: ["pl", "en", "uk", "ru"])
    func theSameAsAFormatterMadeForTheCall(language: String) {
        let formatting = Formatting(language: language)
        for digits in 0...3 {
            for value in Self.values {
                #expect(formatting.number(value, maxFractionDigits: digits) == Self.fresh(value, formatting, digits),
                        "\(language), \(digits) decimals, \(value)")
            }
        }
    }

    @Test func manyAtOnce() async {
        let expected = Dictionary(uniqueKeysWithValues: ["pl", "en", "uk", "ru"].map { ($0, Self.fresh(12_345.678, Formatting(language: $0), 1)) })
        let answers = await withTaskGroup(of: (String, String).self) { group in
            for index in 0..<400 {
                let language = ["pl", "en", "uk", "ru"][index % 4]
                group.addTask { (language, Formatting(language: language).number(12_345.678, maxFractionDigits: 1)) }
            }
            return await group.reduce(into: [(String, String)]()) { $0.append($1) }
        }
        #expect(answers.count == 400)
        for (language, text) in answers { #expect(text == expected[language], "\(language)") }
    }
}
