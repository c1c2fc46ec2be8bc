import Foundation
import HummingbirdTesting
import OtwartyCore
import Testing

/// The review queue's data-quality flags on the pages (issue 13): shown on the queue's rows and
/// the record page, with what must not flag, an "only flagged" view, and approval still possible.
@Suite struct QualityFlagsPageTests {
    static let slug = "otwarty-krakow-2024-2028"
    let pages = ActivityPagesTests()
    let queue = ReviewQueueTests()

    /// A record of `user`'s organisation, submitted.
    func submitted(_ app: TestApp, _ title: String, by user: User, task: String = "4.1", kind: ActivityKind = .event,
                   start: String = "2025-06-14", district: Int? = 18, participants: Int? = nil) async throws -> ActivityRecord {
        let record = try await app.services.activities.create(
            programmeSlug: Self.slug,
            input: ActivityInput(taskCode: task, kind: kind, title: title, startDate: CalendarDate(iso: start)!,
                                 organisationID: try #require(user.organisationID), district: district.flatMap(District.init(number:)),
                                 participants: participants),
            as: user)
        return try await app.services.activities.submit(id: record.id, as: user)
    }

    func occurrences(_ text: String, in page: String) -> Int { page.components(separatedBy: text).count - 1 }

    func page(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser) async throws -> String {
        let response = try await client.execute(uri: uri, method: .get, headers: user.cookie)
        #expect(response.status == .ok, "\(uri): \(response.text.prefix(1500))")
        return response.text
    }

    @Test func aPossibleDuplicateIsFlaggedOnTheQueueAndTheRecordAndCanStillBeApproved() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            // Same task, day and district XVIII; titles share 4 of 6 words (0.67): flagged both ways.
            let dialog = try await submitted(app, "Festyn „Sąsiedzi z całego świata”", by: p.partner.user)
            let most = try await submitted(app, "Sąsiedzi z całego świata – festyn w Nowej Hucie", by: p.otherPartner.user)
            // The same title in district XIV: not flagged (another district is another activity).
            let elsewhere = try await submitted(app, "Festyn „Sąsiedzi z całego świata”", by: p.otherPartner.user, district: 14)
            // The same organisation twice the same day: not flagged (not a co-organisation).
            let twice = try await submitted(app, "Festyn Sąsiedzi z całego świata", by: p.partner.user)

            let all = try await page(client, "/en/review", as: p.coordinator)
            #expect(all.contains("<th scope=\"col\">To check</th>"))
            // Three rows flag: dialog ↔ most, and twice ↔ most (twice and dialog are one organisation).
            #expect(occurrences("class=\"flag flag-possible-duplicate\"", in: all) == 3)
            #expect(all.contains("href=\"/en/activities/\(most.id)\">Sąsiedzi z całego świata – festyn w Nowej Hucie — Stowarzyszenie Most, submitted</a>"))
            #expect(all.contains("class=\"quality no-flags\""), "the record in district XIV has no flag")

            // Only flagged: the record in district XIV is left out; the tick is kept and carried.
            let flagged = try await page(client, "/en/review?flagged=1", as: p.coordinator)
            #expect(!flagged.contains("href=\"/en/activities/\(elsewhere.id)\""))
            #expect(flagged.contains("href=\"/en/activities/\(dialog.id)\"") && flagged.contains("href=\"/en/activities/\(twice.id)\""))
            #expect(flagged.contains("name=\"flagged\" value=\"1\" checked"))
            #expect(flagged.contains("<input type=\"hidden\" name=\"flagged\" value=\"1\">"))
            // Anything but 1 is no tick (a bounded value): the whole queue.
            #expect(try await page(client, "/en/review?flagged=yes", as: p.coordinator).contains("href=\"/en/activities/\(elsewhere.id)\""))

            // The record page explains, links the other record, and still offers approval.
            let record = try await page(client, "/en/activities/\(dialog.id)", as: p.coordinator)
            #expect(record.contains("Check before approving") && record.contains("These are flags, not blocks"))
            #expect(record.contains("Possibly the same activity reported by Stowarzyszenie Most (same task, start date and district, similar title). If it was co-organised, report it once or split the counts between the records."))
            #expect(record.contains("href=\"/en/activities/\(most.id)\""))
            #expect(record.contains("action=\"/en/activities/\(dialog.id)/approve\""))
            // The organisation's own view has no flags (they are the reviewer's).
            #expect(!(try await page(client, "/en/activities/\(dialog.id)", as: p.partner)).contains("Check before approving"))
            // The record in district XIV: no section.
            #expect(!(try await page(client, "/en/activities/\(elsewhere.id)", as: p.coordinator)).contains("Check before approving"))

            // Approving a flagged record works, from the queue's "only flagged" view, back to it.
            let approve = try await queue.post(client, "/en/activities/\(dialog.id)/approve", as: p.coordinator,
                                               [("back", "review"), ("flagged", "1")])
            #expect(approve.status == .seeOther && approve.headers[.location] == "/en/review?flagged=1")
            #expect(try await app.services.repositories.activities.record(id: dialog.id)?.status == .approved)
            // Approved, it is now what "most" duplicates: still flagged, pointing at an approved record.
            let after = try await page(client, "/en/activities/\(most.id)", as: p.coordinator)
            #expect(after.contains("Festyn „Sąsiedzi z całego świata” — Fundacja Dialog, approved"))
        }
    }

    @Test func aRecordInAFrozenYearIsFlagged() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            _ = try await app.services.repositories.reportVersions.freeze(
                programme: Self.slug, year: 2025, number: 1, files: [ReportFile(format: .html, bytes: Array("<p>2025</p>".utf8))],
                at: app.clock.now, by: nil)
            let late = try await submitted(app, "Spotkanie grudniowe", by: p.partner.user, start: "2025-12-30")
            let current = try await submitted(app, "Spotkanie styczniowe", by: p.partner.user, start: "2026-01-02")
            let all = try await page(client, "/en/review", as: p.coordinator)
            #expect(occurrences("class=\"flag flag-frozen-year\"", in: all) == 1)
            #expect(all.contains("2025 report frozen"))
            let record = try await page(client, "/pl/activities/\(late.id)", as: p.coordinator)
            #expect(record.contains("Raport za 2025 r. został zamrożony (wersja 1,"))
            #expect(record.contains("href=\"/pl/reports/2025\""))
            #expect(!(try await page(client, "/en/activities/\(current.id)", as: p.coordinator)).contains("Check before approving"))
        }
    }

    @Test func aCountFarAboveTheKindsUsualIsFlaggedOnlyWhenTheKindHasTwentyRecords() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            let activities = app.services.repositories.activities
            let organisation = try #require(p.partner.user.organisationID)
            // 20 approved workshops with 10…29 participants: median at rank 10 → 19, 99th percentile
            // at rank ⌈19.8⌉ = 20 → 29; threshold max(10 × 19, 29) = 190.
            for participants in 10...29 {
                _ = try await activities.create(
                    programmeSlug: Self.slug,
                    input: ActivityInput(taskCode: "5.1", kind: .workshop, title: "Warsztat \(participants)",
                                         startDate: CalendarDate(year: 2025, month: 3, day: 1)!, organisationID: organisation,
                                         participants: participants),
                    status: .approved, by: nil, at: app.clock.now)
            }
            // 5 approved events: too few for a threshold.
            for i in 1...5 {
                _ = try await activities.create(
                    programmeSlug: Self.slug,
                    input: ActivityInput(taskCode: "4.1", kind: .event, title: "Wydarzenie \(i)",
                                         startDate: CalendarDate(year: 2025, month: 3, day: i)!, organisationID: organisation,
                                         participants: 1),
                    status: .approved, by: nil, at: app.clock.now)
            }
            let above = try await submitted(app, "Warsztat ogromny", by: p.partner.user, task: "5.1", kind: .workshop,
                                            start: "2025-09-01", participants: 191)
            let atThreshold = try await submitted(app, "Warsztat duży", by: p.partner.user, task: "5.1", kind: .workshop,
                                                  start: "2025-09-02", participants: 190)
            let bigEvent = try await submitted(app, "Wielki festyn", by: p.partner.user, start: "2025-09-03", participants: 10_000)
            let probe = try await submitted(app, "Warsztat spory", by: p.partner.user, task: "5.1", kind: .workshop,
                                            start: "2025-09-04", participants: 195)
            let all = try await page(client, "/en/review", as: p.coordinator)
            #expect(occurrences("class=\"flag flag-unusual-count\"", in: all) == 2, "191 and 195")
            let record = try await page(client, "/en/activities/\(above.id)", as: p.coordinator)
            #expect(record.contains("191 participants is above 190, the limit for “workshop” records: the larger of 10 × the median (19) and the 99th percentile of the 20 approved records of this kind."))
            #expect(!(try await page(client, "/en/activities/\(atThreshold.id)", as: p.coordinator)).contains("Check before approving"))
            #expect(!(try await page(client, "/en/activities/\(bigEvent.id)", as: p.coordinator)).contains("Check before approving"))
            // Approving it is still possible.
            let approve = try await queue.post(client, "/en/activities/\(above.id)/approve", as: p.coordinator, [])
            #expect(approve.status == .seeOther)
            #expect(try await activities.record(id: above.id)?.status == .approved)
            // The kept profile is dropped with the approval (a new data version): 21 workshops now,
            // median at rank ⌈10.5⌉ = 11 → 20, 99th at ⌈20.79⌉ = 21 → 191; threshold max(200, 191)
            // = 200, so 195 is no longer flagged.
            let probePage = try await page(client, "/en/activities/\(probe.id)", as: p.coordinator)
            #expect(!probePage.contains("Check before approving"))
        }
    }

    @Test func deliveredProductsWithoutEvidenceAreListedAboveTheQueue() async throws {
        try await TestApp.withApp { app, client in
            let p = try await pages.people(app)
            let programme = try #require(try await app.services.repositories.programmes.programme(slug: Self.slug))
            let task = try #require(programme.tasks.first { !$0.products.isEmpty })
            let products = app.services.repositories.products
            let day = CalendarDate(year: 2025, month: 11, day: 30)!
            #expect(!(try await page(client, "/en/review", as: p.coordinator)).contains("Delivered products without evidence"))
            try await products.save(ProductRecord(programmeSlug: Self.slug, taskCode: task.code, index: 0, status: .delivered,
                                                  deliveredOn: day))
            let queue = try await page(client, "/en/review", as: p.coordinator)
            #expect(queue.contains("<h2 id=\"products-flag-heading\">Delivered products without evidence</h2>"))
            #expect(queue.contains("href=\"/en/reports/products/\(task.code)/1\">Task \(task.code): <span lang=\"pl\">"))
            #expect(queue.contains("delivered 30 November 2025") || queue.contains("delivered 30 Nov 2025"), "\(queue)")
            // With a link as evidence it is no longer listed.
            try await products.save(ProductRecord(programmeSlug: Self.slug, taskCode: task.code, index: 0, status: .delivered,
                                                  deliveredOn: day, evidence: .link(url: "https://example.org/r", isPublic: true)))
            #expect(!(try await page(client, "/en/review", as: p.coordinator)).contains("Delivered products without evidence"))
        }
    }
}
