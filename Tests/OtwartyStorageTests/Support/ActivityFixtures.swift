import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// A value a `@Sendable` callback can write to and the test can read afterwards.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

enum ActivityFixtures {
    static let slug = EmbeddedProgrammes.krakowSlug
    /// Records of other programmes, with the same task codes, must never count in Kraków's numbers.
    static let otherSlugs = ["otwarty-krakow-2019-2023", "otwarta-gdynia-2024-2028"]
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    static func district(_ number: Int) -> District { Fixtures.district(number) }

    /// Institution spellings: the four "Szkoła nr 5" forms are one institution, the two "SP 12"
    /// forms another; "", "   " and nil are none.
    static let institutions: [String?] = [
        nil, nil, nil, "", "   ", "Szkoła nr 5", " Szkoła nr 5", "szkoła NR 5", "SZKOŁA NR 5  ", "SP 12", " sp 12 ",
        "Gimnazjum nr 3", "Liceum im. Adama Mickiewicza", "liceum IM. adama mickiewicza", "Przedszkole nr 112",
    ]

    static let languages = ["pl", "uk", "en", "ru", "be", "vi"]

    /// A record as generated: the programme, what was entered, and the status it ends in.
    struct Generated: Hashable, Sendable {
        var programmeSlug: String
        var input: ActivityInput
        var status: ActivityStatus
    }

    /// `count` pseudo-random records over years 2023–2026: every status, every kind, random
    /// audience subsets, districts and city-wide, counts and amounts present or missing, and the
    /// institution spellings above. Half of them are aimed at one of `rules` (its task, often one
    /// of its kinds and audiences), so every rule has records to count; 1 in 20 are of a task no
    /// rule reads, and 1 in 8 belong to another programme.
    static func generate(count: Int, rules: [MeasureRule], taskCodes: [String], organisations: [OrganisationID],
                         seed: UInt64) -> [Generated] {
        var rng = SeededRandom(seed: seed)
        let statuses: [ActivityStatus] = [.approved, .approved, .approved, .draft, .submitted, .returned]
        return (0..<count).map { i in
            let rule = rng.pick(rules)
            let task = rng.chance(0.05) ? rng.pick(taskCodes) : rule.taskCode
            let kind = !rule.kinds.isEmpty && rng.chance(0.6) ? rng.pick(rule.kinds.sorted { $0.rawValue < $1.rawValue })
                : rng.pick(ActivityKind.allCases)
            var audiences = Set(Audience.allCases.filter { _ in rng.chance(0.15) })
            if !rule.audiences.isEmpty, rng.chance(0.5) {
                audiences.insert(rng.pick(rule.audiences.sorted { $0.rawValue < $1.rawValue }))
            }
            let year = Int.random(in: 2023...2026, using: &rng)
            let month = Int.random(in: 1...12, using: &rng)
            let start = CalendarDate(year: year, month: month, day: Int.random(in: 1...28, using: &rng))!
            var end: CalendarDate?
            if rng.chance(0.2) {
                // Some run into the next year: they still count in their start's year and quarter.
                end = month >= 11 ? CalendarDate(year: year + 1, month: 2, day: 3)
                    : CalendarDate(year: year, month: month + 1, day: Int.random(in: 1...28, using: &rng))
            }
            var input = ActivityInput(
                taskCode: task, kind: kind, title: "Działanie \(i + 1)", startDate: start, endDate: end,
                organisationID: rng.pick(organisations),
                district: rng.chance(0.3) ? nil : District(number: Int.random(in: 1...18, using: &rng)),
                participants: rng.chance(0.25) ? nil : Int.random(in: 0...500, using: &rng),
                beneficiaries: rng.chance(0.3) ? nil : Int.random(in: 0...5_000, using: &rng),
                audiences: audiences,
                amountGrosze: rng.chance(0.4) ? nil : Int64.random(in: 0...25_000_000, using: &rng),
                institution: rng.pick(institutions),
                languages: (0..<Int.random(in: 0...3, using: &rng)).map { _ in rng.pick(languages) }
                    .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } },
                notes: rng.chance(0.2) ? "uwagi \(i)" : "",
                evidenceURL: rng.chance(0.1) ? "https://example.org/dowod/\(i)" : nil)
            let slug = rng.chance(0.125) ? rng.pick(otherSlugs) : Self.slug
            // Issue 13: 2 in 5 carry a breakdown by audience — mostly over the record's own audiences
            // (adding up to its participants when it has them), sometimes over others (the aggregators
            // must not depend on the form's rules), and some with a part of 0 (a part given, unlike
            // an absent one); 2 in 5 give "of whom new", which may exceed what it is part of here.
            if rng.chance(0.4) {
                var keys = audiences.sorted { $0.rawValue < $1.rawValue }.filter { _ in rng.chance(0.8) }
                if keys.isEmpty || rng.chance(0.15) { keys = [rng.pick(Audience.allCases)] + keys.filter { _ in rng.chance(0.5) } }
                var counts: [Audience: Int] = [:]
                for key in keys { counts[key] = rng.chance(0.1) ? 0 : Int.random(in: 1...200, using: &rng) }
                input.participantsByAudience = AudienceBreakdown(counts)
                if rng.chance(0.7), input.participants != nil { input.participants = counts.values.reduce(0, +) }
            }
            if rng.chance(0.4) { input.participantsNew = Int.random(in: 0...300, using: &rng) }
            return Generated(programmeSlug: slug, input: input, status: rng.pick(statuses))
        }
    }

    /// The records as the in-memory aggregator sees them (ids and times do not matter to it).
    static func records(_ generated: [Generated]) -> [ActivityRecord] {
        generated.enumerated().map { i, g in
            ActivityRecord(id: ActivityID(i + 1), programmeSlug: g.programmeSlug, input: g.input, status: g.status,
                           createdBy: nil, createdAt: t0, updatedAt: t0)
        }
    }

    /// Organisations named "Organizacja 1" … "Organizacja n".
    static func organisations(_ database: Database, count: Int) async throws -> [OrganisationID] {
        let repository = SQLOrganisationRepository(database: database, clock: OfficeClock(now: { t0 }))
        var ids: [OrganisationID] = []
        for n in 1...count {
            ids.append(try await repository.create(name: "Organizacja \(n)", kind: .ngo).id)
        }
        return ids
    }

    static func user(_ database: Database, _ email: String = "koordynator@example.org") async throws -> UserID {
        try await SQLUserRepository(database: database).create(
            NewUser(email: email, displayName: email, role: .programmeCoordinator, organisationID: nil, passwordHash: nil),
            at: t0).id
    }

    /// Every record of every programme and status, as stored.
    static func allStored(_ database: Database, slugs: [String]) async throws -> [ActivityRecord] {
        let repository = SQLActivityRepository(database: database)
        var all: [ActivityRecord] = []
        for slug in slugs {
            all += try await repository.list(ActivityFilter(programmeSlug: slug), limit: 1_000_000, offset: 0)
        }
        return all
    }

    /// Number of rows in a table, to check that nothing was left behind.
    static func rowCount(_ database: Database, _ table: String) async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

/// Doubles equal to 1e-9, relative to the size of the numbers (and absolute below 1).
func nearlyEqual(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func nearlyEqual(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return nearlyEqual(x, y, tolerance: tolerance)
    default: return false
    }
}

/// The groups where two aggregator answers differ, reading absent groups as 0 (the contract
/// allows either), as "group: expected vs actual".
func aggregateDifferences(expected: [AggregateGroup: Double], actual: [AggregateGroup: Double]) -> [String] {
    Set(expected.keys).union(actual.keys).compactMap { group in
        let e = expected[group] ?? 0
        let a = actual[group] ?? 0
        return nearlyEqual(e, a) ? nil : "\(group): in memory \(e), SQL \(a)"
    }.sorted()
}
