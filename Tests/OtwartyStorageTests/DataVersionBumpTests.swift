import Foundation
import OtwartyCore
@testable import OtwartyStorage
import OtwartyTestSupport
import Testing

/// Every write the indicator engine or a cached public page reads moves the data version, on both
/// engines: the indicator API, the progress page and the incident form are cached by it, so a write
/// that did not move it would leave a stale answer on every instance (issue 15, point 4).
@Suite struct DataVersionBumpTests {
    typealias F = ActivityFixtures

    static func version(_ database: Database) async throws -> Int64 {
        try await database.withConnection { db in try await DataVersion.current(db) }
    }

    /// Runs `write` and requires the data version to have moved.
    static func expectBump(_ what: String, _ database: Database, _ write: () async throws -> Void,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await version(database)
        try await write()
        let after = try await version(database)
        #expect(after > before, "\(what) did not move the data version", sourceLocation: sourceLocation)
    }

    @Test(arguments: DatabaseEngine.allCases)
    func everyWriteTheIndicatorsOrPublicPagesReadMovesTheVersion(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let organisation = try #require(try await F.organisations(database, count: 1).first)
            let user = try await F.user(database)

            // The programme (the progress page, the API): created, then changed; an unchanged reload does not move it.
            let programmes = SQLProgrammeRepository(database: database)
            var programme = try EmbeddedProgrammes.krakow()
            programme.slug = "a-test-programme"
            try await Self.expectBump("a new programme", database) { _ = try await programmes.save(programme) }
            programme.title = "Retitled"
            try await Self.expectBump("a changed programme", database) { _ = try await programmes.save(programme) }
            let still = try await Self.version(database)
            #expect(try await programmes.save(programme) == .unchanged)
            #expect(try await Self.version(database) == still)

            // Help contacts (the incident form).
            let contacts = SQLHelpContactRepository(database: database)
            var contact = HelpContact(position: 5, names: ["pl": "Poradnia"], phone: "+48 12 1", hours: ["pl": "pn"], languagesSpoken: "polski")
            try await Self.expectBump("a new help contact", database) { contact = try await contacts.save(contact) }
            contact.phone = "+48 12 2"
            try await Self.expectBump("a changed help contact", database) { _ = try await contacts.save(contact) }
            try await Self.expectBump("a deleted help contact", database) { try await contacts.delete(id: contact.id) }

            // Registers (measures 3.4.a, 5.5.a) and cooperation coordinators (2.3.a).
            let registers = SQLRegisterRepository(database: database)
            var body = DialogueBody(name: "Rada", memberKinds: [.minorities])
            try await Self.expectBump("a new dialogue body", database) { body = try await registers.saveDialogueBody(body) }
            body.name = "Rada 2"
            try await Self.expectBump("a changed dialogue body", database) { _ = try await registers.saveDialogueBody(body) }
            try await Self.expectBump("a deleted dialogue body", database) { try await registers.deleteDialogueBody(id: body.id) }
            var assistant = InterculturalAssistant(organisationID: organisation, name: "Asystent", kind: .roma, phone: "+48 12 000 00 00")
            try await Self.expectBump("a new assistant", database) { assistant = try await registers.saveAssistant(assistant) }
            assistant.name = "Asystentka"
            try await Self.expectBump("a changed assistant", database) { _ = try await registers.saveAssistant(assistant) }
            try await Self.expectBump("a deleted assistant", database) { try await registers.deleteAssistant(id: assistant.id) }
            let coordinators = SQLCoordinatorRepository(database: database)
            try await Self.expectBump("a new coordinator", database) {
                _ = try await coordinators.add(CooperationCoordinator(id: 0, organisationID: organisation, name: "Zofia Nowak"))
            }

            // Service ratings (the ratings measure) and the data import log (6.2.c).
            let points = SQLServicePointRepository(database: database)
            let point = try await points.save(ServicePoint(name: "Punkt", address: "", openingHours: "", languages: "", contact: ""))
            let rating = ServiceFeedback(pointID: point.id, positive: true, comment: "", language: "pl",
                                         receivedOn: F.day("2025-03-10"), submission: "rating-\(UUID().uuidString)")
            try await Self.expectBump("a rating", database) {
                let added = try await points.addFeedback(rating)
                #expect(added)
            }
            let log = SQLDataImportLog(database: database)
            try await Self.expectBump("a data import", database) {
                try await log.record(DataImportEntry(kind: .policeStatistics, years: [2025], importedAt: F.t0, rows: 3, importedBy: user))
            }
        }
    }
}
