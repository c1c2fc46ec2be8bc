import Foundation
import OtwartyCore

/// Numbers and dates in the reader's language: "4,2" in Polish and Ukrainian, "4.2" in English.
public struct Formatting: Sendable {
    public let language: String

    public init(language: String) { self.language = language }

    var locale: Locale {
        switch language {
        case "pl": return Locale(identifier: "pl_PL")
        case "uk": return Locale(identifier: "uk_UA")
        case "ru": return Locale(identifier: "ru_RU")
        case "en": return Locale(identifier: "en_GB")
        default: return Locale(identifier: language)
        }
    }

    public func number(_ value: Double, maxFractionDigits: Int = 2) -> String {
        DecimalFormatters.shared.string(value, language: language, locale: locale, maxFractionDigits: maxFractionDigits)
    }

    /// An amount the way every page writes money: `15 000,50` (always two decimals), no currency.
    public func money(_ amount: Money) -> String { FastNumbers(language: language).money(amount.grosze) }

    /// An amount with its currency, as pages show money to people: `15 000,50 zł` / `15,000.50 zł`
    /// (a non-breaking space, so the currency never wraps away from the number).
    public func amount(_ amount: Money) -> String { money(amount) + "\u{00A0}zł" }

    /// `text` as a whole sentence: a full stop added unless it already ends with one. Ukrainian and
    /// Russian dates end in an abbreviation's point („30 квітня 2027 р.”, „30 апреля 2027 г.”),
    /// and a sentence closing on such a date takes no second full stop ("р.." was seen on pages).
    public func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let last = trimmed.last else { return trimmed }
        return ".!?…".contains(last) ? trimmed : trimmed + "."
    }

    /// A moment as the programme office's clock shows it (its time zone, not the server's).
    public func timestamp(_ date: Date, in clock: OfficeClock) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = clock.timeZone
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: date)
    }

    public func date(_ date: CalendarDate) -> String {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let value = calendar.date(from: components) else { return date.description }
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = calendar.timeZone
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: value)
    }
}

/// One `NumberFormatter` per language and number of decimals, made once: building one took about
/// a tenth of a cached dashboard view (perf, 1M records), and a page writes hundreds of numbers.
/// Foundation's formatters are not safe to share between threads, so each is used under the lock;
/// a formatting call is a few microseconds. The key is a language the language middleware accepted
/// and a page's own constant, so the table stays small.
final class DecimalFormatters: @unchecked Sendable {
    static let shared = DecimalFormatters()
    private let lock = NSLock()
    private var formatters: [String: NumberFormatter] = [:]

    func string(_ value: Double, language: String, locale: @autoclosure () -> Locale, maxFractionDigits: Int) -> String {
        let key = "\(language)/\(maxFractionDigits)"
        return lock.withLock {
            let formatter: NumberFormatter
            if let known = formatters[key] {
                formatter = known
            } else {
                formatter = NumberFormatter()
                formatter.locale = locale()
                formatter.numberStyle = .decimal
                formatter.minimumFractionDigits = 0
                formatter.maximumFractionDigits = maxFractionDigits
                if formatters.count < 64 { formatters[key] = formatter }
            }
            return formatter.string(from: NSNumber(value: value)) ?? String(value)
        }
    }
}
