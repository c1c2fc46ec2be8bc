import Foundation
@testable import OtwartyApp
import Testing

/// The load bench's arithmetic (`LoadFigures`) and its reading of deploy/instances.sh's output,
/// without running h2load, nginx or any clock.
@Suite struct LoadFiguresTests {
    @Test func aRateBecomesConnectionsPerPeriodOfAtLeastTenMilliseconds() {
        #expect(LoadFigures.Schedule(rate: 1000) == .init(perPeriod: 10, periodMilliseconds: 10))
        #expect(LoadFigures.Schedule(rate: 100) == .init(perPeriod: 1, periodMilliseconds: 10))
        #expect(LoadFigures.Schedule(rate: 50) == .init(perPeriod: 1, periodMilliseconds: 20))
        #expect(LoadFigures.Schedule(rate: 250) == .init(perPeriod: 3, periodMilliseconds: 12))
        #expect(LoadFigures.Schedule(rate: 7) == .init(perPeriod: 7, periodMilliseconds: 1000))
        for rate in [1, 3, 7, 30, 99, 100, 250, 333, 1000, 2500, 6000, 99_999] {
            let schedule = LoadFigures.Schedule(rate: rate)
            #expect(schedule.rate == Double(rate), "rate \(rate)")
            #expect((10...1000).contains(schedule.periodMilliseconds))
        }
    }

    @Test func aRungIsBoundedByTimeAndCount() {
        #expect(LoadFigures.requests(rate: 1000, seconds: 5, cap: 40_000) == 5000)
        #expect(LoadFigures.requests(rate: 20_000, seconds: 5, cap: 40_000) == 40_000)
        #expect(LoadFigures.requests(rate: 1, seconds: 0, cap: 10) == 1)
    }

    @Test func h2loadsCommandLineMakesOneRequestPerConnection() {
        let arguments = H2Load.arguments(schedule: .init(rate: 2000), requests: 10_000, logFile: "/tmp/x.tsv", url: "http://127.0.0.1:1/healthz")
        #expect(arguments == ["--h1", "-t", "1", "-r", "20", "--rate-period", "10ms", "-c", "10000", "-n", "10000", "-N", "10s",
                              "--log-file", "/tmp/x.tsv", "http://127.0.0.1:1/healthz"])
    }

    @Test func theLogIsReadAndABadLineIsNamed() throws {
        let entries = try LoadFigures.parseLog("1796373803149308\t200\t17203\n1796373803149320\t-1\t5\textra\n\n")
        #expect(entries == [.init(startMicroseconds: 1_796_373_803_149_308, status: 200, microseconds: 17203),
                            .init(startMicroseconds: 1_796_373_803_149_320, status: -1, microseconds: 5)])
        #expect(entries.map(\.succeeded) == [true, false])
        #expect(throws: LoadFigures.UnreadableLog.self) { try LoadFigures.parseLog("1\t200\t3\nstarting benchmark...\n") }
        do {
            _ = try LoadFigures.parseLog("1\t200\t3\nx\ty\n")
        } catch let error as LoadFigures.UnreadableLog {
            #expect(error.line == 2)
        }
    }

    @Test func percentilesAreNearestRank() {
        let hundred = (1...100).map(Double.init)
        #expect(LoadFigures.percentile(hundred, 50) == 50)
        #expect(LoadFigures.percentile(hundred, 99) == 99)
        #expect(LoadFigures.percentile(hundred, 99.9) == 100) // fewer than 1,000 values: the maximum
        #expect(LoadFigures.percentile(hundred, 100) == 100)
        let thousand = (1...1000).map(Double.init)
        #expect(LoadFigures.percentile(thousand, 99.9) == 999)
        #expect(LoadFigures.percentile(thousand, 99) == 990)
        #expect(LoadFigures.percentile([7], 50) == 7)
        #expect(LoadFigures.percentile([], 50) == nil)
        #expect(LoadFigures.percentile(hundred, 0) == nil)
    }

    /// `count` requests started `1/rate` s apart, the given durations in ms cycling.
    static func entries(rate: Int, count: Int, ms: [Double], status: Int = 200) -> [LoadFigures.Entry] {
        (0..<count).map { i in
            LoadFigures.Entry(startMicroseconds: 1_000_000_000 + Int64(i) * Int64(1_000_000 / rate), status: status,
                              microseconds: Int64(ms[i % ms.count] * 1000))
        }
    }

    @Test func aRungCountsFailuresMissingRowsAndTheRateReached() {
        let good = LoadFigures.rung(rate: 100, asked: 500, entries: Self.entries(rate: 100, count: 500, ms: [2, 3, 4, 50]))
        #expect(good.succeeded == 500 && good.failed == 0)
        #expect(good.p50 == 3 && good.p99 == 50 && good.max == 50)
        #expect(abs((good.achievedRate ?? 0) - 100) < 0.5)
        #expect(good.within)

        // A request that never appears in the log (h2load gave up on it) is a failure.
        let missing = LoadFigures.rung(rate: 100, asked: 501, entries: Self.entries(rate: 100, count: 500, ms: [2]))
        #expect(missing.failed == 1 && !missing.within)
        // Error statuses are failures, and not in the percentiles.
        let errors = Self.entries(rate: 100, count: 10, ms: [1]) + Self.entries(rate: 100, count: 2, ms: [900], status: 502)
        let withErrors = LoadFigures.rung(rate: 100, asked: 12, entries: errors)
        #expect(withErrors.failed == 2 && withErrors.max == 1 && !withErrors.within)
        // p99 over 100 ms misses.
        let slow = LoadFigures.rung(rate: 100, asked: 100, entries: Self.entries(rate: 100, count: 100, ms: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 150]))
        #expect(slow.p99 == 150 && !slow.within)
        // Requests that started at half the asked rate did not test that rate.
        let lagging = LoadFigures.rung(rate: 200, asked: 100, entries: Self.entries(rate: 100, count: 100, ms: [1]))
        #expect(!lagging.within)
    }

    static func rung(_ rate: Int, within: Bool) -> LoadFigures.Rung {
        .init(rate: rate, asked: 10, succeeded: 10, failed: within ? 0 : 3, achievedRate: Double(rate), p50: 1, p99: 2, p999: 3, max: 4)
    }

    @Test func theLimitIsTheHighestRateBelowTheFirstMiss() {
        let ladder = [100, 200, 500, 1000]
        #expect(LoadFigures.limit([Self.rung(100, within: true), Self.rung(200, within: true), Self.rung(500, within: false)], ladder: ladder)
                == .init(rate: 200, open: false))
        // A later rung within the target after a miss does not count (it was luck, not capacity).
        #expect(LoadFigures.limit([Self.rung(500, within: true), Self.rung(100, within: true), Self.rung(200, within: false)], ladder: ladder)
                == .init(rate: 100, open: false))
        #expect(LoadFigures.limit([Self.rung(100, within: false)], ladder: ladder) == .init(rate: nil, open: false))
        let all = ladder.map { Self.rung($0, within: true) }
        #expect(LoadFigures.limit(all, ladder: ladder) == .init(rate: 1000, open: true))
        #expect(LoadFigures.Limit(rate: 1000, open: true).text == "≥ 1,000")
        #expect(LoadFigures.shouldClimb(after: Self.rung(100, within: true)))
        #expect(!LoadFigures.shouldClimb(after: Self.rung(100, within: false)))
    }

    @Test func theLadderIsParsedSortedAndBounded() {
        #expect(LoadFigures.parseLadder("1000, 100,500,100") == [100, 500, 1000])
        #expect(LoadFigures.parseLadder("1_000") == [1000])
        #expect(LoadFigures.parseLadder("") == nil)
        #expect(LoadFigures.parseLadder("100,x") == nil)
        #expect(LoadFigures.parseLadder("0,100") == nil)
        #expect(LoadFigures.parseLadder("200000") == nil)
    }

    @Test func theSummaryComparesEachRouteWithTheBaseOnTheSameWayIn() {
        let ladder = [100, 200, 500]
        let base = LoadFigures.RouteRun(route: "/healthz", via: "nginx", rungs: [Self.rung(100, within: true), Self.rung(200, within: true),
                                                                                 Self.rung(500, within: false)], ladder: ladder)
        let page = LoadFigures.RouteRun(route: "page", via: "nginx", rungs: [Self.rung(100, within: true), Self.rung(200, within: false)],
                                        ladder: ladder)
        let summary = LoadFigures.summary([base, page], base: "/healthz")
        #expect(summary.contains("| /healthz | nginx | 200 | base |"))
        #expect(summary.contains("| page | nginx | 100 | 50 % |"))
        let openBase = LoadFigures.RouteRun(route: "/healthz", via: "direct", rungs: ladder.map { Self.rung($0, within: true) }, ladder: ladder)
        let directPage = LoadFigures.RouteRun(route: "page", via: "direct", rungs: [Self.rung(100, within: true), Self.rung(200, within: false)],
                                              ladder: ladder)
        #expect(LoadFigures.summary([openBase, directPage], base: "/healthz").contains("| page | direct | 100 | ≤ 20 % |"))
        #expect(LoadFigures.summary([openBase, openBase], base: "/healthz").contains("| ≥ 500 | base |"))
        let table = LoadFigures.table([base, page])
        #expect(table.split(separator: "\n").count == 2 + 5)
        #expect(table.contains("| page | nginx | 200 |"))
    }

    @Test func instancesShsAssignmentsAreRead() {
        let output = """
            OTWARTY_PROXY=http://127.0.0.1:40000
            OTWARTY_INSTANCE_1=http://127.0.0.1:40001
            OTWARTY_INSTANCE_2=http://127.0.0.1:40002
            OTWARTY_INSTANCES=2
            OTWARTY_INSTANCES_DIR=/tmp/otwarty-instances.abc
            OTWARTY_SETUP_LINK=http://127.0.0.1:40000/pl/setup/00

            """
        #expect(InstancesScript.parse(output) == .init(proxy: 40000, instances: [40001, 40002], folder: "/tmp/otwarty-instances.abc"))
        #expect(InstancesScript.parse("OTWARTY_INSTANCE_1=http://127.0.0.1:1\nOTWARTY_INSTANCES_DIR=/x\n") == nil) // no proxy
        #expect(InstancesScript.parse("OTWARTY_PROXY=http://127.0.0.1:1\nOTWARTY_INSTANCES_DIR=/x\n") == nil) // no instance
        #expect(InstancesScript.parse("OTWARTY_PROXY=http://10.0.0.1:1\nOTWARTY_INSTANCE_1=http://127.0.0.1:2\nOTWARTY_INSTANCES_DIR=/x") == nil)
    }
}
