import Hummingbird
import HummingbirdTesting
import OtwartyApp
import OtwartyCore
import OtwartyWeb
import Testing

/// Deny by default: every route declares who reaches it, and each role is checked against it.
@Suite struct AccessTests {
    /// The intended rules, written out: a change to a route's access must change this table too.
    static let expected: [String: Access] = [
        "GET /": .everyone, "GET /healthz": .everyone, "GET /readyz": .everyone,
        // Issue 15: no role opens it; OTWARTY_METRICS_TOKEN does (404 for everyone else, MetricsTests).
        "GET /metrics": .everyone, "GET /static/otwarty.css": .everyone,
        "GET /api/v1/openapi.json": .everyone, "GET /api/v1/programmes": .everyone, "GET /api/v1/programme": .everyone,
        "GET /:lang": .everyone, "GET /:lang/programmes/:slug": .everyone,
        "GET /:lang/programmes/:slug/goals/:number": .everyone, "GET /:lang/programmes/:slug/tasks/:code": .everyone,
        "GET /:lang/programmes/:slug/results": .everyone, "GET /:lang/programmes/:slug/risks": .everyone,
        "GET /:lang/login": .everyone, "POST /:lang/login": .everyone, "POST /:lang/logout": .everyone,
        "GET /:lang/setup/:token": .everyone, "POST /:lang/setup/:token": .everyone,
        "GET /:lang/invitation/:token": .everyone, "POST /:lang/invitation/:token": .everyone,
        // Two-factor sign-in: the second step, the account's enrolment page and QR code, removal.
        "GET /:lang/login/code": .everyone, "POST /:lang/login/code": .everyone,
        "GET /:lang/account/two-factor": .roles(Role.signedIn), "GET /:lang/account/two-factor/qr.svg": .roles(Role.signedIn),
        "POST /:lang/account/two-factor/confirm": .roles(Role.signedIn), "POST /:lang/account/two-factor/remove": .roles(Role.signedIn),
        "GET /:lang/account/password": .roles(Role.signedIn), "POST /:lang/account/password": .roles(Role.signedIn),
        "POST /:lang/admin/users/:id/second-factor/remove": .administrators,
        "GET /:lang/admin/users": .administrators, "POST /:lang/admin/users": .administrators,
        "POST /:lang/admin/users/:id/disable": .administrators, "POST /:lang/admin/users/:id/enable": .administrators,
        "POST /:lang/admin/users/:id/link": .administrators, "POST /:lang/admin/organisations": .administrators,
        // Incident-handler accounts need two people: proposals and approvals; handlers acknowledge the changes.
        "GET /:lang/admin/handler-accounts": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/admin/handler-accounts": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/admin/handler-accounts/:id/approve": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/admin/handler-accounts/:id/reject": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/account/handler-changes": .roles([.incidentHandler]),
        "POST /:lang/account/handler-changes": .roles([.incidentHandler]),
        "GET /api/v1/activities": .roles(Role.signedIn), "GET /api/v1/activities/:id": .roles(Role.signedIn),
        "POST /api/v1/activities": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "PATCH /api/v1/activities/:id": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "GET /api/v1/indicators": .everyone,
        "GET /:lang/dashboard": .roles(Role.signedIn), "GET /:lang/activities": .roles(Role.signedIn),
        "GET /:lang/activities/:id": .roles(Role.signedIn),
        "GET /:lang/activities/new": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/activities/new": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "GET /:lang/activities/:id/edit": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/activities/:id/edit": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/activities/:id/submit": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/activities/:id/approve": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/activities/:id/return": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/review": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/exports/activities.csv": .roles(Role.signedIn), "GET /:lang/exports/indicators.csv": .roles(Role.signedIn),
        "GET /:lang/organisations": .roles(Role.signedIn), "GET /:lang/organisations/:id": .roles(Role.signedIn),
        "POST /:lang/organisations/:id/coordinators": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/reference-statistics": .roles(Role.signedIn),
        "POST /:lang/reference-statistics": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/import": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/import": .roles([.administrator, .programmeCoordinator]),
        // Issue 12 F: the preview and its confirmation are the uploader's; the format's template and codes
        // are for everyone who reports or reviews (partners prepare files too).
        "GET /:lang/import/pending/:id": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/import/pending/:id": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/import/codes": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "GET /:lang/import/template.csv": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/programmes/:slug/risks/assessments": .roles([.administrator, .programmeCoordinator]),
        // Every edition of the report carries the budget: read by whoever reads the budget (least privilege).
        "GET /:lang/reports": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/reports/:year": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/reports/:year/draft/:format": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/reports/:year/versions/:number/:format": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/reports/:year/narrative": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/reports/:year/narrative": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/reports/:year/freeze": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/budget": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/budget/budget.csv": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "POST /:lang/budget": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/budget/delete": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/budget/import": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/report-incident": .everyone, "POST /:lang/report-incident": .everyone,
        "GET /:lang/report-incident/status": .everyone, "POST /:lang/report-incident/status": .everyone,
        "POST /:lang/report-incident/status/add": .everyone,
        "GET /:lang/report-incident/received": .everyone, "POST /:lang/report-incident/received/receipt.txt": .everyone,
        "GET /:lang/manage/help-contacts": .roles([.programmeCoordinator]), "POST /:lang/manage/help-contacts": .roles([.programmeCoordinator]),
        // Issue 13 C: staff and council members read the products; only the programme coordinator records them.
        "GET /:lang/reports/products": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .viewer]),
        "GET /:lang/reports/products/:code/:number": .roles([.programmeCoordinator]),
        "POST /:lang/reports/products/:code/:number": .roles([.programmeCoordinator]),
        "GET /:lang/manage/help-contacts/:id": .roles([.programmeCoordinator]),
        "POST /:lang/manage/help-contacts/:id": .roles([.programmeCoordinator]),
        "POST /:lang/manage/help-contacts/:id/delete": .roles([.programmeCoordinator]),
        // Issue 13 D: the registers; the assistants' contacts never reach administrators or viewers.
        "GET /:lang/manage/dialogue-bodies": .roles([.administrator, .programmeCoordinator, .unitCoordinator, .partner, .viewer]), "POST /:lang/manage/dialogue-bodies": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/manage/dialogue-bodies/:id": .roles([.administrator, .programmeCoordinator]), "POST /:lang/manage/dialogue-bodies/:id": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/dialogue-bodies/:id/end": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/dialogue-bodies/:id/delete": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/manage/assistants": .roles([.programmeCoordinator, .unitCoordinator, .partner]), "POST /:lang/manage/assistants": .roles([.programmeCoordinator, .unitCoordinator, .partner]),
        "GET /:lang/manage/assistants/:id": .roles([.programmeCoordinator, .unitCoordinator, .partner]), "POST /:lang/manage/assistants/:id": .roles([.programmeCoordinator, .unitCoordinator, .partner]),
        "POST /:lang/manage/assistants/:id/end": .roles([.programmeCoordinator, .unitCoordinator, .partner]), "POST /:lang/manage/assistants/:id/delete": .roles([.programmeCoordinator, .unitCoordinator, .partner]),
        "GET /:lang/incident-statistics": .everyone, "GET /:lang/incident-statistics/statistics.csv": .everyone,
        "GET /:lang/incident-statistics/odihr.csv": .everyone,
        "GET /:lang/incidents": .roles([.programmeCoordinator, .incidentHandler]),
        "GET /:lang/incidents/:id": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/triage": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/refer": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/action": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/close": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/access/grant": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/incidents/:id/access/revoke": .roles([.programmeCoordinator, .incidentHandler]),
        "GET /:lang/conflict-risk": .roles([.programmeCoordinator, .incidentHandler, .administrator, .viewer, .unitCoordinator]),
        "GET /:lang/conflict-risk/analysis.csv": .roles([.programmeCoordinator, .incidentHandler, .administrator, .viewer, .unitCoordinator]),
        "POST /:lang/conflict-risk/police": .roles([.programmeCoordinator, .incidentHandler]),
        "POST /:lang/programmes/:slug/risks/new": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/programmes/:slug/risks/:number/details": .roles([.administrator, .programmeCoordinator]),
        "POST /api/v1/incidents": .everyone, "POST /api/v1/incidents/status": .everyone,
        "GET /api/v1/statistics/incidents": .everyone,
        "GET /:lang/progress": .everyone, "GET /:lang/events": .everyone, "GET /:lang/accessibility": .everyone,
        "GET /:lang/open-data": .everyone, "GET /api/v1/open-data": .everyone, "GET /open-data/programme-tasks.csv": .everyone,
        "GET /open-data/iati-results.xml": .everyone, "GET /open-data/:year/indicators.csv": .everyone,
        "GET /open-data/:year/indicators.json": .everyone, "GET /open-data/:year/events.csv": .everyone,
        "GET /open-data/:year/events.json": .everyone, "GET /open-data/metadata/:dataset": .everyone,
        "GET /:lang/documents": .everyone, "GET /documents/:id": .everyone,
        "GET /:lang/manage/documents": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/documents": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/service-points": .everyone, "POST /:lang/service-points/feedback": .everyone,
        "GET /:lang/manage/service-points": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/service-points": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/patronage": .everyone, "POST /:lang/patronage": .everyone,
        "GET /:lang/manage/patronage": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/patronage/:id/decision": .roles([.administrator, .programmeCoordinator]),
        "GET /:lang/ambassador": .everyone, "POST /:lang/ambassador": .everyone,
        "GET /:lang/manage/ambassador": .roles([.administrator, .programmeCoordinator, .viewer]),
        "POST /:lang/manage/ambassador": .roles([.administrator, .programmeCoordinator]),
        "POST /:lang/manage/ambassador/nominations/:id/score": .roles([.programmeCoordinator, .viewer]),
        "POST /:lang/manage/ambassador/nominations/:id/winner": .roles([.administrator, .programmeCoordinator]),
    ]

    @Test func everyRouteDeclaresTheExpectedAccess() async throws {
        try await TestApp.withApp(storage: .memory) { app, _ in
            let (_, entries) = try await buildRouter(app.configuration, services: app.services)
            let actual = Dictionary(entries.map { ("\($0.method.rawValue) \($0.pattern)", $0.access) }, uniquingKeysWith: { a, _ in a })
            #expect(actual.count == entries.count, "a route is registered twice")
            #expect(Set(actual.keys) == Set(Self.expected.keys))
            for (route, access) in actual { #expect(Self.expected[route] == access, "\(route)") }
        }
    }

    @Test func eachRoleOnTheAdministratorsPages() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let target = try await app.signedIn(.viewer)
            for role in Role.allCases {
                let user = try await app.signedIn(role)
                let allowed = role == .administrator
                let page = try await client.execute(uri: "/pl/admin/users", method: .get, headers: user.cookie)
                #expect(page.status == (allowed ? .ok : .forbidden), "\(role) GET admin/users")
                for action in ["disable", "enable", "link"] {
                    let response = try await client.execute(
                        uri: "/pl/admin/users/\(target.user.id)/\(action)", method: .post, headers: user.formHeaders(),
                        body: formBody([("_csrf", user.csrfToken)]))
                    #expect(allowed ? [.seeOther, .ok].contains(response.status) : response.status == .forbidden,
                            "\(role) POST \(action) → \(response.status)")
                }
                let invite = try await client.execute(
                    uri: "/pl/admin/users", method: .post, headers: user.formHeaders(),
                    body: formBody([("_csrf", user.csrfToken), ("email", "new-\(role.rawValue)@example.org"),
                                    ("displayName", "New"), ("role", "viewer")]))
                #expect(invite.status == (allowed ? .created : .forbidden), "\(role) invite")
            }
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            let page = try await client.execute(uri: "/en/admin/users", method: .get)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/en/login?next=%2Fen%2Fadmin%2Fusers")
            let csrf = try await anonymousCSRF(client)
            let post = try await client.execute(
                uri: "/pl/admin/users", method: .post,
                headers: [.cookie: "otwarty_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", csrf), ("email", "x@example.org"), ("displayName", "X"), ("role", "administrator")]))
            #expect(post.status == .unauthorized)
            #expect(try await app.services.repositories.users.all().isEmpty)
        }
    }

    @Test func publicPagesAreReachableByEveryRoleAndAnonymously() async throws {
        try await TestApp.withApp(storage: .memory) { app, client in
            var visitors: [HTTPFields] = [[:]]
            for role in Role.allCases { visitors.append(try await app.signedIn(role).cookie) }
            for headers in visitors {
                for uri in ["/pl/", "/en/programmes/otwarty-krakow-2024-2028/risks", "/api/v1/programme"] {
                    #expect(try await client.execute(uri: uri, method: .get, headers: headers).status == .ok)
                }
            }
        }
    }
}
