import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing

/// Each open dataset has a metadata file in the spirit of Eurostat's SIMS (issue 13 E): listed in
/// the catalogue and on the open-data page, valid against openapi.yaml, every text in pl, en, uk and
/// ru, and for the indicators one methodology per measure and result.
@Suite struct OpenDataMetadataTests {
    static let languages: Set<String> = ["pl", "en", "uk", "ru"]

    func json(_ client: some TestClientProtocol, _ path: String) async throws -> (HTTPResponse.Status, Any?) {
        let response = try await client.execute(uri: path, method: .get)
        return (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)))
    }

    /// Every object that maps languages to texts, with its path: each must have all four, none empty.
    func textObjects(_ value: Any, _ path: String = "") -> [(String, [String: Any])] {
        if let object = value as? [String: Any] {
            if !object.isEmpty, Set(object.keys).isSubset(of: Self.languages), object.values.allSatisfy({ $0 is String }) {
                return [(path, object)]
            }
            return object.flatMap { textObjects($0.value, "\(path).\($0.key)") }
        }
        if let array = value as? [Any] { return array.enumerated().flatMap { textObjects($0.element, "\(path)[\($0.offset)]") } }
        return []
    }

    @Test func everyDatasetHasItsMetadataInFourLanguages() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let spec = SchemaValidator(document: try APITests.document())
            let (_, catalogue) = try await json(client, "/api/v1/open-data")
            let datasets = try #require((catalogue as? [String: Any])?["datasets"] as? [[String: Any]])
            #expect(datasets.count >= 5)
            let schema = try #require(spec.responseSchema(path: "/open-data/metadata/{dataset}", status: 200))
            for dataset in datasets {
                let identifier = try #require(dataset["identifier"] as? String)
                let url = try #require(dataset["metadata"] as? String, "\(identifier) lists no metadata")
                #expect(url == "http://otwarty.test/open-data/metadata/\(identifier)")
                let (status, body) = try await json(client, String(url.dropFirst("http://otwarty.test".count)))
                #expect(status == .ok, "\(identifier)")
                let metadata = try #require(body as? [String: Any], "\(identifier)")
                #expect(spec.validate(metadata, against: schema).isEmpty, "\(identifier): \(spec.validate(metadata, against: schema))")
                #expect(metadata["dataset"] as? String == identifier)
                let texts = textObjects(metadata)
                #expect(texts.count >= 17, "\(identifier): the SIMS concepts as texts")
                for (path, text) in texts {
                    #expect(Set(text.keys) == Self.languages, "\(identifier)\(path) lacks a language")
                    #expect(text.values.allSatisfy { !(($0 as? String) ?? "").isEmpty && !(($0 as? String) ?? "").hasPrefix("sims.") },
                            "\(identifier)\(path): an empty text or a raw key")
                }
            }
        }
    }

    @Test func theIndicatorsMetadataExplainsEveryValue() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let (_, body) = try await json(client, "/open-data/metadata/indicators-2025")
            let metadata = try #require(body as? [String: Any])
            let methods = try #require(metadata["methods"] as? [[String: Any]])
            #expect(methods.count == 40)
            // The same codes as the indicators files (R1… for results).
            let (_, rows) = try await json(client, "/open-data/2025/indicators.json")
            let codes = Set(try #require(rows as? [[String: Any]]).compactMap { $0["code"] as? String }).subtracting(["INDEX"])
            #expect(Set(methods.compactMap { $0["code"] as? String }) == codes)
            // Ukrainian text from the glosses file, the unit named in Ukrainian, the sources in order.
            let programme = try EmbeddedProgrammes.krakow()
            let glosses = ProgrammeGlosses.bundled(slug: programme.slug)
            let result = try #require(methods.first { $0["code"] as? String == "R1" })
            let uk = try #require(programme.methodology(of: .result(1), language: "uk", glosses: glosses))
            #expect((result["definition"] as? [String: String])?["uk"] == uk.definition)
            #expect((result["limits"] as? [String: String])?["pl"] == programme.results[0].method?.limits)
            #expect((result["unit"] as? [String: Any])?["code"] as? String == "percent")
            #expect(((result["sources"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } == ["records", "reference-statistic"])
            let localiser = try Localiser.bundled()
            let unitName = ((methods.first { $0["code"] as? String == "2.1.b" }?["unit"] as? [String: Any])?["name"] as? [String: String])
            #expect(unitName?["uk"] == localiser.text("methodology.unit.attendances", "uk"))
            #expect((metadata["statisticalPresentation"] as? [String: Any])?["timeCoverage"] as? String == "2025")
            // Datasets without values carry no methods; the IATI results carry the four results'.
            let (_, events) = try await json(client, "/open-data/metadata/events-2025")
            #expect((events as? [String: Any])?["methods"] == nil)
            let (_, iati) = try await json(client, "/open-data/metadata/iati-results")
            #expect(((iati as? [String: Any])?["methods"] as? [Any])?.count == 4)
        }
    }

    @Test func incidentStatisticsSayWhatIsSuppressed() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let (status, body) = try await json(client, "/open-data/metadata/incident-statistics-2025")
            #expect(status == .ok)
            let confidentiality = (body as? [String: Any])?["confidentiality"] as? [String: String]
            #expect(confidentiality?["en"]?.contains("<5") == true)
        }
    }

    @Test func anUnknownOrMalformedDatasetIsNotFound() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            for path in ["/open-data/metadata/indicators-2031", "/open-data/metadata/nothing",
                         "/open-data/metadata/" + String(repeating: "a", count: 500), "/open-data/metadata/Indicators-2025",
                         "/open-data/metadata/%3Cscript%3E"] {
                let status = try await client.execute(uri: path, method: .get).status
                #expect(status == .notFound, "\(path)")
            }
        }
    }

    @Test func theOpenDataPageLinksEachMetadataFile() async throws {
        try await TestApp.withApp(storage: .memory) { _, client in
            let localiser = try Localiser.bundled()
            for language in Self.languages {
                let page = try await client.execute(uri: "/\(language)/open-data", method: .get).text
                #expect(page.contains("href=\"http://otwarty.test/open-data/metadata/indicators-2025\""), "\(language)")
                #expect(page.contains(localiser.text("opendata.metadata", language)), "\(language)")
            }
        }
    }
}
