import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The CSV import as a coordinator uses it (issue 12, item 8): errors in the page's language,
/// labels beside codes, a preview that stores nothing, a confirmation that stores all or nothing,
/// an explicit tick before records skip review, the banner after, the template and the codes.
@Suite struct ImportPreviewTests {
    static let slug = "otwarty-krakow-2024-2028"
    static let header = "date,task,kind,title,organisation,district,participants,beneficiaries,audience,amount,institution,languages,notes\n"

    func upload(_ client: any TestClientProtocol, _ user: SignedInUser, language: String = "pl", status: String = "draft",
                createOrganisations: Bool = false, file: String) async throws -> TestResponse {
        let boundary = "----otwarty-import-boundary"
        var body = ""
        func field(_ name: String, _ value: String) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        field("_csrf", user.csrfToken)
        field("status", status)
        if createOrganisations { field("createOrganisations", "1") }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dzialania.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return try await client.execute(uri: "/\(language)/import", method: .post,
                                        headers: [.cookie: "otwarty_session=\(user.sessionToken)",
                                                  .contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(string: body))
    }

    func confirm(_ client: any TestClientProtocol, _ user: SignedInUser, _ location: String,
                 _ fields: [(String, String)] = []) async throws -> TestResponse {
        try await client.execute(uri: location, method: .post, headers: user.formHeaders(),
                                 body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    func stored(_ app: TestApp) async throws -> Int {
        try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: Self.slug))
    }

    @Test func aPolishPageNamesRowAndColumnInPolishAndListsEveryProblem() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let bad = Self.header
                + "10.05.2025,4.1,event,Festiwal,Fundacja Dialog,,350,,residents,,,pl,\n"
                + "2025-06-14,9.9,impreza,Koncert,Fundacja Dialog,,-3,,,,,pl,\n"
            let pl = try await upload(client, coordinator, file: bad)
            #expect(pl.status == .unprocessableContent)
            #expect(pl.text.contains("wiersz 1 (linia 2), kolumna date: &quot;10.05.2025&quot; nie jest datą"))
            #expect(pl.text.contains("wiersz 2 (linia 3), kolumna task: &quot;9.9&quot; nie jest zadaniem programu"))
            #expect(pl.text.contains("wiersz 2 (linia 3), kolumna kind: &quot;impreza&quot; nie jest rodzajem działania"))
            #expect(pl.text.contains("wiersz 2 (linia 3), kolumna participants"))
            #expect(pl.text.contains("Znaleźliśmy 4 błędy."))
            #expect(!pl.text.contains("is not a date"), "no English on the Polish page")
            let uk = try await upload(client, coordinator, language: "uk", file: bad)
            #expect(uk.text.contains("рядок 1 (лінія файлу 2), стовпець date: &quot;10.05.2025&quot; не є датою"))
            let en = try await upload(client, coordinator, language: "en", file: bad)
            #expect(en.text.contains("row 1 (line 2), column date: &quot;10.05.2025&quot; is not a date"))
            #expect(try await stored(app) == 0)
        }
    }

    @Test func aLongListIsCutAtAHundredAndSaysHowManyMore() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let rows = (1...130).map { _ in "2025-06-14,9.9,event,Koncert,Nieznana,,,,,,,pl," }.joined(separator: "\n")
            let page = try await upload(client, coordinator, language: "en", file: Self.header + rows + "\n")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("We found 260 problems."))
            #expect(page.text.contains("…and 160 more problems not listed here."))
            #expect(page.text.components(separatedBy: "<li>row ").count - 1 == 100)
        }
    }

    @Test func wydarzenieIsReadAsEventAndThePreviewStoresNothingUntilConfirmed() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let file = Self.header
                + "2025-06-14,4.1,wydarzenie,Festiwal,Fundacja Dialog,XVIII,350,,Mieszkańcy;osoby z doświadczeniem migracyjnym,1 500,,pl;uk,\n"
                + "2025-07-01,4.1,Подія,Koncert,Fundacja Dialog,,90,,residents,,,pl,\n"
                + "2025-07-02,3.5,kurs,Kurs A1,Fundacja Dialog,,12,12,migrants,,,pl,\n"
            let uploaded = try await upload(client, coordinator, file: file)
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.headers[.location])
            #expect(location.hasPrefix("/pl/import/pending/"))
            #expect(try await stored(app) == 0, "the upload stores no record")

            let preview = try await client.execute(uri: location, method: .get, headers: coordinator.cookie)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("3 działania, stan: szkic"))
            #expect(preview.text.contains("wydarzenie") && preview.text.contains("mieszkańcy, osoby z doświadczeniem migracyjnym"))
            #expect(preview.text.contains("500,00\u{00A0}zł"), "the amount as it will be stored, in złoty")
            #expect(preview.text.contains("4.1 ") && preview.text.contains("3.5 "), "totals per task")
            #expect(!preview.text.contains("name=\"confirmApproved\""), "drafts need no tick")
            #expect(try await stored(app) == 0, "the preview stores no record")

            // Someone else's preview is not found, and neither is their confirmation.
            let other = try await app.signedIn(.administrator, email: "admin2@example.org")
            #expect(try await client.execute(uri: location, method: .get, headers: other.cookie).status == .notFound)
            #expect(try await confirm(client, other, location).status == .notFound)

            let confirmed = try await confirm(client, coordinator, location)
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/pl/import")
            let records = try await app.services.repositories.activities.list(ActivityFilter(programmeSlug: Self.slug), limit: 10, offset: 0)
            #expect(records.count == 3 && records.allSatisfy { $0.status == .draft })
            #expect(Set(records.map(\.kind)) == [.event, .course], "labels stored as codes")
            #expect(records.first { $0.title == "Festiwal" }?.audiences == [.residents, .migrants])

            // The banner after: how many, in which state, with a link to them.
            let cookie = try #require(confirmed.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let banner = try await client.execute(uri: "/pl/import", method: .get,
                                                  headers: [.cookie: "otwarty_session=\(coordinator.sessionToken); \(cookie)"])
            #expect(banner.text.contains("Zapisano 3 działania ze stanem: szkic."))
            #expect(banner.text.contains("/pl/activities?status=draft"))

            // A second confirmation (back button, second tab) imports nothing more.
            let again = try await confirm(client, coordinator, location)
            #expect(again.status == .seeOther)
            #expect(try await stored(app) == 3)
        }
    }

    @Test func asApprovedNeedsTheTickAndWarnsFirst() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            let uploaded = try await upload(client, coordinator, language: "en", status: "approved",
                                            file: Self.header + "2025-06-14,4.1,event,Festiwal,Fundacja Dialog,,350,,residents,,,pl,\n")
            let location = try #require(uploaded.headers[.location])
            let preview = try await client.execute(uri: location, method: .get, headers: coordinator.cookie)
            #expect(preview.text.contains("skip the coordinator&#39;s review") || preview.text.contains("skip the coordinator's review"))
            #expect(preview.text.contains("name=\"confirmApproved\""))

            let unticked = try await confirm(client, coordinator, location)
            #expect(unticked.status == .unprocessableContent)
            #expect(unticked.text.contains("Tick to confirm that approved records will skip review"))
            #expect(try await stored(app) == 0)

            let ticked = try await confirm(client, coordinator, location, [("confirmApproved", "yes")])
            #expect(ticked.status == .seeOther)
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: Self.slug, statuses: [.approved])) == 1)
            let audit = try await app.services.repositories.audit.entries(subject: "programme:\(Self.slug)", limit: 50)
            #expect(audit.contains { $0.action == "activity.imported" && $0.detail.contains("1 records as approved") })
        }
    }

    @Test func theConfirmationChecksAgainAndStoresAllOrNothing() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let uploaded = try await upload(client, coordinator, createOrganisations: true, file: Self.header
                + "2025-06-14,4.1,event,Festiwal,Nowa Fundacja,,350,,residents,,,pl,\n"
                + "2025-06-15,4.1,event,Koncert,Nowa Fundacja,,20,,residents,,,pl,\n")
            let location = try #require(uploaded.headers[.location])
            // Between preview and confirmation the programme changes so that task 4.1 no longer exists.
            var programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let kept = programme.goals.map { goal in
                var goal = goal
                goal.tasks.removeAll { $0.code == "4.1" }
                return goal
            }
            programme.goals = kept
            _ = try await app.services.repositories.programmes.save(programme)
            let refused = try await confirm(client, coordinator, location)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("kolumna task"))
            #expect(try await stored(app) == 0)
            #expect(try await app.services.repositories.organisations.organisation(named: "Nowa Fundacja") == nil, "nothing created")
        }
    }

    @Test func theTemplateDownloadsInThePagesLanguageAndImportsAsItIs() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
            for language in ["pl", "uk", "ru", "en"] {
                let template = try await client.execute(uri: "/\(language)/import/template.csv", method: .get, headers: coordinator.cookie)
                #expect(template.status == .ok && template.headers[.contentType]?.hasPrefix("text/csv") == true)
                let text = template.text
                #expect(text.hasPrefix("\u{FEFF}date,task,kind,title,organisation"))
                let expected = ["pl": "wydarzenie", "uk": "подія", "ru": "событие", "en": "event"][language]!
                #expect(text.contains(",\(expected),"), "\(language): the kind by its label")
                let uploaded = try await upload(client, coordinator, language: language, file: text)
                #expect(uploaded.status == .seeOther, "\(language): \(uploaded.text.prefix(2000))")
                let location = try #require(uploaded.headers[.location])
                #expect(try await confirm(client, coordinator, location).status == .seeOther)
            }
            #expect(try await stored(app) == 4)
        }
    }

    @Test func theCodesPageListsCodesWithLabelsInThePagesLanguage() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let partner = try await app.signedIn(.partner)
            let page = try await client.execute(uri: "/uk/import/codes", method: .get, headers: partner.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<code>event</code>") && page.text.contains("подія") && page.text.contains("wydarzenie"))
            #expect(page.text.contains("<code>migrants</code>") && page.text.contains("люди з міграційним досвідом"))
            #expect(page.text.contains("<code>4.1</code>") && page.text.contains("Nowa Huta"))
            #expect(!page.text.contains("/uk/import\""), "a partner is not offered the upload")
            #expect(try await client.execute(uri: "/uk/import", method: .get, headers: partner.cookie).status == .forbidden)
        }
    }

    @Test func everyImportProblemHasATextInEveryLanguage() throws {
        let localiser = try Localiser.bundled()
        let problems: [ActivityCSVProblem] = [
            .notUTF8(byte: 0xB3), .emptyFile, .noRows, .tooManyRows(limit: 3), .malformed(.quoteInUnquotedField),
            .malformed(.textAfterClosingQuote), .malformed(.unclosedQuote), .malformed(.bareCarriageReturn), .semicolonSeparated,
            .duplicateColumn(first: 1, second: 2), .unnamedColumn(position: 3), .uppercaseColumn(expected: "date"), .exportOnlyColumn,
            .unknownColumn, .missingColumn, .cellCount(count: 2, expected: 13), .emptyRow, .required(hint: nil),
            .required(hint: .date), .required(hint: .task), .required(hint: .kind), .required(hint: .organisation),
            .notADate(value: "x"), .notACalendarDay(value: "x"), .endBeforeStart(value: "x"), .unknownTask(value: "x"),
            .unknownKind(value: "x"), .unknownAudience(value: "x"), .ambiguousLabel(value: "x", codes: ["a", "b"]),
            .tooLong(length: 2, limit: 1), .unknownOrganisation(value: "x"), .newOrganisationNameTooLong(length: 2, limit: 1),
            .unknownDistrict(value: "x"), .notACount(value: "x"), .countTooLarge(value: "x", limit: 1), .emptyItem(value: "x"),
            .amount(.empty, value: "x"), .amount(.notAnAmount, value: "x"), .amount(.negative, value: "x"),
            .amount(.tooManyDecimals, value: "x"), .amount(.tooLarge, value: "x"),
        ]
        for (code, catalogue) in localiser.catalogues {
            for problem in problems {
                let text = try #require(catalogue.string(problem.key), "\(code).po lacks \(problem.key)")
                for name in problem.parameters.keys {
                    #expect(text.contains("{\(name)}"), "\(code): \(problem.key) does not name {\(name)}")
                }
            }
        }
        #expect(localiser.importLabels().ambiguous.isEmpty, "no label of the catalogues names two values")
    }

    @Test func theDocumentUploadFieldSaysWhatItTakes() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let page = try await client.execute(uri: "/pl/manage/documents", method: .get, headers: coordinator.cookie)
            #expect(page.status == .ok)
            #expect(!page.text.contains("Plik CSV"))
            #expect(page.text.contains("Plik dokumentu") && page.text.contains("PDF, ODT, DOCX, EPUB, HTML albo TXT, najwyżej 20 MB."))
        }
    }
}
