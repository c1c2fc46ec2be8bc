import Foundation

/// The arithmetic of `otwarty bench --suite load`, apart from the processes so it can be tested:
/// how a request rate becomes h2load's connection schedule, h2load's per-request log, percentiles,
/// whether a rung of the ladder is within the target, and the tables.
enum LoadFigures {
    /// The p99 a rung must stay within (issue 15, point 4).
    static let targetP99Milliseconds = 100.0
    /// A rung whose requests started at less than this share of the asked rate did not run at that
    /// rate (h2load or the machine could not keep up), so its latencies do not count for it.
    static let minimumAchievedShare = 0.95

    /// h2load's `--rate` counts connections made per `--rate-period`, not requests. The suite makes
    /// one request per connection (`-n` = `-c`), so connections per second are requests per second,
    /// and each request is sent when its turn comes whatever the earlier ones are doing (an open
    /// loop: a slow answer cannot hold back the next request and hide its own wait, as it would
    /// with one request in flight per keep-alive connection). The period is the shortest one of at
    /// least 10 ms holding a whole number of connections, so the load is spread over the second
    /// instead of arriving as one burst per second (h2load's default period is 1 s).
    struct Schedule: Equatable, Sendable {
        var perPeriod: Int
        var periodMilliseconds: Int

        init(rate: Int) {
            precondition(rate > 0, "a rate is positive")
            var period = 10
            while (rate * period) % 1000 != 0 { period += 1 } // ends at 1000 at the latest
            self.perPeriod = rate * period / 1000
            self.periodMilliseconds = period
        }

        init(perPeriod: Int, periodMilliseconds: Int) {
            self.perPeriod = perPeriod
            self.periodMilliseconds = periodMilliseconds
        }

        var rate: Double { Double(perPeriod) * 1000 / Double(periodMilliseconds) }
    }

    /// Requests in one rung: `seconds` at `rate`, at most `cap` (bounded in count as well as time).
    static func requests(rate: Int, seconds: Int, cap: Int) -> Int {
        max(1, min(rate * seconds, cap))
    }

    /// One row of h2load's `--log-file`: start (µs since the epoch), HTTP status (-1 for a failed
    /// stream), microseconds from the request's start to the end of its response.
    struct Entry: Equatable, Sendable {
        var startMicroseconds: Int64
        var status: Int
        var microseconds: Int64
        var succeeded: Bool { (200..<400).contains(status) }
    }

    struct UnreadableLog: Error, CustomStringConvertible {
        var line: Int
        var text: String
        var description: String { "h2load's log line \(line) is not start<TAB>status<TAB>microseconds: \(text)" }
    }

    /// Parses the log; blank lines are skipped, later columns (h2load may add some) ignored.
    static func parseLog(_ text: String) throws -> [Entry] {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: "\t")
            guard fields.count >= 3, let start = Int64(fields[0]), let status = Int(fields[1]), let micros = Int64(fields[2]) else {
                throw UnreadableLog(line: index + 1, text: String(trimmed.prefix(80)))
            }
            entries.append(Entry(startMicroseconds: start, status: status, microseconds: micros))
        }
        return entries
    }

    /// Nearest-rank percentile of values sorted ascending: the smallest value with at least
    /// `percent` % of the values at or below it. With fewer than 1,000 values p99.9 is the maximum.
    static func percentile(_ sorted: [Double], _ percent: Double) -> Double? {
        guard !sorted.isEmpty, percent > 0, percent <= 100 else { return nil }
        // The small subtraction keeps 99.9 % of 1,000 at rank 999 whatever the binary rounding of 99.9.
        let rank = Int((percent * Double(sorted.count) / 100 - 1e-9).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// What one rung measured.
    struct Rung: Equatable, Sendable {
        var rate: Int
        var asked: Int
        var succeeded: Int
        /// Asked requests that did not end in 2xx/3xx: failed streams, error statuses, and requests
        /// missing from the log (never sent or never answered before h2load gave up).
        var failed: Int
        /// Requests started per second, from the first to the last start in the log.
        var achievedRate: Double?
        var p50: Double?
        var p99: Double?
        var p999: Double?
        var max: Double?

        var within: Bool {
            guard failed == 0, let p99, p99 <= LoadFigures.targetP99Milliseconds else { return false }
            guard let achievedRate else { return asked == 1 }
            return achievedRate >= Double(rate) * LoadFigures.minimumAchievedShare
        }
    }

    /// A rung's figures from its log. Percentiles are over the successful requests, in ms.
    static func rung(rate: Int, asked: Int, entries: [Entry]) -> Rung {
        let ok = entries.filter(\.succeeded)
        let times = ok.map { Double($0.microseconds) / 1000 }.sorted()
        var achieved: Double?
        if let first = entries.map(\.startMicroseconds).min(), let last = entries.map(\.startMicroseconds).max(), last > first {
            achieved = Double(entries.count - 1) / (Double(last - first) / 1_000_000)
        }
        return Rung(rate: rate, asked: asked, succeeded: ok.count, failed: Swift.max(0, asked - ok.count),
                    achievedRate: achieved, p50: percentile(times, 50), p99: percentile(times, 99),
                    p999: percentile(times, 99.9), max: times.last)
    }

    /// The ladder's answer: the highest rate whose rung and every rung below it were within the
    /// target; `open` when the top rung was too, so the true limit lies above the ladder.
    struct Limit: Equatable, Sendable {
        var rate: Int?
        var open: Bool

        var text: String {
            guard let rate else { return "none (the lowest rate missed)" }
            return (open ? "≥ " : "") + number(rate)
        }
    }

    static func limit(_ rungs: [Rung], ladder: [Int]) -> Limit {
        var best: Int?
        for rung in rungs.sorted(by: { $0.rate < $1.rate }) {
            guard rung.within else { return Limit(rate: best, open: false) }
            best = rung.rate
        }
        return Limit(rate: best, open: best != nil && best == ladder.max())
    }

    /// Climb while the last rung was within the target: the first rung that misses ends the route
    /// (higher rates would only queue more), which bounds the run's time.
    static func shouldClimb(after rung: Rung) -> Bool { rung.within }

    /// `--rates`: positive integers separated by commas, sorted and without repeats.
    static func parseLadder(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, !parts.contains(nil) else { return nil }
        let rates = Array(Set(parts.compactMap { $0 })).sorted()
        guard rates.allSatisfy({ (1...100_000).contains($0) }) else { return nil }
        return rates
    }

    // MARK: Tables

    struct RouteRun: Sendable {
        var route: String
        var via: String
        var rungs: [Rung]
        var ladder: [Int]
        var limit: Limit { LoadFigures.limit(rungs, ladder: ladder) }
    }

    static func number(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    static func ms(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value < 10 ? String(format: "%.2f", value) : value < 100 ? String(format: "%.1f", value) : number(Int(value.rounded()))
    }

    static func table(_ runs: [RouteRun]) -> String {
        var lines = ["| route | via | rate (req/s) | started (req/s) | requests | failed | p50 ms | p99 ms | p99.9 ms | max ms | p99 ≤ 100 ms |",
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for run in runs {
            for rung in run.rungs {
                let started = rung.achievedRate.map { number(Int($0.rounded())) } ?? "—"
                lines.append("| \(run.route) | \(run.via) | \(number(rung.rate)) | \(started) | \(number(rung.asked)) | \(number(rung.failed)) | "
                             + "\(ms(rung.p50)) | \(ms(rung.p99)) | \(ms(rung.p999)) | \(ms(rung.max)) | \(rung.within ? "yes" : "**no**") |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Per route and way in: the highest rate within the target, and its share of the base route's
    /// (the same way in), the ratio that compares the application's work with the bare route's.
    static func summary(_ runs: [RouteRun], base: String) -> String {
        var lines = ["| route | via | highest rate with p99 ≤ 100 ms (req/s) | share of \(base)'s |", "|---|---|---:|---:|"]
        for run in runs {
            let baseLimit = runs.first { $0.route == base && $0.via == run.via }?.limit
            var share = "—"
            if run.route == base {
                share = "base"
            } else if let rate = run.limit.rate, let baseLimit, let baseRate = baseLimit.rate {
                // A limit above the ladder is only a lower bound, so the share is one too, or an upper one.
                let value = String(format: "%.0f %%", 100 * Double(rate) / Double(baseRate))
                switch (run.limit.open, baseLimit.open) {
                case (false, false): share = value
                case (true, false): share = "≥ " + value
                case (false, true): share = "≤ " + value
                case (true, true): share = "— (both above the ladder)"
                }
            }
            lines.append("| \(run.route) | \(run.via) | \(run.limit.text) | \(share) |")
        }
        return lines.joined(separator: "\n")
    }
}
