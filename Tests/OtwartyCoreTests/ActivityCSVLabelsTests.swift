import Foundation
import Testing
@testable import OtwartyCore

/// Labels beside codes in `kind` and `audience`, and problems as data (issue 12, item 8).
@Suite struct ActivityCSVLabelsTests {
    let programme: Programme
    init() throws { programme = try EmbeddedProgrammes.krakow() }

    /// The 13 columns before issue 13 (its two are optional): these rows are of that format.
    static let header = ActivityCSV.Column.allCases.filter { !ActivityCSV.optionalColumns.contains($0) }
        .map(\.rawValue).joined(separator: ",")
    /// A few labels as the catalogues have them.
    static let labels = ActivityCSVLabels(
        kinds: [.event: ["wydarzenie", "event", "подія", "событие"], .promotion: ["działanie promocyjne", "promotion"],
                .researchReport: ["raport z badań", "research report"]],
        audiences: [.residents: ["mieszkańcy", "residents", "мешканці", "жители"],
                    .migrants: ["osoby z doświadczeniem migracyjnym"]])

    func parse(_ rows: [String], labels: ActivityCSVLabels = Self.labels) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        ActivityCSV.parse(text: ([Self.header] + rows).joined(separator: "\n") + "\n", programme: programme,
                          organisationID: { $0 == "Fundacja" ? 1 : nil }, allowUnknownOrganisations: false, labels: labels)
    }

    func row(kind: String, audience: String = "") -> String {
        "2025-03-14,4.1,\(kind),Tytuł,Fundacja,,,,\(audience),,,pl,"
    }

    @Test func labelsInAnyLanguageReadAsTheirCodeIgnoringCaseSpacingAndDiacritics() throws {
        let rows = try parse([
            row(kind: "wydarzenie"), row(kind: "Wydarzenie"), row(kind: "  ПОДІЯ "), row(kind: "событие"),
            row(kind: "Dzialanie  promocyjne"), row(kind: "działanie\u{00A0}promocyjne"), row(kind: "Raport z badan"),
            row(kind: "Research Report"), row(kind: "research_report", audience: "Mieszkancy;osoby z doświadczeniem migracyjnym;residents"),
        ]).get()
        #expect(rows.map(\.kind) == [.event, .event, .event, .event, .promotion, .promotion, .researchReport, .researchReport, .researchReport])
        #expect(rows.last?.audiences == [.residents, .migrants])
    }

    @Test func oldFilesStillImportAndWithoutLabelsAWordIsRefused() throws {
        #expect(try parse([row(kind: "event", audience: "residents;migrants")]).get().first?.kind == .event)
        let refused = try #require(parse([row(kind: "wydarzenie")], labels: .codesOnly).failure)
        #expect(refused.errors.first?.problem == .unknownKind(value: "\"wydarzenie\""))
    }

    @Test func aLabelNamingTwoValuesIsRefusedNamingTheColumn() throws {
        let labels = ActivityCSVLabels(kinds: [.meeting: ["spotkanie"], .event: ["spotkanie"]], audiences: [:])
        #expect(labels.ambiguous == ["spotkanie"])
        let errors = try #require(parse([row(kind: "Spotkanie")], labels: labels).failure)
        let error = try #require(errors.errors.first)
        #expect(error.column == "kind" && error.row == 1 && error.line == 2)
        #expect(error.problem == .ambiguousLabel(value: "\"Spotkanie\"", codes: ["event", "meeting"]))
        #expect(error.description == "row 1 (line 2), column kind: \"Spotkanie\" is the name of more than one value (event, meeting); write the code instead")
        // The code itself is never ambiguous.
        #expect(try parse([row(kind: "meeting")], labels: labels).get().first?.kind == .meeting)
    }

    @Test func problemsAreDataWithAKeyAndParametersBesideTheEnglish() throws {
        let errors = try #require(parse(["31.12.2025,4.1,event,Tytuł,Fundacja,,,,,,,pl,"]).failure)
        let error = try #require(errors.errors.first)
        #expect(error.row == 1 && error.line == 2 && error.column == "date")
        #expect(error.problem.key == "import.error.not-a-date" && error.problem.parameters == ["value": "\"31.12.2025\""])
        #expect(error.description == "row 1 (line 2), column date: \"31.12.2025\" is not a date (YYYY-MM-DD, or YYYY-MM-DD/YYYY-MM-DD for several days)")
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
