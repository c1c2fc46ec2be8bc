import Foundation
import OtwartyApp
import OtwartyCore
import OtwartyStorage
import Testing

/// The commands' work, called directly (the commands are thin shells over these functions).
@Suite struct CommandTests {
    @Test func loadingAProgrammeIsIdempotentAndUpdates() async throws {
        try await TestApp.withApp(loadProgramme: false) { app, _ in
            let krakow = try EmbeddedProgrammes.krakow()
            #expect(try await app.services.programmes.load(krakow) == .created)
            #expect(try await app.services.programmes.load(krakow) == .unchanged)
            var changed = krakow
            changed.goals[0].tasks[0].title += " (zmienione)"
            #expect(try await app.services.programmes.load(changed) == .updated)
            #expect(try await app.services.repositories.programmes.programme(slug: krakow.slug)?.goals[0].tasks[0].title
                    .hasSuffix("(zmienione)") == true)
            // A second city's programme sits beside Kraków's; Kraków stays the default.
            let other = try ProgrammeFileParser.parse(try ProgrammeFileFixtures.minimal)
            #expect(try await app.services.programmes.load(other) == .created)
            #expect(try await app.services.repositories.programmes.summaries().map(\.slug) == [krakow.slug, other.slug])
            let audit = try await app.services.repositories.audit.entries(subject: "programme:\(krakow.slug)", limit: 10)
            #expect(audit.map(\.action) == ["programme.updated", "programme.created"])
        }
    }

    @Test func theDefaultProgrammeIsLoadedOnlyIntoAnEmptyDatabase() async throws {
        try await TestApp.withApp(loadProgramme: false) { app, _ throws in
            #expect(try await app.services.loadDefaultProgrammeIfEmpty())
            #expect(!(try await app.services.loadDefaultProgrammeIfEmpty()))
            #expect(try await app.services.repositories.programmes.summaries().count == 1)
        }
    }

    @Test func userCreationPrintsALinkOrTakesAPassword() async throws {
        try await TestApp.withApp { app, _ in
            let invited = try await UserCreation.create(.init(role: .viewer, email: "Radna@Krakow.test", name: "Radna"),
                                                        services: app.services, publicBaseURL: "https://otwarty.example/")
            let link = try #require(invited.link)
            #expect(link.hasPrefix("https://otwarty.example/pl/invitation/") && link.count == "https://otwarty.example/pl/invitation/".count + 64)
            #expect(invited.user.email == "radna@krakow.test" && !invited.user.canSignIn)

            let partner = try await UserCreation.create(
                .init(role: .partner, email: "ngo@krakow.test", name: "NGO", organisation: "Fundacja Nowa",
                      organisationKind: .ngo, password: TestApp.goodPassword),
                services: app.services, publicBaseURL: "http://x")
            #expect(partner.link == nil && partner.user.canSignIn && partner.user.organisationID != nil)

            await #expect(throws: DomainError.self) {
                try await UserCreation.create(.init(role: .partner, email: "p2@krakow.test", name: "P", organisation: "Nieznana"),
                                              services: app.services, publicBaseURL: "http://x")
            }
            await #expect(throws: DomainError.invalid([FieldError(field: "password", messageKey: "error.password.too-short",
                                                                  message: "must be at least 12 characters")])) {
                try await UserCreation.create(.init(role: .viewer, email: "short@krakow.test", name: "S", password: "short"),
                                              services: app.services, publicBaseURL: "http://x")
            }
            #expect(try await app.services.repositories.users.user(email: "short@krakow.test") == nil)
        }
    }

    @Test func configurationFromTheEnvironment() throws {
        let defaults = try AppConfiguration.fromEnvironment([:])
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8080)
        #expect(defaults.publicBaseURL == "http://127.0.0.1:8080")
        #expect(defaults.database == .sqlite(path: "./data/otwarty.sqlite"))
        #expect(defaults.sessionPolicy.idleTimeout == 1800 && defaults.sessionPolicy.absoluteTimeout == 43200)

        let custom = try AppConfiguration.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@db:5432/otwarty", "OTWARTY_PORT": "9000", "OTWARTY_PUBLIC_URL": "https://otwarty.krakow.pl",
            "OTWARTY_SESSION_IDLE_MINUTES": "15", "LOG_LEVEL": "debug"], host: "0.0.0.0")
        #expect(custom.host == "0.0.0.0" && custom.port == 9000)
        #expect(custom.database == .postgres(url: "postgres://u:p@db:5432/otwarty"))
        #expect(custom.publicBaseURL == "https://otwarty.krakow.pl")
        #expect(custom.sessionPolicy.idleTimeout == 900)
        #expect(DatabaseLocation.postgres(url: "postgres://u:secret@db/x").description.contains("secret") == false)

        for (name, value) in [("OTWARTY_PORT", "eighty"), ("OTWARTY_PORT", "70000"), ("DATABASE_URL", "mysql://x"),
                              ("OTWARTY_PUBLIC_URL", "otwarty.krakow.pl"), ("LOG_LEVEL", "loud"), ("OTWARTY_BCRYPT_COST", "4")] {
            #expect(throws: AppConfiguration.Invalid.self, "\(name)=\(value)") {
                try AppConfiguration.fromEnvironment([name: value])
            }
        }
    }
}

enum ProgrammeFileFixtures {
    /// docs/examples/minimal-programme.yaml: the documentation's example is itself tested.
    static var minimal: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("docs/examples/minimal-programme.yaml"), encoding: .utf8)
        }
    }
}
