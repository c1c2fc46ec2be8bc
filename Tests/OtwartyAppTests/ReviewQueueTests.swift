import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// The review queue (issue 12, item 5), the record page by state (item 6) and the banners after
/// saving, submitting, approving, returning and reopening (item 4).
@Suite struct ReviewQueueTests {
    static let slug = "otwarty-krakow-2024-2028"
    let pages = ActivityPagesTests()

    func post(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser, _ fields: [(String, String)]) async throws -> TestResponse {
        try await pages.post(client, uri, as: user, fields)
    }

    /// A record of `organisation` submitted now (by the clock of `app`).
    func submitted(_ app: TestApp, _ title: String, by user: User, task: String = "4.1", kind: ActivityKind = .event,
                   start: String = "2025-06-14", participants: Int? = nil) async throws -> ActivityRecord {
        let record = try await app.services.activities.create(
            programmeSlug: Self.slug,
            input: ActivityInput(taskCode: task, kind: kind, title: title, startDate: CalendarDate(iso: start)!,
                                 organisationID: try #require(user.organisationID), participants: participants),
            as: user)
        return try await app.services.activities.submit(id: record.id, as: user)
    }

    /// The page a redirect leads to, with the banner cookie it set.
    func follow(_ client: any TestClientProtocol, _ response: TestResponse, as user: SignedInUser) async throws -> TestResponse {
        let location = try #require(response.headers[.location])
        let notice = try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init), "a banner cookie")
        return try await client.execute(uri: location, method: .get,
                                        headers: [.cookie: "otwarty_session=\(user.sessionToken); \(notice)"])
    }

    func position(_ text: String, in page: String) -> Int {
        page.range(of: text).map { page.distance(from: page.startIndex, to: $0.lowerBound) } ?? -1
    }

    @Test func theQueueIsOrderedByWaitingTimeAndSaysSinceWhen() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            // Submitted one day apart; the oldest submission is of the newest event.
            let first = try await submitted(app, "Najdłużej czeka", by: p.partner.user, start: "2026-05-01")
            app.clock.advance(by: 86_400)
            _ = try await submitted(app, "Czeka krócej", by: p.otherPartner.user, start: "2024-03-01")
            app.clock.advance(by: 86_400)
            _ = try await submitted(app, "Właśnie wysłany", by: p.partner.user, start: "2025-01-01")
            app.clock.advance(by: 3 * 86_400)
            // Signed in now (the sessions of five days ago have expired).
            let coordinator = try await app.signedIn(.programmeCoordinator, email: "k.later@example.org")

            let response = try await client.execute(uri: "/en/review", method: .get, headers: coordinator.cookie)
            #expect(response.status == .ok, "\(response.text.prefix(2000))")
            let queue = response.text
            let order = ["Najdłużej czeka", "Czeka krócej", "Właśnie wysłany"].map { position($0, in: queue) }
            #expect(order.allSatisfy { $0 > 0 } && order == order.sorted(), "oldest submission first: \(order)")
            #expect(queue.contains("Waiting since") && queue.contains("5 days") && queue.contains("4 days") && queue.contains("3 days"))
            #expect(queue.contains("<table class=\"data stack\">") && queue.contains("data-label=\"Waiting since\""))

            // Returned and submitted again, a record waits from its new submission.
            _ = try await app.services.activities.returnForChanges(id: first.id, comment: "Uzupełnij", as: coordinator.user)
            _ = try await app.services.activities.submit(id: first.id, as: p.partner.user)
            let again = try await client.execute(uri: "/en/review", method: .get, headers: coordinator.cookie).text
            #expect(position("Najdłużej czeka", in: again) > position("Właśnie wysłany", in: again))
            #expect(again.contains("today"))
        }
    }

    @Test func filtersAndSearchNarrowTheQueueAndKeepEachOtherAcrossPages() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            _ = try await submitted(app, "Festyn sąsiedzki", by: p.partner.user)
            _ = try await submitted(app, "Warsztat dla nauczycieli", by: p.partner.user, task: "5.1", kind: .workshop, start: "2026-02-02")
            _ = try await submitted(app, "Rabat 50%_off", by: p.otherPartner.user, start: "2024-05-05")
            _ = try await submitted(app, "Rabat 500 off", by: p.otherPartner.user)
            _ = try await submitted(app, "Rabat 50x_off", by: p.otherPartner.user)
            func queue(_ query: String) async throws -> String {
                let page = try await client.execute(uri: "/en/review?\(query)", method: .get, headers: p.coordinator.cookie)
                #expect(page.status == .ok, "\(query)")
                return page.text
            }
            let titles = ["Festyn sąsiedzki", "Warsztat dla nauczycieli", "Rabat 50%_off", "Rabat 500 off", "Rabat 50x_off"]
            func shown(_ page: String) -> Set<String> { Set(titles.filter { page.contains(">\($0)</a>") }) }

            #expect(shown(try await queue("organisation=\(p.ngo.id)")) == ["Festyn sąsiedzki", "Warsztat dla nauczycieli"])
            #expect(shown(try await queue("task=5.1")) == ["Warsztat dla nauczycieli"])
            #expect(shown(try await queue("year=2024")) == ["Rabat 50%_off"])
            #expect(shown(try await queue("kind=workshop")) == ["Warsztat dla nauczycieli"])
            #expect(shown(try await queue("search=50%25_")) == ["Rabat 50%_off"], "% and _ are searched as themselves")
            #expect(shown(try await queue("search=SASIEDZKI")) == ["Festyn sąsiedzki"])
            #expect(shown(try await queue("search=sasiedzki+FESTYN")) == ["Festyn sąsiedzki"], "words in any order; + is a browser's space")
            let combined = try await queue("organisation=\(p.other.id)&search=rabat&year=2025")
            #expect(shown(combined) == ["Rabat 500 off", "Rabat 50x_off"] && combined.contains("2 matching records"))
            #expect(combined.contains("value=\"rabat\"") && combined.contains("Clear filters"))
            #expect(combined.contains("<details class=\"queue-more\" open>"), "a filter set keeps the filters open")
            #expect(try await queue("search=rabat").contains("<details class=\"queue-more\">"), "a search alone leaves them folded")
            #expect(try await queue("search=nic%20takiego").contains("No waiting record matches these filters."))
            #expect(try await client.execute(uri: "/en/review?year=20x5", method: .get, headers: p.coordinator.cookie).status == .badRequest)

            // Page numbers: 53 more records of the other organisation make two pages of 50 under its filter.
            for i in 0..<53 { _ = try await submitted(app, "Spotkanie \(i)", by: p.otherPartner.user) }
            let first = try await queue("organisation=\(p.other.id)")
            #expect(first.contains("56 matching records"))
            #expect(first.contains("href=\"/en/review?organisation=\(p.other.id)&amp;page=2\""), "the next page keeps the filter")
            #expect(first.contains("aria-current=\"page\"><span class=\"visually-hidden\">Page </span>1</a>"))
            #expect(first.contains("rel=\"next\""))
            let second = try await queue("organisation=\(p.other.id)&page=2")
            #expect(second.contains("aria-current=\"page\"><span class=\"visually-hidden\">Page </span>2</a>") && second.contains("rel=\"prev\""))
            #expect(second.contains("href=\"/en/review?organisation=\(p.other.id)\""), "page 1 is the filtered queue's plain address")
            #expect(!second.contains("rel=\"next\""))
            // The approve form of each row carries the filters and the page back.
            #expect(second.contains("<input type=\"hidden\" name=\"organisation\" value=\"\(p.other.id)\"><input type=\"hidden\" name=\"page\" value=\"2\">"))
        }
    }

    @Test func bannersSayWhatHappenedAndWhatComesNext() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            let waiting = try await submitted(app, "Czekający wpis", by: p.otherPartner.user)
            app.clock.advance(by: 60)

            let created = try await post(client, "/en/activities/new", as: p.partner,
                                         ActivityPagesTests.eventForm + [("organisation", String(p.ngo.id))])
            #expect(created.status == .seeOther)
            let saved = try await follow(client, created, as: p.partner)
            #expect(saved.text.contains("Draft saved") && saved.text.contains("choose “Submit for review”"))
            #expect(saved.text.contains("Draft: the coordinator cannot see it."))
            let location = try #require(created.headers[.location])
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))

            let submit = try await post(client, "\(location)/submit", as: p.partner, [])
            let submittedPage = try await follow(client, submit, as: p.partner)
            #expect(submittedPage.text.contains("Sent for review") && submittedPage.text.contains("You will see the status on this page."))
            #expect(submittedPage.text.contains("Submitted for review: ") && submittedPage.text.contains("Waiting for the programme coordinator"))

            // Approved from the queue, searched: back to the same view, the measures moved named,
            // and the next record waiting offered.
            let approve = try await post(client, "/en/activities/\(id)/approve", as: p.coordinator,
                                         [("back", "review"), ("search", "festiwal")])
            #expect(approve.headers[.location] == "/en/review?search=festiwal")
            let afterApproval = try await follow(client, approve, as: p.coordinator)
            #expect(afterApproval.text.contains("Record approved") && afterApproval.text.contains("The record now counts toward:"))
            #expect(afterApproval.text.contains("<li>4.1.a "), "the events measure of task 4.1")
            #expect(afterApproval.text.contains("Results indicator of goal 4: Liczba wydarzeń nawiązujących do idei wielokulturowości"))
            // Nothing else matches "festiwal": the next record offered comes from the whole queue.
            #expect(afterApproval.text.contains("Nothing else waits in this view"))
            #expect(afterApproval.text.contains("Next waiting for review: Czekający wpis")
                    && afterApproval.text.contains("href=\"/en/activities/\(waiting.id)\""))
            let unfiltered = try await post(client, "/en/activities/\(waiting.id)/approve", as: p.coordinator, [("back", "review")])
            #expect(try await follow(client, unfiltered, as: p.coordinator).text.contains("The queue is empty"))

            let other = try await submitted(app, "Drugi", by: p.partner.user)
            let third = try await submitted(app, "Trzeci", by: p.partner.user)
            let fromRecord = try await post(client, "/en/activities/\(other.id)/approve", as: p.coordinator, [])
            #expect(fromRecord.headers[.location] == "/en/activities/\(other.id)")
            let recordPage = try await follow(client, fromRecord, as: p.coordinator).text
            #expect(recordPage.contains("Next waiting for review: Trzeci") && recordPage.contains("href=\"/en/activities/\(third.id)\""))

            let returned = try await post(client, "/en/activities/\(third.id)/return", as: p.coordinator, [("comment", "Dodaj listę obecności")])
            let returnedPage = try await follow(client, returned, as: p.coordinator).text
            #expect(returnedPage.contains("Record returned for changes") && returnedPage.contains("The organisation will see your comment"))
        }
    }

    @Test func theRecordPageOffersOnlyWhatItsStateAllows() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            let record = try await submitted(app, "Koncert", by: p.partner.user)
            let uri = "/en/activities/\(record.id)"
            func page(_ user: SignedInUser) async throws -> String {
                try await client.execute(uri: uri, method: .get, headers: user.cookie).text
            }

            // Submitted, for the coordinator: approve is one button; returning has its own section.
            let review = try await page(p.coordinator)
            let approveSection = try #require(review.range(of: "id=\"approve-heading\"")).lowerBound
            let returnSection = try #require(review.range(of: "id=\"return-heading\"")).lowerBound
            let comment = try #require(review.range(of: "<textarea id=\"comment\"")).lowerBound
            #expect(approveSection < returnSection && returnSection < comment, "the comment belongs to returning, not approving")
            #expect(!review.contains("Reopen") && review.contains("Approve it, or return it with a comment."))
            // Submitted, for its organisation: no edit, no submit.
            let owner = try await page(p.partner)
            #expect(!owner.contains("\(uri)/edit") && !owner.contains("\(uri)/submit") && !owner.contains("\(uri)/approve"))
            #expect(owner.contains("it cannot be changed meanwhile"))
            #expect(try await client.execute(uri: "\(uri)/edit", method: .get, headers: p.partner.cookie).headers[.location] == uri)

            _ = try await app.services.activities.approve(id: record.id, as: p.coordinator.user)
            // Approved, for the coordinator: no return; an explicit reopening with a reason, confirmed.
            let approved = try await page(p.coordinator)
            #expect(!approved.contains("id=\"return-heading\"") && !approved.contains("\(uri)/approve"))
            #expect(approved.contains("id=\"reopen-heading\"") && approved.contains("Reopen for changes"))
            let noReason = try await post(client, "\(uri)/return", as: p.coordinator, [("comment", " ")])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("aria-invalid=\"true\""))
            let confirm = try await post(client, "\(uri)/return", as: p.coordinator, [("comment", "Zła data")])
            #expect(confirm.status == .ok && confirm.text.contains("Reopen an approved record?"))
            #expect(confirm.text.contains("name=\"comment\" value=\"Zła data\"") && confirm.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await app.services.repositories.activities.record(id: record.id)?.status == .approved, "nothing happens before confirming")
            // Approved, for its organisation: nothing to do but ask.
            let ownerApproved = try await page(p.partner)
            #expect(!ownerApproved.contains("\(uri)/edit") && !ownerApproved.contains("\(uri)/return") && ownerApproved.contains("who can reopen it"))

            let reopened = try await post(client, "\(uri)/return", as: p.coordinator, [("comment", "Zła data"), ("confirmed", "yes")])
            #expect(try await follow(client, reopened, as: p.coordinator).text.contains("Record reopened for changes"))
            let stored = try await app.services.repositories.activities.record(id: record.id)
            #expect(stored?.status == .returned && stored?.reviewComment == "Zła data")
            let trail = try await app.services.repositories.audit.entries(subject: "activity:\(record.id)", limit: 5)
            #expect(trail.first?.action == "activity.reopened")
            // Returned, for its organisation: the comment, edit and submit.
            let ownerReturned = try await page(p.partner)
            #expect(ownerReturned.contains("Zła data") && ownerReturned.contains("\(uri)/edit") && ownerReturned.contains("\(uri)/submit"))
        }
    }

    @Test func aStaleEditOfAnApprovedRecordKeepsWhatWasTyped() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            let record = try await submitted(app, "Przed zmianą", by: p.partner.user)
            _ = try await app.services.activities.returnForChanges(id: record.id, comment: "Popraw", as: p.coordinator.user)
            // The partner opens the form; meanwhile the record is submitted from elsewhere and approved.
            #expect(try await client.execute(uri: "/pl/activities/\(record.id)/edit", method: .get, headers: p.partner.cookie).status == .ok)
            _ = try await app.services.activities.submit(id: record.id, as: p.partner.user)
            _ = try await app.services.activities.approve(id: record.id, as: p.coordinator.user)
            let typed = ActivityPagesTests.eventForm.map { field -> (String, String) in
                switch field.0 {
                case "title": ("title", "Mój nowy tytuł <b>")
                case "notes": ("notes", "Długi opis, którego szkoda stracić")
                default: field
                }
            } + [("organisation", String(p.ngo.id))]
            let stale = try await post(client, "/pl/activities/\(record.id)/edit", as: p.partner, typed)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Tego wpisu nie można już zapisać") && stale.text.contains("„zatwierdzone”"))
            #expect(stale.text.contains("value=\"Mój nowy tytuł &lt;b&gt;\"") && stale.text.contains("Długi opis, którego szkoda stracić"))
            #expect(try await app.services.repositories.activities.record(id: record.id)?.title == "Przed zmianą")
        }
    }
}
