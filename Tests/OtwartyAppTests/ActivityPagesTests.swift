import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// The reporting workflow as people use it: forms, the review queue, the dashboard, exports.
@Suite struct ActivityPagesTests {
    struct People {
        let ngo: Organisation
        let other: Organisation
        let partner: SignedInUser
        let otherPartner: SignedInUser
        let coordinator: SignedInUser
    }

    func people(_ app: TestApp) async throws -> People {
        let orgs = app.services.repositories.organisations
        let ngo = try await orgs.create(name: "Fundacja Dialog", kind: .ngo)
        let other = try await orgs.create(name: "Stowarzyszenie Most", kind: .ngo)
        func session(_ user: User) async throws -> SignedInUser {
            let token = try await app.services.accounts.startSession(for: user)
            let s = try #require(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token)))
            return SignedInUser(user: user, sessionToken: token, csrfToken: s.csrfToken)
        }
        return People(
            ngo: ngo, other: other,
            partner: try await session(try await app.reporter(.partner, organisation: ngo.id, email: "p@dialog.test")),
            otherPartner: try await session(try await app.reporter(.partner, organisation: other.id, email: "p@most.test")),
            coordinator: try await app.signedIn(.programmeCoordinator))
    }

    func post(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    static let eventForm: [(String, String)] = [
        ("task", "4.1"), ("kind", "event"), ("title", "Festiwal <Kultur>"), ("startDate", "2025-06-14"), ("endDate", ""),
        ("district", "18"), ("participants", "350"), ("beneficiaries", ""), ("audience", "residents"), ("audience", "migrants"),
        ("amount", "1 500,50"), ("institution", ""), ("languages", "pl, uk"), ("notes", "=HYPERLINK(\"http://evil\")"), ("evidenceURL", ""),
    ]

    @Test func aPartnerReportsTheCoordinatorApprovesTheDashboardMoves() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let p = try await people(app)
            let form = try await client.execute(uri: "/pl/activities/new", method: .get, headers: p.partner.cookie)
            #expect(form.status == .ok && form.text.contains("Fundacja Dialog") && !form.text.contains("Stowarzyszenie Most"))

            let bad = try await post(client, "/pl/activities/new", as: p.partner,
                                     Self.eventForm.map { $0.0 == "startDate" ? ($0.0, "14.06.2025") : $0 } + [("organisation", String(p.ngo.id))])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Podaj datę w formacie RRRR-MM-DD.") && bad.text.contains("value=\"Festiwal &lt;Kultur&gt;\""))

            let created = try await post(client, "/pl/activities/new", as: p.partner, Self.eventForm + [("organisation", String(p.ngo.id))])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let record = try #require(try await app.services.repositories.activities.record(id: id))
            #expect(record.status == .draft && record.amountGrosze == 150_050 && record.audiences == [.residents, .migrants])
            #expect(record.district?.number == 18 && record.languages == ["pl", "uk"])

            // Another organisation's partner sees nothing of it.
            #expect(try await client.execute(uri: location, method: .get, headers: p.otherPartner.cookie).status == .notFound)
            #expect(try await client.execute(uri: "\(location)/edit", method: .get, headers: p.otherPartner.cookie).status == .notFound)
            let hijack = try await post(client, "\(location)/submit", as: p.otherPartner, [])
            #expect(hijack.status == .notFound)

            #expect(try await post(client, "\(location)/submit", as: p.partner, []).status == .seeOther)
            let queue = try await client.execute(uri: "/en/review", method: .get, headers: p.coordinator.cookie)
            #expect(queue.text.contains("Festiwal &lt;Kultur&gt;") && queue.text.contains("\(location)/approve".replacingOccurrences(of: "/pl/", with: "/en/")))

            let dashboardBefore = try await client.execute(uri: "/en/dashboard?year=2025", method: .get, headers: p.coordinator.cookie)
            #expect(dashboardBefore.text.contains("Records awaiting review: 1"))

            let approved = try await post(client, "\(location)/approve", as: p.coordinator, [("back", "review")])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/pl/review")
            #expect(try await app.services.repositories.activities.record(id: id)?.status == .approved)

            let dashboard = try await client.execute(uri: "/en/dashboard?year=2025", method: .get, headers: p.coordinator.cookie)
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("activities?measure=4.1.a&amp;year=2025\">1</a>"), "the events measure now counts the record")
            let drill = try await client.execute(uri: "/en/activities?measure=4.1.a&year=2025", method: .get, headers: p.coordinator.cookie)
            #expect(drill.text.contains("Festiwal &lt;Kultur&gt;"))

            // Reopened with a comment (an approved record: confirmed first), the partner sees the
            // comment and may edit again.
            #expect(try await post(client, "\(location)/return", as: p.coordinator, [("comment", "")]).status == .unprocessableContent)
            #expect(try await post(client, "\(location)/return", as: p.coordinator,
                                   [("comment", "Brak listy obecności"), ("confirmed", "yes")]).status == .seeOther)
            let page = try await client.execute(uri: location, method: .get, headers: p.partner.cookie)
            #expect(page.text.contains("Brak listy obecności") && page.text.contains("\(location)/edit"))
            #expect(page.text.contains("otwarto ponownie do poprawy"), "the trail names the reopening")
        }
    }

    @Test func viewersAndReportersCannotReview() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let p = try await people(app)
            let viewer = try await app.signedIn(.viewer)
            let record = try await app.services.activities.create(
                programmeSlug: "otwarty-krakow-2024-2028",
                input: ActivityInput(taskCode: "4.1", kind: .event, title: "Koncert", startDate: CalendarDate(iso: "2025-05-01")!,
                                     organisationID: p.ngo.id), as: p.partner.user)
            _ = try await app.services.activities.submit(id: record.id, as: p.partner.user)
            for user in [viewer, p.partner] {
                #expect(try await client.execute(uri: "/pl/review", method: .get, headers: user.cookie).status == .forbidden)
                #expect(try await post(client, "/pl/activities/\(record.id)/approve", as: user, []).status == .forbidden)
            }
            #expect(try await client.execute(uri: "/pl/activities/new", method: .get, headers: viewer.cookie).status == .forbidden)
            #expect(try await client.execute(uri: "/pl/dashboard", method: .get, headers: viewer.cookie).status == .ok)
            #expect(try await app.services.repositories.activities.record(id: record.id)?.status == .submitted)
        }
    }

    @Test func exportsEscapeFormulasAndRespectVisibility() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let p = try await people(app)
            let slug = "otwarty-krakow-2024-2028"
            let mine = ActivityInput(taskCode: "4.1", kind: .event, title: "=cmd|' /C calc'!A0", startDate: CalendarDate(iso: "2025-05-01")!,
                                     organisationID: p.ngo.id)
            _ = try await app.services.activities.create(programmeSlug: slug, input: mine, as: p.partner.user)
            var theirs = mine
            theirs.organisationID = p.other.id
            theirs.title = "Cudzy szkic"
            _ = try await app.services.activities.create(programmeSlug: slug, input: theirs, as: p.otherPartner.user)
            let csv = try await client.execute(uri: "/pl/exports/activities.csv", method: .get, headers: p.partner.cookie)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("'=cmd|"), "formula neutralised")
            #expect(!csv.text.contains("Cudzy szkic"), "another organisation's draft is not exported")
            let indicators = try await client.execute(uri: "/pl/exports/indicators.csv?year=2025", method: .get, headers: p.coordinator.cookie)
            #expect(indicators.text.contains("measure,4.1.a") && indicators.text.contains("result,R1"))
        }
    }

    @Test func referenceStatisticsKeepRevisions() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let p = try await people(app)
            for value in ["120000", "125 000,0"] {
                let r = try await post(client, "/en/reference-statistics", as: p.coordinator, [
                    ("key", "foreign-residents"), ("year", "2025"), ("value", value), ("source", "GUS"), ("asOf", "")])
                #expect(r.status == .seeOther)
            }
            let bad = try await post(client, "/en/reference-statistics", as: p.coordinator, [
                ("key", "Foreign Residents"), ("year", "20x5"), ("value", "-3"), ("source", ""), ("asOf", "")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("Key: lowercase letters"))
            #expect(try await post(client, "/en/reference-statistics", as: p.partner, [
                ("key", "foreign-residents"), ("year", "2025"), ("value", "1"), ("source", "x"), ("asOf", "")]).status == .forbidden)
            let revisions = try await app.services.repositories.references.revisions(key: "foreign-residents", year: 2025)
            #expect(revisions.map(\.value) == [125_000, 120_000])
            let page = try await client.execute(uri: "/en/reference-statistics", method: .get, headers: p.partner.cookie)
            #expect(page.text.contains("125,000") && !page.text.contains("Record a value"))
        }
    }

    @Test func coordinatorsContactsAreForStaffOnly() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let p = try await people(app)
            let added = try await post(client, "/pl/organisations/\(p.ngo.id)/coordinators", as: p.coordinator, [
                ("name", "Anna Kowalska"), ("function", "koordynatorka"), ("email", "anna@dialog.test"), ("phone", "555 123 456"),
                ("validFrom", "2025-01-01"), ("validUntil", "")])
            #expect(added.status == .seeOther)
            let unit = try await app.signedIn(.unitCoordinator)
            #expect(try await client.execute(uri: "/pl/organisations", method: .get, headers: unit.cookie).text.contains("anna@dialog.test"))
            for outsider in [p.partner, try await app.signedIn(.viewer)] {
                let page = try await client.execute(uri: "/pl/organisations/\(p.ngo.id)", method: .get, headers: outsider.cookie)
                #expect(page.status == .ok && !page.text.contains("anna@dialog.test") && !page.text.contains("555 123 456"))
            }
            #expect(try await client.execute(uri: "/pl/organisations", method: .get).status == .seeOther, "anonymous visitors sign in first")
        }
    }
}

@Suite struct ImportPageTests {
    func multipart(csrf: String, status: String, createOrganisations: Bool, file: String) -> (HTTPFields, ByteBuffer) {
        let boundary = "----otwarty-test-boundary"
        var body = ""
        func field(_ name: String, _ value: String) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        field("_csrf", csrf)
        field("status", status)
        if createOrganisations { field("createOrganisations", "1") }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    static let header = "date,task,kind,title,organisation,district,participants,beneficiaries,audience,amount,institution,languages,notes\n"

    @Test func goodFileImportsBadFileStoresNothing() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let slug = "otwarty-krakow-2024-2028"
            func send(_ file: String, status: String = "approved", create: Bool = true) async throws -> TestResponse {
                var (headers, body) = multipart(csrf: coordinator.csrfToken, status: status, createOrganisations: create, file: file)
                headers[.cookie] = "otwarty_session=\(coordinator.sessionToken)"
                return try await client.execute(uri: "/en/import", method: .post, headers: headers, body: body)
            }
            let bad = Self.header + "2025-06-14,4.1,event,Festiwal,Fundacja Dialog,I,350,,residents,,,pl,\n"
                + "14.06.2025,9.9,party,,Fundacja Dialog,,x,,,,,,\n"
            let rejected = try await send(bad)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.text.contains("row 2 (line 3), column date"))
            #expect(rejected.text.contains("column task"))
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: slug)) == 0)
            #expect(try await app.services.repositories.organisations.organisation(named: "Fundacja Dialog") == nil)

            let good = Self.header + "2025-06-14,4.1,event,Festiwal,Fundacja Dialog,I,350,,residents,,,pl,\n"
                + "2025-07-01,4.1,event,Koncert,Fundacja Dialog,XVIII,90,,residents,,,pl,\n"
            // A good file goes to its preview (issue 12: nothing is stored before the confirmation).
            let accepted = try await send(good)
            let preview = try #require(accepted.headers[.location])
            #expect(accepted.status == .seeOther && preview.hasPrefix("/en/import/pending/"))
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: slug)) == 0)
            let confirmed = try await client.execute(uri: preview, method: .post, headers: coordinator.formHeaders(),
                                                     body: formBody([("_csrf", coordinator.csrfToken), ("confirmApproved", "yes")]))
            #expect(confirmed.status == .seeOther)
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: slug, statuses: [.approved])) == 2)

            let latin2 = try await client.execute(uri: "/en/import", method: .post, headers: {
                var (h, _) = multipart(csrf: coordinator.csrfToken, status: "draft", createOrganisations: false, file: "")
                h[.cookie] = "otwarty_session=\(coordinator.sessionToken)"
                return h
            }(), body: {
                var b = ByteBuffer(string: "------otwarty-test-boundary\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(coordinator.csrfToken)\r\n------otwarty-test-boundary\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\ndraft\r\n------otwarty-test-boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n")
                b.writeBytes([0x64, 0xB3, 0x0A])
                b.writeString("\r\n------otwarty-test-boundary--\r\n")
                return b
            }())
            #expect(latin2.status == .unprocessableContent && latin2.text.contains("not UTF-8"))
        }
    }
}
