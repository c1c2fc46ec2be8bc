import Foundation
import OtwartyApp
import OtwartyCore
import Testing

/// The reporter's key is derived with the scrypt cost of the day it was made, and that cost is
/// stored beside its public key: an operator who later changes `OTWARTY_INCIDENT_SCRYPT_LOG_N`
/// does not lock reporters out of their updates (docs/incidents.md, "Parameters").
@Suite struct ReporterKeyParametersTests {
    @Test func theStatusPageOpensUpdatesAfterTheScryptCostChanged() async throws {
        try await TestApp.withApp(storage: .sqlite, loadProgramme: false) { app, _ in
            let handler = try await app.signedIn(.incidentHandler)
            let reported = try await IncidentKeysTests.report(app, 141)
            let update = IncidentKeysTests.sentinel("public-update", 141)
            try await app.services.incidents.addAction(id: reported.id, on: app.services.clock.today, text: update, isPublic: true,
                                                       by: handler.user, key: handler.incidentKey)
            let stored = try #require(try await app.services.repositories.incidents.incident(id: reported.id))
            #expect(stored.reporterKeyParameters == .testing, "the cost is stored with the key")

            // The same data, read by services whose configured cost is higher.
            let raised = ScryptParameters(logN: ScryptParameters.testing.logN + 1)
            let base = app.services.incidentKeys
            let keys = IncidentKeyService(keys: base.keys, incidents: base.incidents, users: base.users, audit: base.audit,
                                          clock: base.clock, serverCipher: base.serverCipher, parameters: raised)
            let incidents = IncidentService(incidents: app.services.repositories.incidents, audit: app.services.repositories.audit,
                                            keys: keys, clock: app.services.clock)
            let status = try await incidents.status(caseCode: reported.code, passphrase: reported.passphrase)
            #expect(status.updates.map(\.text) == [update])
        }
    }
}
