import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import OtwartyWeb
import Testing

/// Work that grows with the data, caught without timing anything (issue 15, point 7).
///
/// The dashboard once read every approved record on each view to find overdue tasks: 7.6 s at a
/// million records, invisible at the demo's few thousand. Here every page and API route that
/// shows figures from the records is requested over the real SQL repositories (a SQLite file)
/// holding 1,000 and then 20,000 demo records, and the rows the database returns for one request
/// (`Database.counting`, `QueryCount`) and the statements it runs must be the same at both sizes:
/// an aggregate is one row per group whatever the data, a page of a list is at most a page.
/// Each route is requested right after a change (every cache invalid: the work a first view
/// does) and once more (cached).
///
/// Routes whose answer is one line per record by design (the report's annex, the events open-data
/// files, the activities export), the review queue (its records and the records its duplicate
/// check compares them with) and one record's pages are checked apart: their rows may grow by
/// the records they list, counted apart, and by nothing more. A second test requests every GET
/// route of the router and fails on one that reads the records and is in none of these lists.
@Suite(.serialized) struct RowCountGuardTests {
    /// Who asks.
    enum Caller: Sendable { case anonymous, coordinator, token }

    struct Probe: Sendable {
        var uri: String
        var caller: Caller
        /// Rows the two sizes may differ by, and why: a page of a list the smaller data does not
        /// fill, or groups (19 districts, 4 quarters) it leaves empty. Never more than a page.
        var bound = 0
    }

    static let slug = Fixtures.krakowSlug

    /// Every route that aggregates the records, or shows a bounded part of them. The review queue
    /// is checked apart (`queue`).
    static let probes: [Probe] = [
        // Public pages.
        .init(uri: "/pl", caller: .anonymous),
        .init(uri: "/pl/progress", caller: .anonymous, bound: 19 + 4),
        .init(uri: "/pl/progress?year=2025", caller: .anonymous, bound: 19 + 4),
        .init(uri: "/pl/events", caller: .anonymous),
        .init(uri: "/pl/events?district=3", caller: .anonymous, bound: 200),
        .init(uri: "/pl/events?language=uk&from=2024-06-01&to=2025-12-31", caller: .anonymous, bound: 200),
        .init(uri: "/pl/programmes/\(slug)", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/results", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/risks", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/goals/1", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/goals/4", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/tasks/4.1", caller: .anonymous),
        .init(uri: "/pl/programmes/\(slug)/tasks/1.1", caller: .anonymous),
        .init(uri: "/pl/open-data", caller: .anonymous),
        .init(uri: "/pl/incident-statistics", caller: .anonymous),
        // Open data and the public API.
        .init(uri: "/api/v1/indicators?year=2025", caller: .anonymous),
        .init(uri: "/api/v1/programme", caller: .anonymous),
        .init(uri: "/api/v1/open-data", caller: .anonymous),
        .init(uri: "/open-data/2025/indicators.csv", caller: .anonymous),
        .init(uri: "/open-data/2025/indicators.json", caller: .anonymous),
        .init(uri: "/open-data/iati-results.xml", caller: .anonymous),
        .init(uri: "/open-data/programme-tasks.csv", caller: .anonymous),
        // Signed-in pages.
        .init(uri: "/pl/dashboard", caller: .coordinator, bound: 19 + 4),
        .init(uri: "/pl/dashboard?year=2025", caller: .coordinator, bound: 19 + 4),
        .init(uri: "/pl/reports", caller: .coordinator),
        .init(uri: "/pl/reports/products", caller: .coordinator),
        .init(uri: "/pl/activities", caller: .coordinator),
        .init(uri: "/pl/activities?year=2025&task=4.1", caller: .coordinator),
        .init(uri: "/pl/exports/indicators.csv?year=2025", caller: .coordinator),
        .init(uri: "/pl/organisations", caller: .coordinator),
        .init(uri: "/pl/budget", caller: .coordinator),
        .init(uri: "/pl/reference-statistics", caller: .coordinator),
        .init(uri: "/pl/conflict-risk", caller: .coordinator),
        .init(uri: "/api/v1/activities", caller: .token),
    ]

    /// One line per record by design: (route, which records it lists).
    static let perRecord: [(probe: Probe, lists: [ActivityFilter])] = [
        // The annex: every approved record of the programme's years up to the report's.
        (.init(uri: "/pl/reports/2025", caller: .coordinator),
         [2024, 2025].map { ActivityFilter(programmeSlug: slug, statuses: [.approved], year: $0) }),
        (.init(uri: "/pl/reports/2025/draft/html", caller: .coordinator),
         [2024, 2025].map { ActivityFilter(programmeSlug: slug, statuses: [.approved], year: $0) }),
        // The year's events as an open-data file: every approved record of a kind the public can attend.
        (.init(uri: "/open-data/2025/events.csv", caller: .anonymous), [publicEvents(year: 2025)]),
        (.init(uri: "/open-data/2025/events.json", caller: .anonymous), [publicEvents(year: 2025)]),
        // The export of the records: every record of the year the coordinator may see (all of them).
        (.init(uri: "/pl/exports/activities.csv?year=2025", caller: .coordinator), [ActivityFilter(programmeSlug: slug, year: 2025)]),
    ]

    /// The review queue: the waiting records it checks, who waited longest first (a page of 50,
    /// `ActivitiesController.pageSize`; the "only flagged" view the first 1,000,
    /// `flaggedViewLimit`), and for each the records its duplicate check reads: other
    /// organisations' submitted and approved records with its task, start date and district, at
    /// most `QualityCheck.candidateLimit`. Its rows may grow by those, and by nothing more. Until
    /// issue 15 the check read every record of the page's tasks on any of the page's days (67 rows
    /// at 1,000 records, 646 at 20,000 for a page showing 41 and 50 records with 0 and 14 such records).
    static let queue: [(probe: Probe, checks: Int)] = [
        (.init(uri: "/pl/review", caller: .coordinator), 50),
        (.init(uri: "/pl/review?flagged=1", caller: .coordinator), 1_000),
    ]

    /// One record: the one waiting longest (`{waiting}`, a different record at each size). Its
    /// page checks it for duplicates, so it may read the records sharing its task, start date and
    /// district (at most `QualityCheck.candidateLimit`); the form and the API read the record alone.
    static let oneRecord: [(probe: Probe, checksDuplicates: Bool)] = [
        (.init(uri: "/pl/activities/{waiting}", caller: .coordinator), true),
        (.init(uri: "/pl/activities/{waiting}/edit", caller: .coordinator), false),
        (.init(uri: "/api/v1/activities/{waiting}", caller: .token), false),
    ]

    /// What a queue view lists, counted apart from the route: the records it checks and the records
    /// of other organisations sharing each one's task, start date and district (up to the limit).
    static func queueListed(checks: Int, _ repositories: Repositories) async throws -> Int {
        var waiting = ActivityFilter(programmeSlug: slug, statuses: [.submitted])
        waiting.order = .longestWaiting
        let checked = try await repositories.activities.list(waiting, limit: checks, offset: 0)
        var listed = checked.count
        for record in checked {
            var sharing = ActivityFilter(programmeSlug: slug, statuses: [.submitted, .approved])
            sharing.taskCode = record.taskCode
            sharing.district = .some(record.district)
            sharing.startsFrom = record.startDate
            sharing.startsThrough = record.startDate
            let others = try await repositories.activities.list(sharing, limit: 10_000, offset: 0)
                .filter { $0.organisationID != record.organisationID }
            listed += min(others.count, QualityCheck.candidateLimit)
        }
        return listed
    }

    static func publicEvents(year: Int) -> ActivityFilter {
        var filter = ActivityFilter(programmeSlug: slug, statuses: [.approved], year: year)
        filter.kinds = ActivityKind.publicKinds
        return filter
    }

    /// What one request did: the statements and the rows each returned.
    struct Work: Equatable, Sendable, CustomStringConvertible {
        var statements: [QueryCount.Statement]
        var rows: Int { statements.reduce(0) { $0 + $1.rows } }

        /// The same statements with the same rows, in any order: the dashboard asks the engine
        /// several things at once.
        static func == (a: Work, b: Work) -> Bool {
            func sorted(_ w: Work) -> [QueryCount.Statement] { w.statements.sorted { ($0.sql, $0.rows) < ($1.sql, $1.rows) } }
            return sorted(a) == sorted(b)
        }

        /// The data version is read at most once a second and again after any write of this
        /// process (`SQLDataVersionSource`), and other suites write in the same process at the same
        /// time: those one-row reads come and go with the clock, not with the data, so they are left out.
        init(_ count: QueryCount) {
            statements = count.statements.filter { !$0.sql.contains("FROM data_versions") }
        }

        var description: String { "\(statements.count) statements, \(rows) rows" }

        /// The statements whose number or rows differ from `other`'s, for the failure message.
        func difference(from other: Work) -> String {
            func grouped(_ w: Work) -> [String: (n: Int, rows: Int)] {
                w.statements.reduce(into: [:]) { $0[$1.sql, default: (0, 0)].n += 1; $0[$1.sql, default: (0, 0)].rows += $1.rows }
            }
            let a = grouped(other), b = grouped(self)
            return Set(a.keys).union(b.keys).sorted().compactMap { sql in
                let x = a[sql] ?? (0, 0), y = b[sql] ?? (0, 0)
                guard x.n != y.n || x.rows != y.rows else { return nil }
                return "  \(x.n)× \(x.rows) rows → \(y.n)× \(y.rows) rows: \(sql.prefix(300))"
            }.joined(separator: "\n")
        }
    }

    /// Per probe: the work right after a change and the work of the view after it.
    struct Measured: Sendable {
        var records: Int
        var afterChange: [String: Work] = [:]
        var cached: [String: Work] = [:]
        var listed: [String: Int] = [:]
    }

    @Test func everyAggregatingRouteReadsTheSameRowsAtOneThousandAndTwentyThousandRecords() async throws {
        let small = try await Self.measure(records: 1_000)
        let large = try await Self.measure(records: 20_000)
        // The counting itself works (an empty count on both sides would pass everything).
        #expect((large.afterChange["coordinator /pl/dashboard"]?.rows ?? 0) > 20)
        for probe in Self.probes {
            let key = "\(probe.caller) \(probe.uri)"
            for (mode, a, b) in [("after a change", small.afterChange[key], large.afterChange[key]),
                                 ("cached", small.cached[key], large.cached[key])] {
                let a = try #require(a), b = try #require(b)
                let same = probe.bound == 0 ? a == b : a.statements.count == b.statements.count && abs(a.rows - b.rows) <= probe.bound
                #expect(same, """
                    \(key) (\(mode)) grows with the data: \(a) at \(small.records) records, \(b) at \(large.records):
                    \(b.difference(from: a))
                    """)
            }
        }
        // One line per record, and the queue: the rows may grow by the records listed, and by nothing more.
        for probe in Self.perRecord.map(\.probe) + Self.queue.map(\.probe) + Self.oneRecord.map(\.probe) {
            let key = "\(probe.caller) \(probe.uri)"
            for (mode, a, b) in [("after a change", small.afterChange[key], large.afterChange[key]),
                                 ("cached", small.cached[key], large.cached[key])] {
                guard let a, let b else { continue } // per-record routes are measured after a change only
                let aListed = try #require(small.listed[key]), bListed = try #require(large.listed[key])
                #expect(a.statements.count == b.statements.count && a.rows - aListed == b.rows - bListed, """
                    \(key) (\(mode)) reads more than the rows it lists: \(a) at \(small.records) records (\(aListed) listed), \
                    \(b) at \(large.records) (\(bListed) listed):
                    \(b.difference(from: a))
                    """)
            }
        }
        // The queue lists something beyond its records at the larger size (753 waiting records and
        // 388 records sharing their keys at 20,000), or the check above proves little.
        #expect((large.listed["coordinator /pl/review?flagged=1"] ?? 0) > 1_000)
    }

    /// GET routes (the router's patterns) that read the records but are not in the guard, and
    /// why. None at present: every GET route that reads `activities` or `activity_totals` is
    /// requested above (`everyGETRouteThatReadsTheRecordsIsInTheGuardOrSaysWhyNot`).
    static let outOfGuard: [String: String] = [:]

    /// Every GET route of the router (`buildRouter`, as `AccessTests` reads it) is requested once
    /// over 1,000 demo records; one whose statements read `activities` or `activity_totals` must
    /// be one of the probes above, or in `outOfGuard` with its reason. A new page that reads the
    /// records fails here until it joins the guard.
    @Test func everyGETRouteThatReadsTheRecordsIsInTheGuardOrSaysWhyNot() async throws {
        try await TestApp.withApp { app, client in
            _ = try await DemoLoading.run(.init(records: 1_000), services: app.services)
            let (_, entries) = try await buildRouter(app.configuration, services: app.services)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let token = try await app.apiToken(for: coordinator.user)
            let record = try #require(try await app.services.repositories.activities.list(ActivityFilter(programmeSlug: Self.slug), limit: 1, offset: 0).first)
            let guarded = Self.probes.map(\.uri) + Self.perRecord.map(\.probe.uri) + Self.queue.map(\.probe.uri) + Self.oneRecord.map(\.probe.uri)
            let readsRecords = try Regex(#"\b(activities|activity_totals)\b"#)
            var unguarded: [String] = [], reading: Set<String> = []
            for entry in entries where entry.method == .get {
                let pattern = entry.pattern
                let path = pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
                    switch segment {
                    case ":lang": "pl"
                    case ":slug": Self.slug
                    case ":year": "2025"
                    case ":format": "html"
                    case ":code": "4.1"
                    case ":number": "1"
                    case ":token": "row-count-guard"
                    case ":dataset": "incident-statistics-2025"
                    case ":id": pattern.contains("activities/") ? String(record.id) : pattern.contains("organisations/") ? String(record.organisationID) : "1"
                    default: String(segment)
                    }
                }.joined(separator: "/")
                var headers: HTTPFields = [:]
                if case let .roles(roles) = entry.access {
                    if !entry.isPage, roles.contains(.programmeCoordinator) {
                        headers = bearer(token)
                    } else if roles.contains(.programmeCoordinator) {
                        headers = coordinator.cookie
                    } else {
                        headers = try await app.signedIn(roles.sorted { $0.rawValue < $1.rawValue }[0]).cookie
                    }
                }
                let count = QueryCount()
                _ = try await Database.counting(into: count) { try await client.execute(uri: path, method: .get, headers: headers) }
                guard count.statements.contains(where: { $0.sql.contains(readsRecords) }) else { continue }
                reading.insert(pattern)
                let pieces = pattern.split(separator: "/", omittingEmptySubsequences: false)
                let isGuarded = guarded.contains { uri in
                    let segments = (uri.split(separator: "?").first ?? "").split(separator: "/", omittingEmptySubsequences: false)
                    return segments.count == pieces.count && zip(segments, pieces).allSatisfy { $1.hasPrefix(":") || $0 == $1 }
                }
                if !isGuarded, Self.outOfGuard[pattern] == nil { unguarded.append(pattern) }
            }
            #expect(unguarded.isEmpty, "GET routes that read the records and are not in the guard: \(unguarded.sorted())")
            // The list of exceptions stays true: each reads the records.
            #expect(Set(Self.outOfGuard.keys).subtracting(reading).isEmpty, "\(Set(Self.outOfGuard.keys).subtracting(reading))")
        }
    }

    static func measure(records: Int) async throws -> Measured {
        try await TestApp.withApp { app, client in
            _ = try await DemoLoading.run(.init(records: records), services: app.services)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let token = try await app.apiToken(for: coordinator.user)
            var measured = Measured(records: records)
            var longestWaiting = ActivityFilter(programmeSlug: slug, statuses: [.submitted])
            longestWaiting.order = .longestWaiting
            let waiting = try #require(try await app.services.repositories.activities.list(longestWaiting, limit: 1, offset: 0).first)
            var change = 0
            func request(_ probe: Probe) async throws -> Work {
                let headers: HTTPFields = switch probe.caller {
                case .anonymous: [:]
                case .coordinator: coordinator.cookie
                case .token: bearer(token)
                }
                let count = QueryCount()
                let uri = probe.uri.replacingOccurrences(of: "{waiting}", with: String(waiting.id))
                let response = try await Database.counting(into: count) {
                    try await client.execute(uri: uri, method: .get, headers: headers)
                }
                #expect(response.status == .ok, "\(probe.uri): \(response.status)")
                return Work(count)
            }
            // A change every cache follows (the data version moves), as an approval would.
            func changeSomething() async throws {
                change += 1
                try await app.services.repositories.references.set(
                    ReferenceValue(key: "row-count-guard", year: 2025, value: Double(change), source: "RowCountGuardTests"), by: nil)
            }
            for probe in probes {
                let key = "\(probe.caller) \(probe.uri)"
                _ = try await request(probe) // templates, sessions' first touch
                try await changeSomething()
                measured.afterChange[key] = try await request(probe)
                measured.cached[key] = try await request(probe)
            }
            for (probe, filters) in perRecord {
                let key = "\(probe.caller) \(probe.uri)"
                try await changeSomething()
                measured.afterChange[key] = try await request(probe)
                var listed = 0
                for filter in filters { listed += try await app.services.repositories.activities.count(filter) }
                measured.listed[key] = listed
            }
            for (probe, checks) in queue {
                let key = "\(probe.caller) \(probe.uri)"
                _ = try await request(probe)
                try await changeSomething()
                measured.afterChange[key] = try await request(probe)
                measured.cached[key] = try await request(probe)
                measured.listed[key] = try await queueListed(checks: checks, app.services.repositories)
            }
            for (probe, checksDuplicates) in oneRecord {
                let key = "\(probe.caller) \(probe.uri)"
                _ = try await request(probe)
                try await changeSomething()
                measured.afterChange[key] = try await request(probe)
                measured.cached[key] = try await request(probe)
                measured.listed[key] = checksDuplicates ? try await queueListed(checks: 1, app.services.repositories) : 1
            }
            return measured
        }
    }
}
