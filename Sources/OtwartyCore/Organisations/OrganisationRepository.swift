import Foundation

public protocol OrganisationRepository: Sendable {
    func create(name: String, kind: OrganisationKind) async throws -> Organisation
    func organisation(id: OrganisationID) async throws -> Organisation?
    func organisation(named name: String) async throws -> Organisation?
    func all() async throws -> [Organisation]
}
