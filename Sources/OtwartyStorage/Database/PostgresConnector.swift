import Foundation
import Logging
import NIOCore
import PostgresKit
import SQLKit

/// Opens PostgreSQL connections outside the pool, for work that must own its connection for a
/// while: the LISTEN connection of `DataVersionListener` and the advisory lock of `runJob` (a
/// session lock dies with its connection, so closing ours always releases it, whatever failed).
struct PostgresConnector: Sendable {
    let configuration: SQLPostgresConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    /// A new connection with the pool's search path, closed when `body` ends.
    func with<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        let connection = try await PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration.coreConfiguration,
                                                              id: Int.random(in: 1_000_000...Int.max), logger: logger).get()
        do {
            if let searchPath = configuration.searchPath {
                try await connection.sql(queryLogLevel: nil).raw("SET search_path TO \(idents: searchPath, joinedBy: ",")").run()
            }
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
