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
        @Option(help: "Days until the token stops working (\(APIToken.lifetimeDays.lowerBound)–\(APIToken.lifetimeDays.upperBound)).")
        var days: Int = APIToken.defaultLifetimeDays

        func validate() throws {
            guard APIToken.lifetimeDays.contains(days) else {
                throw ValidationError("--days must be a whole number from \(APIToken.lifetimeDays.lowerBound) to \(APIToken.lifetimeDays.upperBound).")
            }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                guard let user = try await services.repositories.users.user(email: email.lowercased()) else {
                    throw DomainError.notFound("User \(email)")
                }
                let token = try await services.accounts.createAPIToken(for: user, name: name, days: days,
                                                                       apiTokens: services.repositories.apiTokens)
                print(token)
                let expires = services.clock.now().addingTimeInterval(Double(days) * 86_400)
                FileHandle.standardError.write(Data("""
                    Token for \(user.email) (\(user.role.rawValue)), valid until \(expires.formatted(.iso8601)); \
                    it is not stored and cannot be shown again. It also ends when the password is reset or the account is disabled.

                    """.utf8))
            }
        }
    }
}
