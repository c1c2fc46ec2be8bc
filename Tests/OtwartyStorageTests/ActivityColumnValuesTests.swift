import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore
@testable import OtwartyStorage

/// `ActivityColumn.value(_:of:)` (one switch, issue 15 point 6) against the closures per column it
/// replaced, kept here word for word: every stored value of every column must stay the same, or
/// records imported before and after would differ (`search_text`, `year`, masks…).
@Suite struct ActivityColumnValuesTests {
    /// The closures as they were before issue 15 (point 6), in the same order.
    static let before: [(column: ActivityColumn, value: @Sendable (ActivityInput) -> StoredValue)] = {
        var columns: [(column: ActivityColumn, value: @Sendable (ActivityInput) -> StoredValue)] = [
            (.taskCode, { .text($0.taskCode) }),
            (.kind, { .text($0.kind.rawValue) }),
            (.title, { .text($0.title) }),
            (.startDate, { .text($0.startDate.description) }),
            (.endDate, { .textOrNull($0.endDate?.description) }),
            (.year, { .integer(Int64($0.startDate.year)) }),
            (.quarter, { .integer(Int64(($0.startDate.month - 1) / 3 + 1)) }),
            (.organisationID, { .integer($0.organisationID) }),
            (.district, { .integerOrNull($0.district.map { Int64($0.number) }) }),
            (.participants, { .integerOrNull($0.participants.map { Int64($0) }) }),
            (.beneficiaries, { .integerOrNull($0.beneficiaries.map { Int64($0) }) }),
            (.audienceMask, { .integer(Audience.mask($0.audiences)) }),
            (.amountGrosze, { .integerOrNull($0.amountGrosze) }),
            (.institution, { .textOrNull($0.institution) }),
            (.institutionKey, { .textOrNull(ActivityRecord.institutionKey($0.institution)) }),
            (.languages, { .text($0.languages.joined(separator: ";")) }),
            (.notes, { .text($0.notes) }),
            (.evidenceURL, { .textOrNull($0.evidenceURL) }),
            (.searchText, { .text(ActivityRecord.searchKey($0.title) + "\n" + ActivityRecord.searchKey($0.institution ?? "")) }),
        ]
        for audience in Audience.allCases {
            columns.append((ActivityColumn.part(audience), { @Sendable input in
                .integerOrNull(input.participantsByAudience?.counts[audience].map { Int64($0) })
            }))
        }
        columns.append((.breakdownMask, { @Sendable input in
            .integer(Audience.mask(Set(input.participantsByAudience?.counts.keys.map { $0 } ?? [])))
        }))
        columns.append((.participantsNew, { @Sendable input in .integerOrNull(input.participantsNew.map { Int64($0) }) }))
        return columns
    }()


    static func text(_ random: inout SeededRandom, maxLength: Int) -> String {
        let alphabet = ["a", "Ż", "ł", "Ї", " ", "„", "e\u{301}", "👍", "ß", "\n", "\u{00A0}", "İ", "'", ";", "Q"]
        return (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static func input(_ random: inout SeededRandom) -> ActivityInput {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &random) ? value() : nil }
        let start = CalendarDate(year: Int.random(in: 1...9999, using: &random), month: Int.random(in: 1...12, using: &random),
                                 day: Int.random(in: 1...28, using: &random))!
        var input = ActivityInput(
            taskCode: ["1.1", "4.2", "", "ż.1"].randomElement(using: &random)!, kind: ActivityKind.allCases.randomElement(using: &random)!,
            title: text(&random, maxLength: 20), startDate: start,
            endDate: maybe(CalendarDate(year: Int.random(in: 1...9999, using: &random), month: 12, day: 31)!),
            organisationID: Int64.random(in: 0...1000, using: &random), district: maybe(District(number: Int.random(in: 1...18, using: &random))!),
            participants: maybe(Int.random(in: 0...1_000_000_000, using: &random)),
            beneficiaries: maybe(Int.random(in: 0...100, using: &random)),
            audiences: Set(Audience.allCases.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }),
            amountGrosze: maybe(Int64.random(in: 0...100_000_000_000, using: &random)),
            institution: maybe(text(&random, maxLength: 10)),
            languages: (0..<Int.random(in: 0...3, using: &random)).map { _ in ["pl", "uk", "", "PL;x", "zh-hant"].randomElement(using: &random)! },
            notes: text(&random, maxLength: 30), evidenceURL: maybe("https://example.org/" + text(&random, maxLength: 5)),
            participantsNew: maybe(Int.random(in: 0...100, using: &random)))
        if Bool.random(using: &random) {
            var counts: [Audience: Int] = [:]
            for audience in Audience.allCases where Int.random(in: 0..<3, using: &random) == 0 {
                counts[audience] = Int.random(in: 0...50, using: &random)
            }
            input.participantsByAudience = AudienceBreakdown(counts)
        }
        return input
    }

    @Test func everyColumnStoresWhatItStoredBefore() {
        #expect(ActivityColumn.writtenColumns == Self.before.map(\.column))
        #expect(ActivityColumn.written.map(\.column) == Self.before.map(\.column))
        var random = SeededRandom(seed: 1506)
        for _ in 0..<20_000 {
            let input = Self.input(&random)
            for (n, (column, before)) in Self.before.enumerated() {
                let expected = before(input)
                #expect(ActivityColumn.value(column, of: input) == expected, "\(column)")
                #expect(ActivityColumn.written[n].value(input) == expected, "\(column)")
            }
        }
    }

    /// The dates written digit by digit: every day of some years, and the first and last years.
    @Test func datesAreWrittenAsTheirDescription() {
        for year in [1, 9, 10, 99, 100, 999, 1000, 1999, 2024, 2025, 9999] {
            for month in 1...12 {
                for day in 1...CalendarDate.daysIn(month: month, year: year) {
                    let date = CalendarDate(year: year, month: month, day: day)!
                    #expect(ActivityColumn.isoDate(date) == date.description)
                }
            }
        }
    }

    @Test func audienceMasksAreTheBitsOfAllCases() {
        for audience in Audience.allCases { #expect(ActivityColumn.bit(audience) == audience.bit) }
        var random = SeededRandom(seed: 9)
        for _ in 0..<2000 {
            let set = Set(Audience.allCases.filter { _ in Bool.random(using: &random) })
            #expect(ActivityColumn.mask(set) == Audience.mask(set))
        }
    }
}

extension ActivityColumnValuesTests {
    /// `insertedValues` names the written columns one by one: the same columns, in the same
    /// order, as `writtenColumns`, between the programme and the status columns.
    @Test func insertedValuesFollowTheInsertedColumns() {
        var random = SeededRandom(seed: 77)
        for status in [ActivityStatus.draft, .submitted, .approved] {
            for _ in 0..<500 {
                let input = Self.input(&random)
                var values: [StoredValue] = []
                ActivityColumn.insertedValues(programmeSlug: "krakow", input: input, status: status, user: 7, at: 1.5) { values.append($0) }
                let expected: [StoredValue] = [.text("krakow")] + ActivityColumn.writtenColumns.map { ActivityColumn.value($0, of: input) }
                    + [.text(status.rawValue), .integer(7), .real(1.5), .real(1.5), status == .submitted ? .real(1.5) : .null]
                #expect(values == expected)
                #expect(values.count == ActivityColumn.inserted.count)
            }
        }
    }
}
