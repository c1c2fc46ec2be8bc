/// Formats lengths for ODF attributes.
///
/// `String(format:)` and `description` may switch to exponent notation or depend on locale;
/// ODF needs plain decimals like `12.5cm`, so the value is formatted from an integer count
/// of thousandths.
enum Length {
    /// E.g. `centimetres(16)` is `"16cm"`, `centimetres(5.6667)` is `"5.667cm"`.
    /// Non-finite or non-positive input yields `fallback`; huge values are capped at 1000 cm.
    static func centimetres(_ value: Double, fallback: Double = 1) -> String {
        var value = value
        if !value.isFinite || value <= 0 { value = fallback }
        value = min(value, 1_000)
        let thousandths = Int((value * 1_000).rounded())
        var text = String(thousandths / 1_000)
        var fraction = thousandths % 1_000
        if fraction > 0 {
            var digits = ""
            var divisor = 100
            while fraction > 0 {
                digits.append(Character(String(fraction / divisor)))
                fraction %= divisor
                divisor /= 10
            }
            text += "." + digits
        }
        return text + "cm"
    }
}
