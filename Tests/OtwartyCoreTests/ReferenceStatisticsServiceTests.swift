import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct ReferenceStatisticsServiceTests {
    let references = InMemoryReferenceRepository(dataVersion: InMemoryDataVersion())
    let audit = InMemoryAuditLog()
    let clock = TestClock()
    var service: ReferenceStatisticsService { ReferenceStatisticsService(references: references, audit: audit, clock: clock.office) }

    static func input(key: String = "foreign-residents", year: String = "2025", value: String = "120000", source: String = "GUS",
                      asOf: String = "") -> ReferenceStatisticInput {
        ReferenceStatisticInput(key: key, year: year, value: value, source: source, asOf: asOf)
    }

    /// The problems of `input`, as the page and the command line get them.
    static func problems(_ input: ReferenceStatisticInput) -> [FieldError] {
        do {
            _ = try ReferenceStatisticsService.validated(input, recordedAt: TestClock.defaultStart)
            return []
        } catch let .invalid(errors) {
            return errors
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func aValueIsStoredAsANewRevisionAndAudited() async throws {
        let first = try await service.set(Self.input(), by: 5)
        clock.advance(by: 1)
        let revised = try await service.set(Self.input(value: "125 000,5", asOf: "2025-06-30"), by: nil)
        #expect(first == ReferenceValue(key: "foreign-residents", year: 2025, value: 120_000, source: "GUS", recordedAt: TestClock.defaultStart))
        #expect(revised.value == 125_000.5 && revised.asOf == CalendarDate(year: 2025, month: 6, day: 30))
        #expect(try await references.revisions(key: "foreign-residents", year: 2025).map(\.value) == [125_000.5, 120_000])
        #expect(try await audit.all == [
            AuditEntry(at: TestClock.defaultStart, actorUserID: 5, action: "reference.set", subject: "reference:foreign-residents:2025",
                       detail: "120000.0 (GUS)"),
            AuditEntry(at: TestClock.defaultStart.addingTimeInterval(1), actorUserID: nil, action: "reference.set",
                       subject: "reference:foreign-residents:2025", detail: "125000.5 (GUS)"),
        ])
    }

    @Test func valuesAreReadAsPeopleTypeThem() throws {
        for (text, value) in [("120000", 120_000.0), ("125 000,5", 125_000.5), ("0.25", 0.25), ("1e12", 1e12), ("0", 0)] {
            #expect(try ReferenceStatisticsService.validated(Self.input(value: text), recordedAt: TestClock.defaultStart).value == value)
        }
    }

    @Test(arguments: [
        (input(key: "Foreign Residents"), "key", "\"Foreign Residents\""),
        (input(key: ""), "key", "\"\""),
        (input(key: String(repeating: "k", count: 81)), "key", "at most 80"),
        (input(year: "20x5"), "year", "\"20x5\""),
        (input(year: "1989"), "year", "from 1990 to 2100"),
        (input(year: "2101"), "year", "\"2101\""),
        (input(value: "-3"), "value", "\"-3\""),
        (input(value: "1e999"), "value", "\"1e999\""),
        (input(value: "1000000000001"), "value", "10^12"),
        (input(value: "nan"), "value", "\"nan\""),
        (input(value: ""), "value", "\"\""),
        (input(source: "   "), "source", "where the figure comes from"),
        (input(source: String(repeating: "s", count: 301)), "source", "at most 300"),
        (input(asOf: "2025-13-01"), "asOf", "\"2025-13-01\""),
    ])
    func eachBadFieldIsNamedWithWhatWasGiven(input: ReferenceStatisticInput, field: String, message: String) {
        let problems = Self.problems(input)
        #expect(problems.map(\.field) == [field])
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    @Test func theYearsAtTheEdgesAreAccepted() {
        #expect(Self.problems(Self.input(year: "1990")).isEmpty && Self.problems(Self.input(year: "2100")).isEmpty)
        #expect(Self.problems(Self.input(source: String(repeating: "s", count: 300))).isEmpty)
    }

    @Test func everyProblemIsReportedInTheFormsOrderAndNothingIsStored() async throws {
        let bad = Self.input(key: "Foreign Residents", year: "20x5", value: "-3", source: "", asOf: "yesterday")
        #expect(Self.problems(bad).map(\.field) == ["key", "year", "value", "source", "asOf"])
        #expect(Self.problems(bad).map(\.messageKey) == ["error.reference.key", "error.reference.year", "error.reference.value",
                                                         "error.reference.source", "error.activity.date"])
        await #expect(throws: DomainError.self) { try await service.set(bad, by: 1) }
        #expect(try await references.allCurrent().isEmpty)
        #expect(try await audit.all.isEmpty)
    }
}
