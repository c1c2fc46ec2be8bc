import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// Issue 13 (deliverables): task products on both engines, through the service that checks them.
@Suite struct ProductStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func productsUpsertReadAndFlagMissingEvidence(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let programme = try EmbeddedProgrammes.krakow()
            let repositories = Repositories.sql(database)
            let userID = try await F.user(database)
            let coordinator = try #require(try await repositories.users.user(id: userID))
            let document = try await repositories.documents.publish(
                PublicDocument(kind: .welcomePack, language: "pl", title: "Pakiet powitalny 2025",
                               publishedOn: F.day("2025-03-01"), fileName: "pakiet.pdf", mediaType: "application/pdf",
                               size: 3, sha256: String(repeating: "0", count: 64)), bytes: [1, 2, 3])
            let clock = OfficeClock(now: { F.t0 })  // 2025-06-15 in Warsaw
            let service = ProductService(products: repositories.products, documents: repositories.documents,
                                         audit: repositories.audit, clock: clock)
            let products = repositories.products

            #expect(try await products.products(programmeSlug: F.slug).isEmpty)
            // 1.3's first product delivered with the document; 2.2's second delivered with no evidence;
            // 2.2's first in progress with a staff-only link.
            try await service.save(ProductInput(status: .delivered, deliveredOn: F.day("2025-03-01"), documentID: document.id),
                                   programme: programme, taskCode: "1.3", index: 0, by: coordinator)
            try await service.save(ProductInput(status: .delivered, deliveredOn: F.day("2024-12-31"), note: "protokół w sekretariacie"),
                                   programme: programme, taskCode: "2.2", index: 1, by: coordinator)
            try await service.save(ProductInput(status: .inProgress, plannedOn: F.day("2025-09-30"),
                                                link: "https://intranet.example.org/p/22", linkIsPublic: false),
                                   programme: programme, taskCode: "2.2", index: 0, by: coordinator)

            let all = try await products.products(programmeSlug: F.slug)
            #expect(all.map(\.key) == [ProductKey(taskCode: "1.3", index: 0), ProductKey(taskCode: "2.2", index: 0),
                                       ProductKey(taskCode: "2.2", index: 1)])
            #expect(all[0].evidence == .document(id: document.id))
            #expect(all[0].deliveredOn == F.day("2025-03-01"))
            #expect(all[0].updatedBy == userID)
            #expect(all[1].evidence == .link(url: "https://intranet.example.org/p/22", isPublic: false))
            #expect(all[1].plannedOn == F.day("2025-09-30"))
            #expect(all[1].deliveredOn == nil)
            #expect(all[2].note == "protokół w sekretariacie")
            #expect(try await products.deliveredWithoutEvidence(programmeSlug: F.slug).map(\.key)
                    == [ProductKey(taskCode: "2.2", index: 1)])
            #expect(try await products.deliveredWithoutEvidence(programmeSlug: "otwarty-krakow-2019-2023").isEmpty)

            // A second save replaces the row (no duplicate), and the flag clears once evidence is given.
            try await service.save(ProductInput(status: .delivered, deliveredOn: F.day("2024-12-20"),
                                                link: "https://bip.krakow.pl/?dok_id=1", linkIsPublic: true),
                                   programme: programme, taskCode: "2.2", index: 1, by: coordinator)
            #expect(try await products.products(programmeSlug: F.slug).count == 3)
            let replaced = try #require(try await products.product(programmeSlug: F.slug, taskCode: "2.2", index: 1))
            #expect(replaced.deliveredOn == F.day("2024-12-20"))
            #expect(replaced.note == "")
            #expect(try await products.deliveredWithoutEvidence(programmeSlug: F.slug).isEmpty)

            // Every save wrote its audit entry.
            let entries = try await repositories.audit.entries(subject: "product:\(F.slug):2.2:2", limit: 10)
            #expect(entries.map(\.action) == ["product.saved", "product.saved"])
            #expect(entries.first?.detail.contains("public link https://bip.krakow.pl/?dok_id=1") == true)

            // A document that does not exist is refused on its field; nothing changes.
            await #expect(throws: DomainError.self) {
                try await service.save(ProductInput(status: .delivered, deliveredOn: F.day("2025-01-10"), documentID: 9999),
                                       programme: programme, taskCode: "1.3", index: 0, by: coordinator)
            }
            #expect(try await products.product(programmeSlug: F.slug, taskCode: "1.3", index: 0)?.deliveredOn == F.day("2025-03-01"))
        }
    }
}
