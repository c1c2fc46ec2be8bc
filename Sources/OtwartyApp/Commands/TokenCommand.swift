import ArgumentParser
import Foundation
import OtwartyCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Personal API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user and print it once (send it as Authorization: Bearer …).")
        @Option(help: "The user's e-mail address.") var email: String
        @Option(help: "What the token is for.") var name: String = "API token"

        func run() async throws {
            try await withServices { _, services, _ in
                guard let user = try await services.repositories.users.user(email: email.lowercased()) else {
                    throw DomainError.notFound("User \(email)")
                }
                let token = try await services.accounts.createAPIToken(for: user, name: name, apiTokens: services.repositories.apiTokens)
                print(token)
                FileHandle.standardError.write(Data("Token for \(user.email) (\(user.role.rawValue)); it is not stored and cannot be shown again.\n".utf8))
            }
        }
    }
}
