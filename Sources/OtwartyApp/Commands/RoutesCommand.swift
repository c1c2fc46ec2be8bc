import ArgumentParser
import Foundation
import OtwartyCore
import OtwartyWeb

/// `otwarty routes`: the route table exactly as the server builds it (method, pattern, who
/// reaches it, page or API). The attack suite in CI reads it and compares it with the checked-in
/// access table (`Tests/attack/access.tsv`).
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Print every route with the roles that reach it (the server's own route table).")

    @Flag(help: "Print JSON (an array of {method, pattern, access, isPage}) instead of tab-separated lines.")
    var json = false

    func run() async throws {
        try await withServices { configuration, services, _ in
            let (_, entries) = try await buildRouter(configuration, services: services)
            let rows = entries.map { RouteRow($0) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            } else {
                for row in rows {
                    print([row.method, row.pattern, row.access.joined(separator: ","), row.isPage ? "page" : "api"]
                        .joined(separator: "\t"))
                }
            }
        }
    }
}

/// One line of the route table; `access` is `["everyone"]` or the role names in `Role`'s order.
struct RouteRow: Encodable {
    var method: String
    var pattern: String
    var access: [String]
    var isPage: Bool

    init(_ entry: RouteEntry) {
        method = entry.method.rawValue
        pattern = entry.pattern
        switch entry.access {
        case .everyone: access = ["everyone"]
        case let .roles(roles): access = Role.allCases.filter { roles.contains($0) }.map(\.rawValue)
        }
        isPage = entry.isPage
    }
}
