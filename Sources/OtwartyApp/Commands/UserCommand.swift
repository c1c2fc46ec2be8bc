import ArgumentParser
import Foundation
import OtwartyCore
import OtwartyWeb

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. Prints a one-time link to set the password, unless --password-stdin is given.")

        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "The person's e-mail address (their sign-in name).") var email: String
        @Option(help: "Full name shown in the interface (default: the e-mail address).") var name: String?
        @Option(help: "Organisation name, required for unit-coordinator and partner.") var organisation: String?
        @Option(help: "Create the organisation with this kind if it does not exist: \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var organisationKind: String?
        @Flag(help: "Read the password from standard input instead of printing a link.") var passwordStdin = false

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role \(role) is not one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let kind = organisationKind, OrganisationKind(rawValue: kind) == nil {
                throw ValidationError("--organisation-kind \(kind) is not one of: \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            try await withServices { configuration, services, _ in
                let request = UserCreation.Request(
                    role: Role(rawValue: role)!, email: email, name: name ?? email, organisation: organisation,
                    organisationKind: organisationKind.flatMap(OrganisationKind.init(rawValue:)), password: password)
                let result = try await UserCreation.create(request, services: services, publicBaseURL: configuration.publicBaseURL)
                print("Created \(result.user.role.rawValue) \(result.user.email) (id \(result.user.id)).")
                if let link = result.link {
                    print("One-time link to set the password (valid 7 days):\n  \(link)")
                }
            }
        }
    }
}

/// What `otwarty user create` does, callable from tests.
public enum UserCreation {
    public struct Request: Sendable {
        public var role: Role
        public var email: String
        public var name: String
        public var organisation: String?
        public var organisationKind: OrganisationKind?
        /// nil: create an invitation link instead.
        public var password: String?

        public init(role: Role, email: String, name: String, organisation: String? = nil,
                    organisationKind: OrganisationKind? = nil, password: String? = nil) {
            self.role = role
            self.email = email
            self.name = name
            self.organisation = organisation
            self.organisationKind = organisationKind
            self.password = password
        }
    }

    public struct Result: Sendable {
        public var user: User
        public var link: String?
    }

    public static func create(_ request: Request, services: AppServices, publicBaseURL: String) async throws -> Result {
        var organisationID: OrganisationID?
        if let name = request.organisation?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            if let existing = try await services.repositories.organisations.organisation(named: name) {
                organisationID = existing.id
            } else if let kind = request.organisationKind {
                organisationID = try await services.accounts.createOrganisation(name: name, kind: kind, by: nil).id
            } else {
                let known = try await services.repositories.organisations.all().map(\.name)
                throw DomainError.notFound("Organisation \"\(name)\" (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")); add --organisation-kind to create it)")
            }
        }
        if let password = request.password {
            let user = try await services.accounts.createUser(email: request.email, displayName: request.name, role: request.role,
                                                              organisationID: organisationID, password: password)
            return Result(user: user, link: nil)
        }
        let (user, token) = try await services.accounts.invite(email: request.email, displayName: request.name,
                                                               role: request.role, organisationID: organisationID, by: nil)
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        return Result(user: user, link: base + SiteURL.invitation(token: token).path("pl"))
    }
}
