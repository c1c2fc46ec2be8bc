/// A number that changes whenever anything an indicator or a public page shows may have changed
/// (records, reference statistics). Caches compare it on every read, so an approval anywhere —
/// in this process or another sharing the database — is seen at once.
public protocol DataVersionSource: Sendable {
    func current() async throws -> Int64
}
