import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// Least privilege per object (docs/security.md, "Least privilege: who sees what"): the route
/// table above says who reaches a route; these say what each role sees through it — on lists,
/// detail pages, CSV exports, the API, the report and the Ambassador jury page.
extension AccessTests {
    static let slug = "otwarty-krakow-2024-2028"

    /// One organisation's records in three states, made through the workflow.
    struct Records {
        let fundacja: Organisation
        let owner: SignedInUser
        let coordinator: SignedInUser
        let draft: ActivityRecord
        let returned: ActivityRecord
        let approved: ActivityRecord
        static let draftTitle = "Szkic-Fundacji-tajny"
        static let returnedTitle = "Zwrocony-Fundacji"
        static let approvedTitle = "Zatwierdzone-Fundacji"
        static let comment = "Komentarz-recenzji-poufny"
        var hidden: [String] { [Self.draftTitle, Self.returnedTitle, Self.comment] }
    }

    static func session(_ app: TestApp, _ user: User) async throws -> SignedInUser {
        let token = try await app.services.accounts.startSession(for: user)
        let session = try #require(try await app.services.repositories.sessions.session(tokenHash: SecretToken.digest(token)))
        return SignedInUser(user: user, sessionToken: token, csrfToken: session.csrfToken)
    }

    static func records(_ app: TestApp) async throws -> Records {
        let fundacja = try await app.services.repositories.organisations.create(name: "Fundacja Dialog", kind: .ngo)
        let owner = try await session(app, try await app.reporter(.partner, organisation: fundacja.id, email: "owner@dialog.test"))
        let coordinator = try await app.signedIn(.programmeCoordinator)
        let service = app.services.activities
        func make(_ title: String) async throws -> ActivityRecord {
            try await service.create(programmeSlug: slug, input: ActivityInput(
                taskCode: "4.1", kind: .event, title: title, startDate: CalendarDate(iso: "2025-05-01")!,
                organisationID: fundacja.id), as: owner.user)
        }
        let draft = try await make(Records.draftTitle)
        var returned = try await make(Records.returnedTitle)
        _ = try await service.submit(id: returned.id, as: owner.user)
        returned = try await service.returnForChanges(id: returned.id, comment: Records.comment, as: coordinator.user)
        var approved = try await make(Records.approvedTitle)
        _ = try await service.submit(id: approved.id, as: owner.user)
        approved = try await service.approve(id: approved.id, as: coordinator.user)
        return Records(fundacja: fundacja, owner: owner, coordinator: coordinator, draft: draft, returned: returned, approved: approved)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// Viewers (council members) and incident handlers read approved records only: no drafts, no
    /// returned records and their comments, no trail — on the list, the page, the export and the API.
    @Test func viewersAndIncidentHandlersSeeApprovedRecordsOnly() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let r = try await Self.records(app)
            for role in [Role.viewer, .incidentHandler] {
                let reader = try await app.signedIn(role)
                for uri in ["/pl/activities", "/pl/activities?status=draft", "/pl/activities?status=returned",
                            "/pl/exports/activities.csv", "/pl/exports/activities.csv?status=draft"] {
                    let response = try await Self.get(client, uri, reader.cookie)
                    #expect(response.status == .ok, "\(role) \(uri)")
                    for secret in r.hidden { #expect(!response.text.contains(secret), "\(role) \(uri) shows \(secret)") }
                }
                #expect(try await Self.get(client, "/pl/activities", reader.cookie).text.contains(Records.approvedTitle), "\(role)")
                #expect(try await Self.get(client, "/pl/exports/activities.csv", reader.cookie).text.contains(Records.approvedTitle))
                for record in [r.draft, r.returned] {
                    #expect(try await Self.get(client, "/pl/activities/\(record.id)", reader.cookie).status == .notFound, "\(role) page")
                }
                // The approved record, without its workings (the audit trail says who did what when).
                let page = try await Self.get(client, "/en/activities/\(r.approved.id)", reader.cookie)
                #expect(page.status == .ok && !page.text.contains("History of changes"), "\(role) sees the trail")

                let token = try await app.apiToken(for: reader.user)
                let list = try Self.json(try await Self.get(client, "/api/v1/activities", bearer(token)))
                #expect(list["total"] as? Int == 1, "\(role) API list")
                let drafts = try Self.json(try await Self.get(client, "/api/v1/activities?status=draft", bearer(token)))
                #expect(drafts["total"] as? Int == 0, "\(role) API drafts")
                let asked = try Self.json(try await Self.get(client, "/api/v1/activities?organisation=\(r.fundacja.id)", bearer(token)))
                #expect(asked["total"] as? Int == 1, "\(role) API by organisation")
                for record in [r.draft, r.returned] {
                    #expect(try await Self.get(client, "/api/v1/activities/\(record.id)", bearer(token)).status == .notFound, "\(role) API")
                }
                #expect(try await Self.get(client, "/api/v1/activities/\(r.approved.id)", bearer(token)).status == .ok)
            }
        }
    }

    /// The review comment and the trail belong to the record's organisation and the reviewers;
    /// another organisation's partner reads the approved record without them.
    @Test func workingsStayWithTheOrganisationAndTheReviewers() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let r = try await Self.records(app)
            let other = try await app.services.repositories.organisations.create(name: "Stowarzyszenie Most", kind: .ngo)
            let outsider = try await Self.session(app, try await app.reporter(.partner, organisation: other.id, email: "p@most.test"))
            let theirs = try await Self.get(client, "/en/activities/\(r.approved.id)", outsider.cookie)
            #expect(theirs.status == .ok && !theirs.text.contains("History of changes"))
            #expect(try await Self.get(client, "/en/activities/\(r.returned.id)", outsider.cookie).status == .notFound)
            for insider in [r.owner, r.coordinator] {
                let page = try await Self.get(client, "/en/activities/\(r.returned.id)", insider.cookie)
                #expect(page.status == .ok && page.text.contains(Records.comment) && page.text.contains("History of changes"))
                let token = try await app.apiToken(for: insider.user)
                let json = try Self.json(try await Self.get(client, "/api/v1/activities/\(r.returned.id)", bearer(token)))
                #expect(json["reviewComment"] as? String == Records.comment)
            }
        }
    }

    /// Every edition of the annual report has the financing per source: those who may not open
    /// `/budget` (partners, incident handlers) may not open the report either, in any format or version.
    @Test func partnersAndIncidentHandlersCannotReadTheBudgetThroughTheReport() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let saved = try await client.execute(
                uri: "/pl/budget", method: .post, headers: coordinator.formHeaders(),
                body: formBody([("_csrf", coordinator.csrfToken), ("year", "2025"), ("task", "1.2"), ("source", "1"),
                                ("planned", "43 210,99"), ("spent", "")]))
            #expect(saved.status == .seeOther)
            // Freezing asks first; the confirmed post freezes.
            let frozen = try await client.execute(uri: "/pl/reports/2025/freeze", method: .post, headers: coordinator.formHeaders(),
                                                  body: formBody([("_csrf", coordinator.csrfToken), ("confirmed", "yes")]))
            #expect(frozen.status == .seeOther)
            let uris = ["/pl/budget", "/pl/budget/budget.csv", "/pl/reports", "/pl/reports/2025", "/pl/reports/2025/draft/html",
                        "/pl/reports/2025/draft/odt", "/pl/reports/2025/versions/1/html", "/pl/reports/2025/versions/1/odt"]
            for role in [Role.partner, .incidentHandler] {
                let user = try await app.signedIn(role)
                for uri in uris {
                    let response = try await Self.get(client, uri, user.cookie)
                    #expect(response.status == .forbidden, "\(role) \(uri) → \(response.status)")
                    #expect(!response.text.contains("43 210,99") && !response.text.contains("43\u{00A0}210,99"), "\(role) \(uri)")
                }
                // The navigation does not offer what they cannot open.
                let dashboard = try await Self.get(client, "/pl/dashboard", user.cookie)
                #expect(dashboard.status == .ok && !dashboard.text.contains("href=\"/pl/reports\""), "\(role) nav")
            }
            for role in [Role.viewer, .unitCoordinator] {
                let user = try await app.signedIn(role)
                for uri in uris { #expect(try await Self.get(client, uri, user.cookie).status == .ok, "\(role) \(uri)") }
            }
        }
    }

    /// Jurors (viewers) score nominations; the nominator's contact is for the office running the
    /// competition only.
    @Test func jurorsSeeNoNominatorsContact() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let services = PublicServices(repositories: app.services.repositories, clock: app.services.clock)
            try await services.saveEdition(AmbassadorEdition(year: 2026, opensOn: CalendarDate(iso: "2026-09-01")!,
                                                             closesOn: CalendarDate(iso: "2026-10-31")!), by: coordinator.user)
            _ = try await services.nominate(Nomination(
                year: 2026, nominee: "Fundacja Zustricz", category: .organisation,
                justification: "Od lat prowadzi lekcje polskiego dla dzieci z Ukrainy.", contact: "nominujacy@example.org +48 600 100 200",
                language: "pl", submittedOn: CalendarDate(iso: "2026-09-10")!, submission: "submission-token-0000000001"))
            let juror = try await app.signedIn(.viewer)
            let jury = try await Self.get(client, "/pl/manage/ambassador?year=2026", juror.cookie)
            #expect(jury.status == .ok && jury.text.contains("Fundacja Zustricz"))
            #expect(!jury.text.contains("nominujacy@example.org") && !jury.text.contains("600 100 200"))
            let office = try await Self.get(client, "/pl/manage/ambassador?year=2026", coordinator.cookie)
            #expect(office.text.contains("nominujacy@example.org"))
        }
    }

    /// A partner or unit coordinator bound to no organisation (an account left behind by a data
    /// change) sees no record at all and can create none: deny, never "everything".
    @Test func aReporterWithoutAnOrganisationSeesNothing() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let r = try await Self.records(app)
            for role in [Role.partner, .unitCoordinator] {
                let user = try await app.services.repositories.users.create(
                    NewUser(email: "orphan-\(role.rawValue)@example.org", displayName: "Bez organizacji", role: role,
                            organisationID: nil, passwordHash: "x"), at: app.clock.now)
                let orphan = try await Self.session(app, user)
                for uri in ["/pl/activities", "/pl/activities?status=approved", "/pl/exports/activities.csv"] {
                    let response = try await Self.get(client, uri, orphan.cookie)
                    #expect(response.status == .ok, "\(role) \(uri)")
                    for title in r.hidden + [Records.approvedTitle] {
                        #expect(!response.text.contains(title), "\(role) \(uri) shows \(title)")
                    }
                }
                for record in [r.draft, r.returned, r.approved] {
                    #expect(try await Self.get(client, "/pl/activities/\(record.id)", orphan.cookie).status == .notFound, "\(role)")
                }
                #expect(try await Self.get(client, "/pl/activities/new", orphan.cookie).status == .forbidden, "\(role) form")
                let token = try await app.apiToken(for: orphan.user)
                #expect(try Self.json(try await Self.get(client, "/api/v1/activities", bearer(token)))["total"] as? Int == 0, "\(role) API")
                #expect(try await Self.get(client, "/api/v1/activities/\(r.approved.id)", bearer(token)).status == .notFound)
                let create = try await client.execute(
                    uri: "/api/v1/activities", method: .post, headers: bearer(token, json: true),
                    body: try jsonBody(["task": "4.1", "kind": "event", "title": "Bez organizacji", "startDate": "2025-05-01",
                                        "organisationId": r.fundacja.id]))
                #expect(create.status == .forbidden, "\(role) API create → \(create.status)")
            }
            #expect(try await app.services.repositories.activities.count(ActivityFilter(programmeSlug: Self.slug)) == 3)
        }
    }
}
