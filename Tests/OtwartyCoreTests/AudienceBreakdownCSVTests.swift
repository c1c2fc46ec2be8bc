import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

/// Issue 13's import columns `participants_by_audience` (`audience:count` pairs separated by `;`)
/// and `participants_new`: each mistake rejected naming its row and column, the whole file or
/// nothing; files without the columns import as before.
@Suite struct AudienceBreakdownCSVTests {
    let programme: Programme
    init() throws { programme = try EmbeddedProgrammes.krakow() }

    static let header = ActivityCSV.columns.joined(separator: ",")
    /// The 13 columns before issue 13.
    static let oldHeader = ActivityCSV.Column.allCases.filter { !ActivityCSV.optionalColumns.contains($0) }
        .map(\.rawValue).joined(separator: ",")

    /// A training for 40: 12 City Office staff, 8 Municipal Guard officers, 20 police officers.
    static func row(participants: String = "40", audience: String = "city_office;municipal_guard;police",
                    breakdown: String, new: String = "") -> String {
        "2025-03-14,6.3,training,Szkolenie,Fundacja,,\(participants),,\(audience),,,pl,,\"\(breakdown)\",\(new)"
    }

    func parse(_ text: String) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        ActivityCSV.parse(text: text, programme: programme, organisationID: { $0 == "Fundacja" ? 1 : nil },
                          allowUnknownOrganisations: false,
                          labels: ActivityCSVLabels(kinds: [:], audiences: [.police: ["policja"], .cityOffice: ["urząd"],
                                                                            .other: ["urząd"]]))
    }

    /// The importer's checks (the parser's, then the form's rules) as "row R (line L), column C: …".
    func importerErrors(_ rows: [String]) async throws -> [String] {
        let repositories = Repositories.inMemory(clock: OfficeClock())
        _ = try await repositories.organisations.create(name: "Fundacja", kind: .ngo)
        let importer = ActivityImporter(activities: repositories.activities, organisations: repositories.organisations,
                                        audit: repositories.audit, clock: OfficeClock())
        do {
            _ = try await importer.validate(([Self.header] + rows).joined(separator: "\n") + "\n", programme: programme,
                                            options: .init(status: .submitted))
            return []
        } catch let errors as ActivityCSVErrors {
            return errors.errors.map(\.description)
        }
    }

    @Test func pairsReadAsTheBreakdownAndNewAsACount() throws {
        let rows = try parse(Self.header + "\n" + Self.row(breakdown: "city_office:12; municipal_guard:8 ;policja: 20", new: "15")
                             + "\n").get()
        #expect(rows.first?.participantsByAudience == AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8, .police: 20]))
        #expect(rows.first?.participantsNew == 15)
        // Empty cells: no breakdown, not reported.
        let empty = try parse(Self.header + "\n" + Self.row(breakdown: "") + "\n").get()
        #expect(empty.first?.participantsByAudience == nil && empty.first?.participantsNew == nil)
    }

    @Test func filesWithoutTheNewColumnsStillImport() async throws {
        let old = Self.oldHeader + "\n2025-03-14,6.3,training,Szkolenie,Fundacja,,40,,city_office;police,,,pl,\n"
        let rows = try parse(old).get()
        #expect(rows.count == 1 && rows[0].participants == 40 && rows[0].participantsByAudience == nil)
        // Only one of the two columns is fine too.
        let one = Self.oldHeader + ",participants_new\n2025-03-14,6.3,training,Szkolenie,Fundacja,,40,,,,,pl,,9\n"
        #expect(try parse(one).get().first?.participantsNew == 9)
    }

    @Test(arguments: [
        ("city_office=12", "row 1 (line 2), column participants_by_audience: \"city_office=12\" is not an audience and a count joined by a colon (e.g. city_office:12;police:20)"),
        ("city_office:", "row 1 (line 2), column participants_by_audience: \"city_office:\" is not an audience and a count joined by a colon (e.g. city_office:12;police:20)"),
        ("kids:12", "row 1 (line 2), column participants_by_audience: \"kids\" is not one of: city_office, municipal_guard, police, teachers, parents, pupils, residents, migrants, minorities, other"),
        ("police:12;policja:8", "row 1 (line 2), column participants_by_audience: \"policja\" is given twice; give each audience's count once"),
        ("police:1.5", "row 1 (line 2), column participants_by_audience: \"1.5\" is not a whole number of 0 or more (digits only, e.g. 1200)"),
        ("police:1000000001", "row 1 (line 2), column participants_by_audience: \"1000000001\" is too large (at most 1000000000)"),
        ("police:12;;city_office:8", "row 1 (line 2), column participants_by_audience: \"police:12;;city_office:8\" has an empty item; separate values with single semicolons"),
        ("urząd:12", "row 1 (line 2), column participants_by_audience: \"urząd\" is the name of more than one value (city_office, other); write the code instead"),
    ])
    func aMalformedCellIsRefusedNamingRowAndColumn(cell: String, message: String) throws {
        let errors = try #require(parse(Self.header + "\n" + Self.row(breakdown: cell) + "\n").failure)
        #expect(errors.errors.map(\.description) == [message])
    }

    @Test func aNewCountThatIsNotACountIsRefused() throws {
        let errors = try #require(parse(Self.header + "\n" + Self.row(breakdown: "", new: "dużo") + "\n").failure)
        #expect(errors.errors.map(\.description)
            == ["row 1 (line 2), column participants_new: \"dużo\" is not a whole number of 0 or more (digits only, e.g. 1200)"])
    }

    @Test func partsNotAddingUpAudiencesOutsideAndTooManyNewAreRefusedAllOrNothing() async throws {
        let errors = try await importerErrors([
            // Good: 12 + 8 + 20 = 40, 15 new.
            Self.row(breakdown: "city_office:12;municipal_guard:8;police:20", new: "15"),
            // 12 + 8 + 21 = 41, not 40.
            Self.row(breakdown: "city_office:12;municipal_guard:8;police:21"),
            // Teachers are not among the row's audiences.
            Self.row(breakdown: "city_office:12;municipal_guard:8;teachers:20"),
            // 41 new of 40.
            Self.row(breakdown: "", new: "41"),
        ])
        #expect(errors == [
            "row 2 (line 3), column participants_by_audience: adds up to 41, not to the 40 participants",
            "row 3 (line 4), column participants_by_audience: names teachers, not among the record's audiences",
            "row 4 (line 5), column participants_new: is more than the 40 participants the record counts",
        ])
        #expect(try await importerErrors([Self.row(breakdown: "city_office:12;municipal_guard:8;police:20", new: "15")]).isEmpty)
        // No participants and no audiences given: the breakdown gives both (stored as 40, three audiences).
        #expect(try await importerErrors([Self.row(participants: "", audience: "", breakdown: "city_office:12;municipal_guard:8;police:20", new: "40")]).isEmpty)
    }

    @Test func exportWritesTheColumnsAndReadsBack() throws {
        var record = ActivityRecord(id: 7, programmeSlug: programme.slug, taskCode: "6.3", kind: .training, title: "Szkolenie",
                                    startDate: CalendarDate(year: 2025, month: 3, day: 14)!, organisationID: 1,
                                    participants: 40, audiences: [.cityOffice, .municipalGuard, .police])
        record.participantsByAudience = AudienceBreakdown([.police: 20, .cityOffice: 12, .municipalGuard: 8])
        record.participantsNew = 15
        let text = ActivityCSV.export(records: [record], organisationName: { _ in "Fundacja" }, includeStatus: false)
        #expect(text.contains(",\"city_office:12;municipal_guard:8;police:20\",15\r\n"))
        let back = try parse(text).get()
        #expect(back.first?.input.participantsByAudience == record.participantsByAudience)
        #expect(back.first?.input.participantsNew == 15)
    }
}
