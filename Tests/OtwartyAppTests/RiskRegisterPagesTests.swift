import Foundation
import Hummingbird
import HummingbirdTesting
import OtwartyCore
import Testing

/// The risk register's forms as coordinators use them: each write goes through
/// `RiskRegisterService`, a refused form comes back as the register with its errors (422).
@Suite struct RiskRegisterPagesTests {
    static let risks = "/en/programmes/\(EmbeddedProgrammes.krakowSlug)/risks"

    func post(_ client: any TestClientProtocol, _ uri: String, as user: SignedInUser, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: user.formHeaders(), body: formBody([("_csrf", user.csrfToken)] + fields))
    }

    @Test func coordinatorsAddRisksKeepDetailsAndReassess() async throws {
        try await TestApp.withApp(storage: .sqlite) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let added = try await post(client, "\(Self.risks)/new", as: coordinator, [
                ("goal", "6"), ("name", "Dezinformacja <w sieci>"), ("score", "5"), ("response", "counteract"),
                ("responseDetail", ""), ("owner", "Wydział Bezpieczeństwa"), ("linkedTasks", "6.2, 6.1"), ("reviewEveryMonths", "")])
            #expect(added.status == .seeOther && added.headers[.location] == "\(Self.risks)")
            let page = try await client.execute(uri: Self.risks, method: .get, headers: coordinator.cookie).text
            #expect(page.contains("Dezinformacja &lt;w sieci&gt;") && page.contains("6.2, 6.1"))

            let refused = try await post(client, "\(Self.risks)/new", as: coordinator, [
                ("goal", "6"), ("name", ""), ("score", "99"), ("response", "counteract"), ("linkedTasks", ""), ("reviewEveryMonths", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Name the risk (at most 500 characters).") && refused.text.contains("Choose a score from the scale."))

            #expect(try await post(client, "\(Self.risks)/2/details", as: coordinator, [
                ("owner", "Pełnomocnik"), ("linkedTasks", "1.1"), ("reviewEveryMonths", "3")]).headers[.location] == "\(Self.risks)")
            #expect(try await post(client, "\(Self.risks)/8/details", as: coordinator, [
                ("owner", ""), ("linkedTasks", ""), ("reviewEveryMonths", "6")]).status == .notFound)

            let reassessed = try await post(client, "\(Self.risks)/assessments", as: coordinator, [
                ("risk", "7"), ("date", "2026-03-01"), ("score", "6"), ("reason", "więcej zgłoszeń")])
            #expect(reassessed.status == .seeOther && reassessed.headers[.location] == "\(Self.risks)")
            let badDate = try await post(client, "\(Self.risks)/assessments", as: coordinator, [
                ("risk", "7"), ("date", "1 marca"), ("score", "6"), ("reason", "r")])
            #expect(badDate.status == .unprocessableContent && badDate.text.contains("Enter a date as YYYY-MM-DD."))

            let viewer = try await app.signedIn(.viewer)
            #expect(try await post(client, "\(Self.risks)/assessments", as: viewer, [
                ("risk", "1"), ("date", "2026-03-01"), ("score", "2"), ("reason", "r")]).status == .forbidden)

            let audit = app.services.repositories.audit
            let slug = EmbeddedProgrammes.krakowSlug
            #expect(try await audit.entries(subject: "risk:\(slug):7", limit: 10).map(\.action) == ["risk.reassessed", "risk.added"])
            #expect(try await audit.entries(subject: "risk:\(slug):2", limit: 10).map(\.detail) == ["owner Pełnomocnik; tasks 1.1"])
            #expect(try await app.services.repositories.riskAssessments.assessments(programme: slug).map(\.score) == [6])
        }
    }
}
