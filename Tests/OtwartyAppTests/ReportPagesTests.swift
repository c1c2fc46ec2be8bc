import Foundation
import FoundationXML
import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import OtwartyTestSupport
import Testing
import ZIPFoundation

/// The annual report through the real router: the HTML's numbers are the engine's, the ODT is a
/// valid package, frozen versions never change, and the narrative, budget and risk forms feed it.
@Suite struct ReportPagesTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    static func day(_ iso: String) -> CalendarDate { Fixtures.day(iso) }

    /// Approved records for 2024 and 2025, and one draft that must never count.
    static func seed(_ app: TestApp) async throws -> OrganisationID {
        let organisation = try await app.services.repositories.organisations.create(name: "Fundacja <Test> & Co", kind: .ngo).id
        func add(_ task: String, _ kind: ActivityKind, _ date: String, _ status: ActivityStatus = .approved,
                 participants: Int? = nil, beneficiaries: Int? = nil, title: String? = nil) async throws {
            try await app.store(Fixtures.activity(task, kind, date, organisation: organisation, title: title,
                                                  participants: participants, beneficiaries: beneficiaries), status: status)
        }
        try await add("1.1", .consultation, "2025-02-10", beneficiaries: 3000)
        try await add("1.1", .consultation, "2025-08-05", beneficiaries: 1500)
        try await add("4.1", .event, "2025-03-03", participants: 400, title: "Festiwal <b>Kultur</b>")
        try await add("4.1", .event, "2024-05-01", participants: 100)
        try await add("3.5", .course, "2025-01-15", participants: 1200)
        try await add("4.1", .event, "2025-06-06", .draft, participants: 99_999)
        return organisation
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, as user: SignedInUser) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: user.cookie)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, as user: SignedInUser,
                     _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(),
                                 body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    @Test func theHTMLReportShowsTheEnginesNumbers() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let response = try await Self.get(client, "/pl/reports/2025", as: viewer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentSecurityPolicy] == ReportStylesheet.contentSecurityPolicy)
            let html = response.text
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let engine = IndicatorEngine(aggregator: app.services.repositories.aggregator,
                                         references: app.services.repositories.references,
                                         sources: app.services.repositories.measureSources)
            let expected = try await engine.report(for: programme, year: 2025)
            let format = Formatting(language: "pl")
            var checked = 0
            for measure in expected.measures {
                guard let value = measure.value else { continue }
                // The measure's row: its code, then the yearly values ending with the year's own.
                let cell = "<td class=\"num\">\(format.number(value))</td></tr>"
                #expect(html.contains("<tr><td>\(measure.code)</td>"), "\(measure.code) missing")
                let row = html.components(separatedBy: "<tr><td>\(measure.code)</td>").dropFirst().first ?? ""
                #expect(row.prefix(while: { $0 != "\n" }).hasSuffix(cell) || row.contains(cell), "\(measure.code) ≠ \(value)")
                checked += 1
            }
            #expect(checked >= 3, "the seed gives several measures a value")
            for result in expected.results {
                if let actual = result.actual { #expect(html.contains(format.number(actual)), "R\(result.goal)") }
            }
            // Approved records only, escaped, with the organisation's name in the annex.
            #expect(html.contains("Festiwal &lt;b&gt;Kultur&lt;/b&gt;"))
            #expect(html.contains("Fundacja &lt;Test&gt; &amp; Co"))
            #expect(!html.contains("99999") && !html.contains("99 999") && !html.contains("99\u{00A0}999"))
            #expect(html.contains("Wersja robocza"))
            // Another language: the same report with English labels.
            let english = try await Self.get(client, "/en/reports/2025", as: viewer)
            #expect(english.text.contains("Results declaration") && english.text.contains("<html lang=\"en\">"))
            // Out of the period, and nonsense years, are 404s.
            #expect(try await Self.get(client, "/pl/reports/2031", as: viewer).status == .notFound)
            #expect(try await Self.get(client, "/pl/reports/abc", as: viewer).status == .notFound)
            #expect(try await Self.get(client, "/pl/reports/2025/draft/docx", as: viewer).status == .notFound)
        }
    }

    @Test func theODTIsAValidPackageWithTheResultsTable() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            _ = try await Self.seed(app)
            let viewer = try await app.signedIn(.viewer)
            let response = try await Self.get(client, "/pl/reports/2025/draft/odt", as: viewer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/vnd.oasis.opendocument.text")
            #expect(response.headers[.contentDisposition]?.contains("otwarty-krakow-2024-2028-2025-draft.odt") == true)
            let bytes = [UInt8](buffer: response.body)
            let archive = try Archive(data: Data(bytes), accessMode: .read)
            let entries = Array(archive)
            #expect(entries.first?.path == "mimetype")
            #expect(entries.first?.compressedSize == entries.first?.uncompressedSize, "mimetype is stored, not compressed")
            // The local header of the first entry: name "mimetype" at offset 30, content right after it.
            #expect(String(decoding: bytes[30..<38], as: UTF8.self) == "mimetype")
            #expect(String(decoding: bytes[38..<(38 + 39)], as: UTF8.self) == "application/vnd.oasis.opendocument.text")
            var xml: [String: String] = [:]
            for name in ["content.xml", "styles.xml", "META-INF/manifest.xml", "meta.xml"] {
                let entry = try #require(archive[name], "\(name) missing")
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                #expect(XMLParser(data: data).parse(), "\(name) is not well-formed")
                xml[name] = String(decoding: data, as: UTF8.self)
            }
            let content = try #require(xml["content.xml"])
            #expect(content.contains("Deklaracja wyników"))
            #expect(content.contains("text:outline-level=\"1\""))
            #expect(content.contains("table:table-header-rows"))
            #expect(content.contains("Festiwal &lt;b&gt;Kultur&lt;/b&gt;"))
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let engine = IndicatorEngine(aggregator: app.services.repositories.aggregator, references: app.services.repositories.references,
                                         sources: app.services.repositories.measureSources)
            for result in try await engine.report(for: programme, year: 2025).results {
                let escaped = result.indicator.replacingOccurrences(of: "&", with: "&amp;")
                    .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                #expect(content.contains(escaped), "R\(result.goal)'s name")
                if let actual = result.actual { #expect(content.contains(Formatting(language: "pl").number(actual)), "R\(result.goal)") }
            }
            #expect(xml["META-INF/manifest.xml"]?.contains("Pictures/") == true, "the chart is an image")
        }
    }

    @Test func aFrozenVersionNeverChanges() async throws {
        try await TestApp.withApp { app, client in
            let organisation = try await Self.seed(app)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            // The first post asks (DashboardExplainsTests); the confirmed one freezes.
            let frozen = try await Self.post(client, "/pl/reports/2025/freeze", as: coordinator, [("confirmed", "yes")])
            #expect(frozen.status == .seeOther && frozen.headers[.location] == "/pl/reports#year-2025")
            let versions = try await app.services.repositories.reportVersions.versions(programme: Self.slug, year: 2025)
            #expect(versions.map(\.number) == [1])
            #expect(Set(versions[0].digests.keys) == [.html, .odt], "no PDF renderer here: the PDF comes later")

            func download(_ format: String) async throws -> [UInt8] {
                let response = try await Self.get(client, "/pl/reports/2025/versions/1/\(format)", as: coordinator)
                #expect(response.status == .ok, "\(format)")
                return [UInt8](buffer: response.body)
            }
            let odt1 = try await download("odt"), html1 = try await download("html")
            #expect(SHA256Hex.digest(odt1) == versions[0].digests[.odt])
            #expect(String(decoding: html1, as: UTF8.self).contains("Wersja 1"))
            let draftBefore = try await Self.get(client, "/pl/reports/2025", as: coordinator).text

            // Records change: a new approved record for 2025, and the clock moves on.
            _ = try await app.services.repositories.activities.create(
                programmeSlug: Self.slug,
                input: ActivityInput(taskCode: "4.1", kind: .event, title: "Później dodane", startDate: Self.day("2025-11-11"),
                                     organisationID: organisation, participants: 77),
                status: .approved, by: nil, at: app.clock.now)
            app.clock.advance(by: 60)
            #expect(try await download("odt") == odt1)
            #expect(try await download("html") == html1)
            #expect(try await download("odt") == odt1)
            let draftAfter = try await Self.get(client, "/pl/reports/2025", as: coordinator).text
            #expect(draftAfter != draftBefore && draftAfter.contains("Później dodane"))
            #expect(!String(decoding: html1, as: UTF8.self).contains("Później dodane"))

            // The next freeze is version 2; the audit trail says who froze what.
            #expect(try await Self.post(client, "/pl/reports/2025/freeze", as: coordinator, [("confirmed", "yes")]).status == .seeOther)
            #expect(try await app.services.repositories.reportVersions.versions(programme: Self.slug, year: 2025).map(\.number) == [2, 1])
            let audit = try await app.services.repositories.audit.entries(subject: "report:\(Self.slug):2025", limit: 10)
            #expect(audit.filter { $0.action == "report.frozen" }.count == 2)
            #expect(audit.allSatisfy { $0.actorUserID == coordinator.user.id })
            #expect(audit.first?.detail.contains("odt sha256 ") == true)

            // The PDF of a frozen version: no renderer here, so a clear 503 naming the package.
            let pdf = try await Self.get(client, "/pl/reports/2025/versions/1/pdf", as: coordinator)
            #expect(pdf.status == .serviceUnavailable)
            #expect(pdf.text.contains("chromium"))
            #expect(try await Self.get(client, "/pl/reports/2025/versions/9/odt", as: coordinator).status == .notFound)

            // Only coordinators freeze; those who may read the budget may read the report (it carries the financing).
            for role in [Role.viewer, .partner, .unitCoordinator] {
                let user = try await app.signedIn(role)
                #expect(try await Self.post(client, "/pl/reports/2025/freeze", as: user, [("confirmed", "yes")]).status == .forbidden, "\(role)")
                #expect(try await Self.get(client, "/pl/reports", as: user).status == (role == .partner ? .forbidden : .ok), "\(role)")
            }
            let list = try await Self.get(client, "/pl/reports", as: coordinator).text
            #expect(list.contains(versions[0].digests[.odt]!))
        }
    }

    @Test func theNarrativeIsADraftShownInThePreview() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let form = try await Self.get(client, "/pl/reports/2025/narrative", as: coordinator)
            #expect(form.status == .ok && form.text.contains("name=\"goal-6\""))
            let saved = try await Self.post(client, "/pl/reports/2025/narrative", as: coordinator,
                                            [("introduction", "Rok <b>przełomowy</b>.\n\nDrugi akapit."), ("goal-2", "Cel drugi: dobrze.")])
            #expect(saved.status == .seeOther && saved.cookie("otwarty_notice") == "narrative-saved.2025", "a banner on the next page")
            let preview = try await Self.get(client, "/pl/reports/2025", as: coordinator).text
            #expect(preview.contains("<p>Rok &lt;b&gt;przełomowy&lt;/b&gt;.</p><p>Drugi akapit.</p>"))
            #expect(preview.contains("Cel drugi: dobrze."))
            let tooLong = try await Self.post(client, "/pl/reports/2025/narrative", as: coordinator,
                                              [("introduction", String(repeating: "x", count: 20_001))])
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("aria-invalid=\"true\""))
            // The rejected text was not stored.
            #expect(try await app.services.repositories.narratives.narrative(programme: Self.slug, year: 2025).introduction
                        == "Rok <b>przełomowy</b>.\n\nDrugi akapit.")
            let partner = try await app.signedIn(.partner)
            #expect(try await Self.get(client, "/pl/reports/2025/narrative", as: partner).status == .forbidden)
        }
    }

    @Test func budgetEntriesFeedTheFinancingTable() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let saved = try await Self.post(client, "/pl/budget", as: coordinator,
                                            [("year", "2025"), ("task", "1.2"), ("source", "1"), ("planned", "12 500,50"), ("spent", "10000")])
            #expect(saved.status == .seeOther)
            let bad = try await Self.post(client, "/pl/budget", as: coordinator,
                                          [("year", "2025"), ("task", "9.9"), ("source", "1"), ("planned", "abc")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("href=\"#planned\"") && bad.text.contains("href=\"#task\""))

            // A file with one bad row is rejected whole, naming the row.
            func upload(_ csv: String) async throws -> TestResponse {
                let boundary = "----otwarty-budget"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(coordinator.csrfToken)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2025\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                var headers = coordinator.formHeaders()
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                return try await client.execute(uri: "/pl/budget/import", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            let rejected = try await upload("year,task,source,planned,spent\n2025,2.1,3,100,\n2025,2.2,99,100,\n")
            #expect(rejected.status == .unprocessableContent && rejected.text.contains("row 2, source"))
            #expect(try await app.services.repositories.budget.entries(programme: Self.slug, year: 2025).count == 1)
            let accepted = try await upload("year,task,source,planned,spent\n2025,2.1,3,100,50\n2025,1.2,1,1,\n")
            #expect(accepted.status == .seeOther && accepted.cookie("otwarty_notice") == "budget-imported.2")
            let entries = try await app.services.repositories.budget.entries(programme: Self.slug, year: 2025)
            #expect(entries.map(\.taskCode) == ["1.2", "2.1"])
            #expect(entries[0].plannedGrosze == 100 && entries[0].spentGrosze == nil, "the file's row replaced the form's")

            let report = try await Self.get(client, "/pl/reports/2025", as: coordinator).text
            #expect(report.contains("<td class=\"num\">101,00\u{00A0}zł</td>"), "planned total of 1,00 + 100,00")
            let csv = try await Self.get(client, "/pl/budget/budget.csv", as: coordinator)
            #expect(csv.text.hasPrefix("year,task,source,planned,spent,note"))
            let viewer = try await app.signedIn(.viewer)
            #expect(try await Self.get(client, "/pl/budget?year=2025", as: viewer).status == .ok)
            #expect(try await Self.post(client, "/pl/budget/delete", as: viewer, [("year", "2025"), ("task", "1.2"), ("source", "1")]).status == .forbidden)
            // Deleting asks first (DashboardExplainsTests); the confirmed post deletes.
            #expect(try await Self.post(client, "/pl/budget/delete", as: coordinator, [("year", "2025"), ("task", "1.2"), ("source", "1"), ("confirmed", "yes")]).status == .seeOther)
            #expect(try await Self.post(client, "/pl/budget/delete", as: coordinator, [("year", "2025"), ("task", "1.2"), ("source", "1"), ("confirmed", "yes")]).status == .notFound)
        }
    }

    @Test func aReassessmentChangesTheRegisterAndTheReport() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let risks = "/pl/programmes/\(Self.slug)/risks"
            let added = try await Self.post(client, "\(risks)/assessments", as: coordinator,
                                            [("risk", "1"), ("date", "2025-06-01"), ("score", "7"), ("reason", "Napięcia <po> wydarzeniach")])
            #expect(added.status == .seeOther)
            let missing = try await Self.post(client, "\(risks)/assessments", as: coordinator,
                                              [("risk", "1"), ("date", "2025-06-01"), ("score", "9"), ("reason", " ")])
            #expect(missing.status == .unprocessableContent && missing.text.contains("href=\"#reason\""))
            let page = try await Self.get(client, risks, as: coordinator).text
            #expect(page.contains("Napięcia &lt;po&gt; wydarzeniach"))
            // Anonymous readers see the register, not the office's working notes.
            let anonymous = try await client.execute(uri: risks, method: .get)
            #expect(anonymous.status == .ok && !anonymous.text.contains("Napięcia"))
            let report = try await Self.get(client, "/pl/reports/2025", as: coordinator).text
            #expect(report.contains("Napięcia &lt;po&gt; wydarzeniach"))
            let partner = try await app.signedIn(.partner)
            #expect(try await Self.post(client, "\(risks)/assessments", as: partner,
                                        [("risk", "1"), ("date", "2025-06-01"), ("score", "2"), ("reason", "x")]).status == .forbidden)
        }
    }

    @Test func theDashboardShowsTheReportCalendar() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let viewer = try await app.signedIn(.viewer)
            let page = try await Self.get(client, "/pl/dashboard", as: viewer).text
            // The test clock is in September 2026: the 2025 report was due on 30 April 2026.
            #expect(page.contains("Kalendarz sprawozdawczy: sprawozdanie za rok 2025"))
            #expect(page.contains("30 kwietnia 2026"))
            #expect(page.contains("termin minął"))
            // Task 2.2 had a dated deadline and no approved record before it.
            #expect(page.contains("/pl/programmes/\(Self.slug)/tasks/2.2"))
        }
    }
}
