/// Whole numbers and money grouped the reader's way, without Foundation's formatters: the
/// report's annex prints hundreds of thousands of them, and a NumberFormatter per value would
/// take most of the report's time. Separators follow CLDR for the languages shipped: a
/// non-breaking space and a decimal comma in Polish, Ukrainian and Russian; comma and point in English.
struct FastNumbers: Sendable {
    let group: String
    let decimal: String

    init(language: String) {
        if language == "en" {
            group = ","
            decimal = "."
        } else {
            group = "\u{00A0}"
            decimal = ","
        }
    }

    func integer(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        // Polish style leaves four-digit numbers ungrouped ("1500", "15 000").
        let groupFrom = group == "," ? 4 : 5
        var out = value < 0 ? "-" : ""
        if digits.count < groupFrom {
            out += digits
            return out
        }
        var count = digits.count
        for character in digits {
            out.append(character)
            count -= 1
            if count > 0 && count % 3 == 0 { out += group }
        }
        return out
    }

    func integer(_ value: Int) -> String { integer(Int64(value)) }

    /// 150050 grosze → `1500,50` / `1,500.50`.
    func money(_ grosze: Int64) -> String {
        let fraction = grosze.magnitude % 100
        let whole = integer(Int64(grosze.magnitude / 100))
        return (grosze < 0 ? "-" : "") + whole + decimal + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
