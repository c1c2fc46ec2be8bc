import OtwartyCore

/// Whole numbers and money grouped the reader's way, without Foundation's formatters: the
/// report's annex prints hundreds of thousands of them, and a NumberFormatter per value would
/// take most of the report's time. Separators follow CLDR for the languages shipped: a
/// non-breaking space and a decimal comma in Polish, Ukrainian and Russian; comma and point in
/// English (`Money.DisplayStyle` does the writing).
struct FastNumbers: Sendable {
    let style: Money.DisplayStyle

    init(language: String) {
        style = language == "en" ? .english : .polish
    }

    func integer(_ value: Int64) -> String { style.integer(value) }

    func integer(_ value: Int) -> String { integer(Int64(value)) }

    /// 150050 grosze → `1500,50` / `1,500.50`.
    func money(_ grosze: Int64) -> String { Money(grosze: grosze).formatted(style) }
}
