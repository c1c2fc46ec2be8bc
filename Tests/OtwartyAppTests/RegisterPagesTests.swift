import Foundation
import HTTPTypes
import HummingbirdTesting
import OtwartyCore
import Testing
@testable import OtwartyWeb

/// Issue 13 D: the register pages under /manage — add with errors named by field, post/redirect/get
/// with a banner, end, confirmed delete, who sees what (the assistants' contacts are personal data).
@Suite struct RegisterPagesTests {
    static func post(_ client: some TestClientProtocol, _ uri: String, _ user: SignedInUser, _ fields: [(String, String)],
                     notice: Bool = false) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, _ user: SignedInUser, notice: String? = nil) async throws -> TestResponse {
        var headers = user.cookie
        if let notice { headers[.cookie] = "otwarty_session=\(user.sessionToken); otwarty_notice=\(notice)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test func theCoordinatorKeepsDialogueBodies() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let empty = try await Self.get(client, "/en/manage/dialogue-bodies", coordinator)
            #expect(empty.status == .ok && empty.text.contains("The register has no dialogue body yet."))
            #expect(empty.text.contains("aria-current=\"page\">Dialogue bodies</a>"), "the registers' tab")

            let invalid = try await Self.post(client, "/en/manage/dialogue-bodies", coordinator,
                                              [("name", ""), ("validFrom", "2025-02-30")])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("href=\"#name\"") && invalid.text.contains("href=\"#memberKinds-minorities\"")
                    && invalid.text.contains("href=\"#validFrom\""))
            #expect(invalid.text.contains("Members: tick at least one group among the members"), "the summary names the field")
            #expect(try await app.services.repositories.registers.dialogueBodies().isEmpty)

            let added = try await Self.post(client, "/en/manage/dialogue-bodies", coordinator,
                                            [("name", "Rada <b>Mniejszości</b>"), ("memberKinds", "minorities"), ("memberKinds", "city-units"),
                                             ("validFrom", "2019-01-01")])
            #expect(added.status == .seeOther && added.headers[.location] == "/en/manage/dialogue-bodies")
            #expect(added.cookie("otwarty_notice") == "register-entry-added")
            let list = try await Self.get(client, "/pl/manage/dialogue-bodies", coordinator, notice: "register-entry-added")
            #expect(list.text.contains("Wpis dodany do rejestru") && list.text.contains("Rada &lt;b&gt;Mniejszości&lt;/b&gt;"))
            #expect(list.text.contains("class=\"data stack\"") && list.text.contains("data-label=\"Skład\""))
            let body = try #require(try await app.services.repositories.registers.dialogueBodies().first)
            #expect(body.memberKinds == [.minorities, .cityUnits])

            let badEnd = try await Self.post(client, "/en/manage/dialogue-bodies/\(body.id)/end", coordinator, [("end-until", "2018-01-01")])
            #expect(badEnd.status == .unprocessableContent && badEnd.text.contains("href=\"#end-until\""))
            let ended = try await Self.post(client, "/en/manage/dialogue-bodies/\(body.id)/end", coordinator, [("end-until", "2025-06-30")])
            #expect(ended.status == .seeOther && ended.cookie("otwarty_notice") == "register-entry-ended")
            #expect(try await app.services.repositories.registers.dialogueBody(id: body.id)?.validUntil == CalendarDate(iso: "2025-06-30"))

            let ask = try await Self.post(client, "/uk/manage/dialogue-bodies/\(body.id)/delete", coordinator, [])
            #expect(ask.status == .ok && ask.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await app.services.repositories.registers.dialogueBody(id: body.id) != nil, "nothing deleted before confirming")
            let deleted = try await Self.post(client, "/uk/manage/dialogue-bodies/\(body.id)/delete", coordinator, [("confirmed", "yes")])
            #expect(deleted.status == .seeOther && deleted.cookie("otwarty_notice") == "register-entry-deleted")
            #expect(try await app.services.repositories.registers.dialogueBodies().isEmpty)

            let actions = try await app.services.repositories.audit.entries(subject: "dialogue-body:\(body.id)", limit: 10).map(\.action)
            #expect(Set(actions) == ["dialogue-body.added", "dialogue-body.ended", "dialogue-body.deleted"])
        }
    }

    @Test func aViewerReadsTheBodiesButCannotChangeThem() async throws {
        try await TestApp.withApp { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            _ = try await Self.post(client, "/pl/manage/dialogue-bodies", coordinator, [("name", "Forum"), ("memberKinds", "migrants")])
            let viewer = try await app.signedIn(.viewer)
            let page = try await Self.get(client, "/pl/manage/dialogue-bodies", viewer)
            #expect(page.status == .ok && page.text.contains("Forum") && !page.text.contains("name=\"memberKinds\""), "no form")
            #expect(!page.text.contains("/manage/assistants"), "no link to contacts a viewer cannot open")
            let refused = try await Self.post(client, "/pl/manage/dialogue-bodies", viewer, [("name", "X"), ("memberKinds", "migrants")])
            #expect(refused.status == .forbidden)
            #expect(try await app.services.repositories.registers.dialogueBodies().count == 1)
        }
    }

    @Test func assistantsAreSeenOnlyByTheCoordinatorAndTheKeepingOrganisation() async throws {
        try await TestApp.withApp { app, client in
            let partner = try await app.signedIn(.partner)
            let otherPartner = try await app.signedIn(.partner)
            let coordinator = try await app.signedIn(.programmeCoordinator)

            let invalid = try await Self.post(client, "/en/manage/assistants", partner,
                                              [("name", "Olena"), ("kind", "teacher"), ("email", "olena@"), ("phone", "")])
            #expect(invalid.status == .unprocessableContent && invalid.text.contains("href=\"#kind\"") && invalid.text.contains("href=\"#email\""))
            #expect(!invalid.text.contains("id=\"organisation\""), "a partner keeps entries for its own organisation only")

            let added = try await Self.post(client, "/en/manage/assistants", partner,
                                            [("name", "Olena Przykładowa"), ("kind", "intercultural"), ("languages", "ukraiński, rosyjski"),
                                             ("schools", "SP 12\r\nSP 5"), ("email", "olena@example.org"), ("validFrom", "2025-09-01")])
            #expect(added.status == .seeOther && added.cookie("otwarty_notice") == "register-entry-added")
            let entry = try #require(try await app.services.repositories.registers.assistants(organisationID: nil).first)
            #expect(entry.organisationID == partner.user.organisationID && entry.schools == ["SP 12", "SP 5"])

            let own = try await Self.get(client, "/en/manage/assistants", partner)
            #expect(own.status == .ok && own.text.contains("olena@example.org") && own.text.contains("<li>SP 12</li>"))
            let other = try await Self.get(client, "/en/manage/assistants", otherPartner)
            #expect(other.status == .ok && !other.text.contains("olena@example.org"))
            #expect(try await Self.get(client, "/en/manage/assistants/\(entry.id)", otherPartner).status == .notFound)
            #expect(try await Self.post(client, "/en/manage/assistants/\(entry.id)/delete", otherPartner, [("confirmed", "yes")]).status == .notFound)
            let all = try await Self.get(client, "/en/manage/assistants", coordinator)
            #expect(all.text.contains("olena@example.org") && all.text.contains("id=\"organisation\""))
            for role in [Role.administrator, .viewer, .incidentHandler] {
                let user = try await app.signedIn(role)
                #expect(try await Self.get(client, "/en/manage/assistants", user).status == .forbidden, "\(role)")
            }
            // Never on public pages.
            for page in ["/en/progress", "/pl/progress"] {
                #expect(!(try await client.execute(uri: page, method: .get)).text.contains("olena@example.org"))
            }

            let edited = try await Self.post(client, "/en/manage/assistants/\(entry.id)", partner,
                                             [("name", "Olena Przykładowa"), ("kind", "roma"), ("phone", "+48 12 555 00 00")])
            #expect(edited.status == .seeOther)
            #expect(try await app.services.repositories.registers.assistant(id: entry.id)?.kind == .roma)
            let ended = try await Self.post(client, "/en/manage/assistants/\(entry.id)/end", partner, [("end-until", "2026-06-30")])
            #expect(ended.status == .seeOther)

            let trail = try await app.services.repositories.audit.entries(subject: nil, limit: 200)
            #expect(trail.filter { $0.action == "intercultural-assistants.viewed" }.count >= 3, "every reading of the list")
            #expect(!trail.contains { $0.detail.contains("olena") }, "no contact data in the trail")
        }
    }

    @Test func theRegistersAreInTheStaffMenu() async throws {
        try await TestApp.withApp { app, client in
            let partner = try await app.signedIn(.partner)
            let menu = try await Self.get(client, "/pl/dashboard", partner)
            #expect(menu.text.contains("href=\"/pl/manage/dialogue-bodies\">Rejestry</a>"))
            let page = try await Self.get(client, "/pl/manage/assistants", partner)
            #expect(page.text.contains("href=\"/pl/manage/dialogue-bodies\" aria-current=\"true\">Rejestry</a>"))
            let handler = try await app.signedIn(.incidentHandler)
            #expect(!(try await Self.get(client, "/pl/incidents", handler)).text.contains("Rejestry"))
        }
    }
}
