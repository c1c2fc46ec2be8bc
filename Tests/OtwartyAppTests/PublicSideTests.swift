import Foundation
import FoundationXML
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// The public side through the router: progress cached until an approval, events with filters,
/// open data that matches its documented schemas, the IATI results, the accessibility statement.
@Suite struct PublicSideTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func seed(_ app: TestApp) async throws -> OrganisationID {
        let organisation = try await app.services.repositories.organisations.create(name: "Fundacja Test", kind: .ngo).id
        for (task, kind, date, district, langs, status) in [
            ("4.1", ActivityKind.event, "2025-06-01", 1, ["uk", "pl"], ActivityStatus.approved),
            ("4.1", .event, "2025-07-01", 2, ["pl"], .approved),
            ("3.5", .course, "2025-03-01", 1, ["uk"], .approved),
            ("1.1", .consultation, "2025-02-01", 3, ["en"], .approved),
            ("2.1", .meeting, "2025-02-02", 1, ["pl"], .approved),     // not a public kind
            ("4.1", .event, "2025-08-08", 1, ["uk"], .submitted),      // not approved
        ] {
            try await app.store(Fixtures.activity(task, kind, date, organisation: organisation, title: "\(kind.rawValue) \(date)",
                                                  district: district, participants: 10, languages: langs), status: status)
        }
        return organisation
    }

    @Test func theProgressPageIsCachedUntilAnApproval() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let first = try await client.execute(uri: "/uk/progress?year=2025", method: .get)
            #expect(first.status == .ok && first.text.contains("<html lang=\"uk\">"))
            #expect(first.headers[.cacheControl] == "public, max-age=60")
            let again = try await client.execute(uri: "/uk/progress?year=2025", method: .get)
            #expect(again.text == first.text)
            // An approval changes the data version: the next view is rendered afresh with the new value.
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let record = try #require(try await app.services.repositories.activities.list(
                ActivityFilter(programmeSlug: Self.slug, statuses: [.submitted]), limit: 1, offset: 0).first)
            _ = try await app.services.activities.approve(id: record.id, as: coordinator.user)
            let after = try await client.execute(uri: "/uk/progress?year=2025", method: .get)
            #expect(after.text != first.text)
            #expect(try await client.execute(uri: "/uk/progress?year=2031", method: .get).status == .notFound)
            // Signed in, the page is rendered for the user (their name is in the header) and not shared.
            let signed = try await client.execute(uri: "/uk/progress?year=2025", method: .get, headers: coordinator.cookie)
            #expect(signed.headers[.cacheControl] == "no-store" && signed.text.contains("Test programme-coordinator"))
        }
    }

    @Test func eventsAreApprovedPublicRecordsFilteredByDistrictLanguageAndDate() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let all = try await client.execute(uri: "/pl/events?from=2025-01-01&to=2025-12-31", method: .get)
            #expect(all.status == .ok)
            #expect(all.text.contains("event 2025-06-01") && all.text.contains("course 2025-03-01") && all.text.contains("consultation 2025-02-01"))
            #expect(!all.text.contains("meeting 2025-02-02") && !all.text.contains("event 2025-08-08"))
            let uk = try await client.execute(uri: "/pl/events?from=2025-01-01&to=2025-12-31&language=uk&district=1", method: .get)
            #expect(uk.text.contains("event 2025-06-01") && uk.text.contains("course 2025-03-01") && !uk.text.contains("event 2025-07-01"))
            let june = try await client.execute(uri: "/pl/events?from=2025-05-01&to=2025-06-30", method: .get)
            #expect(june.text.contains("event 2025-06-01") && !june.text.contains("course 2025-03-01"))
        }
    }

    @Test func openDataFilesMatchTheirDocumentedSchemas() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let spec = SchemaValidator(document: try APITests.document())
            let catalogue = try await client.execute(uri: "/api/v1/open-data", method: .get)
            let catalogueJSON = try JSONSerialization.jsonObject(with: Data(buffer: catalogue.body))
            #expect(spec.validate(catalogueJSON, against: try #require(spec.responseSchema(path: "/api/v1/open-data", status: 200))).isEmpty)
            // Every distribution in the catalogue answers 200.
            let datasets = try #require((catalogueJSON as? [String: Any])?["datasets"] as? [[String: Any]])
            #expect(datasets.count >= 5)
            for dataset in datasets {
                for distribution in dataset["distributions"] as? [[String: Any]] ?? [] {
                    let url = try #require(distribution["downloadURL"] as? String)
                    let path = String(url.dropFirst("http://otwarty.test".count))
                    #expect(try await client.execute(uri: path, method: .get).status == .ok, "\(path)")
                }
            }
            for (path, documented) in [("/open-data/2025/indicators.json", "/open-data/{year}/indicators.json"),
                                       ("/open-data/2025/events.json", "/open-data/{year}/events.json")] {
                let response = try await client.execute(uri: path, method: .get)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
                let problems = spec.validate(json, against: try #require(spec.responseSchema(path: documented, status: 200)))
                #expect(problems.isEmpty, "\(path): \(problems)")
            }
            let events = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await client.execute(
                uri: "/open-data/2025/events.json", method: .get).body)) as? [[String: Any]])
            #expect(events.count == 4, "approved records of public kinds only")
            // CSV headers are the documented fields.
            let indicators = try await client.execute(uri: "/open-data/2025/indicators.csv", method: .get).text
            #expect(indicators.hasPrefix("\u{FEFF}year,type,code,goal,task,name,value,target,baseline,achievement,weight,reason"))
            let eventsCSV = try await client.execute(uri: "/open-data/2025/events.csv", method: .get).text
            #expect(eventsCSV.hasPrefix("\u{FEFF}id,start_date,end_date,task,kind,title,district,languages,organisation,participants"))
            #expect(try await client.execute(uri: "/open-data/2031/indicators.json", method: .get).status == .notFound)
        }
    }

    @Test func theIATIExportCarriesBaselinesTargetsAndActuals() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let response = try await client.execute(uri: "/open-data/iati-results.xml", method: .get)
            #expect(response.status == .ok)
            let data = Data(buffer: response.body)
            #expect(XMLParser(data: data).parse())
            let xml = response.text
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            #expect(xml.components(separatedBy: "<result type=\"2\"").count - 1 == programme.results.count)
            #expect(xml.contains("<baseline year=\"\(programme.results[0].baseline.year)\""))
            #expect(xml.contains("<period-start iso-date=\"2025-01-01\"/>") && xml.contains("<target value="))
            let engine = IndicatorEngine(aggregator: app.services.repositories.aggregator, references: app.services.repositories.references,
                                         sources: app.services.repositories.measureSources)
            let r3 = try #require(try await engine.report(for: programme, year: 2025).results.first { $0.actual != nil })
            #expect(xml.contains("<actual value=\"\(OpenDataFiles.number(r3.actual!))\"/>"))
        }
    }

    @Test func theAccessibilityStatementIsLinkedFromEveryFooter() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for lang in ["pl", "en", "uk", "ru"] {
                for page in ["/", "/progress", "/events", "/open-data", "/report-incident", "/login"] {
                    let response = try await client.execute(uri: "/\(lang)\(page)", method: .get)
                    #expect(response.text.contains("href=\"/\(lang)/accessibility\""), "\(lang)\(page)")
                }
                #expect(try await client.execute(uri: "/\(lang)/accessibility", method: .get).status == .ok)
            }
        }
    }
}
