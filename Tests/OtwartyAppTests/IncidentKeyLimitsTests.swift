import Crypto
import Foundation
import Logging
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import Testing

/// Claims of docs/incidents.md ("Who can read a report") that the other key tests do not make:
/// who gets no envelope of a new report, what disabling does and does not take away, and that the
/// server key can be replaced once nothing depends on it.
@Suite struct IncidentKeyLimitsTests {
    /// A handler who was disabled, or who left the handler roles, gets no envelope of a report that
    /// arrives afterwards; enabling a disabled account again gives back what it could read before
    /// (disabling does not revoke), but not what arrived meanwhile.
    @Test func handlersWhoLeftOrWereDisabledLoseAccessAndEnablingRestoresNothing() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let keys = app.services.incidentKeys
            let anna = try await app.signedIn(.incidentHandler)
            let boris = try await app.signedIn(.incidentHandler)
            let cora = try await app.signedIn(.incidentHandler)
            let admin = try await app.signedIn(.administrator)
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let earlier = try await IncidentKeysTests.report(app, 91)

            try await app.services.accounts.setDisabled(true, userID: boris.user.id, by: admin.user.id)
            let accounts = HandlerAccountService(accounts: app.services.accounts,
                                                 requests: app.services.repositories.handlerAccountRequests)
            let change = try await accounts.proposeRoleChange(userID: cora.user.id, to: .viewer, by: admin.user)
            _ = try await accounts.approve(id: change.id, by: coordinator.user)

            let later = try await IncidentKeysTests.report(app, 92)
            let readers = Set(try await keys.keys.grants(incidentID: later.id).filter(\.isLive).map(\.recipient))
            #expect(readers.contains(.user(anna.user.id)) && readers.contains(.user(coordinator.user.id)))
            #expect(!readers.contains(.user(boris.user.id)), "a disabled handler gets no new report")
            #expect(!readers.contains(.user(cora.user.id)), "a handler who left the role gets no new report")
            // Disabling took Boris's envelope of the earlier case, as leaving the role took Cora's.
            let before = try await keys.keys.grants(incidentID: earlier.id)
            #expect(before.contains { $0.recipient == .user(boris.user.id) && !$0.isLive && $0.revokedBecause == "account disabled" })
            #expect(before.contains { $0.recipient == .user(cora.user.id) && !$0.isLive && $0.revokedBecause == "role changed" })

            try await app.services.accounts.setDisabled(false, userID: boris.user.id, by: admin.user.id)
            let back = try await IncidentKeysTests.signIn(app, boris.user.email)
            let old = try await app.services.incidents.open(id: earlier.id, by: back.user, key: back.key)
            #expect(old.access == .locked(.notGranted) && old.narrative == nil, "enabling again restores no access")
            let new = try await app.services.incidents.open(id: later.id, by: back.user, key: back.key)
            #expect(new.access == .locked(.notGranted) && new.narrative == nil)
        }
    }

    /// Once `serve` would say the server key opens no case text, a new server key loses nothing but
    /// the reporter's receipts sealed with the old one: handlers read every case, reports arrive,
    /// the reporter's status page opens its updates.
    @Test func afterTheMoveANewServerKeyLosesOnlyTheReceipts() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let anna = try await app.signedIn(.incidentHandler)
            let reported = try await IncidentKeysTests.report(app, 93)
            try await app.services.incidents.addAction(id: reported.id, on: app.services.clock.today,
                                                       text: IncidentKeysTests.sentinel("public", 93), isPublic: true,
                                                       by: anna.user, key: anna.incidentKey)
            #expect(try await app.services.incidentKeys.serverKeyUse() == .notNeeded)
            let receipt = ReporterReceipt(caseCode: reported.code, passphrase: reported.passphrase, issuedAt: app.clock.now)
            let sealedReceipt = try ReporterReceiptSealer(deriving: app.services.incidentCipher).seal(receipt)

            var configuration = app.configuration
            configuration.incidentKeyBase64 = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            var logger = Logger(label: "new-server-key")
            logger.logLevel = .warning
            let services = try await AppServices.open(configuration, logger: logger, hasher: BcryptPasswordHasher(cost: 4),
                                                      now: app.clock.function)
            do {
                let probe = try services.incidentCipher.seal("probe", context: "probe")
                #expect((try? app.services.incidentCipher.open(probe, context: "probe")) == nil, "the test really replaced the key")
                let user = try #require(try await services.repositories.users.user(id: anna.user.id))
                let key = try await services.incidentKeys.unlock(user: user, password: TestApp.goodPassword)
                let opened = try await services.incidents.open(id: reported.id, by: user, key: key)
                #expect(opened.access == .readable && opened.narrative == IncidentKeysTests.sentinel("narrative", 93))
                let status = try await services.incidents.status(caseCode: reported.code, passphrase: reported.passphrase)
                #expect(status.updates.contains { $0.text == IncidentKeysTests.sentinel("public", 93) })
                let credentials = try await services.incidents.submit(IncidentReport(
                    narrative: IncidentKeysTests.sentinel("narrative", 94), occurredOn: nil, district: nil, place: "",
                    category: .verbalAbuse, motivations: [.nationality], reporterRole: .witness, policeInformed: .no, contact: "",
                    consentToContact: false, language: "uk"))
                let fresh = try #require(try await services.repositories.incidents.incident(caseCode: credentials.caseCode))
                #expect(try await services.incidents.open(id: fresh.id, by: user, key: key).narrative
                        == IncidentKeysTests.sentinel("narrative", 94))
                #expect(try await services.incidentKeys.serverKeyUse() == .notNeeded)
                // The only loss: a receipt sealed with the old key no longer opens.
                #expect(ReporterReceiptSealer(deriving: services.incidentCipher).open(sealedReceipt) == nil)
                #expect(ReporterReceiptSealer(deriving: app.services.incidentCipher).open(sealedReceipt) != nil)
                try await services.shutdown()
            } catch {
                try? await services.shutdown()
                throw error
            }
        }
    }
}
