import OtwartyCore

/// The registers of the demo (issue 13 D): a few dialogue bodies and intercultural and Roma
/// assistants, so the register pages and measures 3.4.a and 5.5.a are not empty after `otwarty
/// demo`. Written by hand, every name invented and marked as an example; e-mails are @example.org
/// and phones 555. Kept apart from `DemoPublicSideData`, whose fingerprint they would change.
public enum DemoRegisters {
    static func day(_ iso: String) -> CalendarDate? { CalendarDate(iso: iso) }

    /// 3.4.a counts the first three in the years they work; the fourth (city units and NGOs only)
    /// is kept but never counted.
    public static let dialogueBodies: [DialogueBody] = [
        DialogueBody(name: "Rada ds. Mniejszości Narodowych i Etnicznych (przykład demonstracyjny)",
                     memberKinds: [.minorities, .cityUnits], validFrom: day("2017-05-01"),
                     note: "Zbiera się raz na kwartał; w składzie przedstawiciele 9 mniejszości narodowych i 4 etnicznych."),
        DialogueBody(name: "Forum Społeczności Migranckich (przykład demonstracyjny)", memberKinds: [.migrants, .ngos, .cityUnits],
                     validFrom: day("2024-03-01")),
        DialogueBody(name: "Zespół ds. Równego Traktowania (przykład demonstracyjny)",
                     memberKinds: [.minorities, .migrants, .academia, .cityUnits], validFrom: day("2022-01-01"),
                     validUntil: day("2025-06-30"), note: "Zakończył pracę po przyjęciu rekomendacji."),
        DialogueBody(name: "Zespół ds. Przestrzeni Publicznej (przykład demonstracyjny)", memberKinds: [.cityUnits, .ngos],
                     validFrom: day("2023-01-01")),
    ]

    /// (organisation name, assistant with organisation 0, set when stored): the education unit keeps
    /// three, the Roma culture society one.
    public static let assistants: [(organisation: String, assistant: InterculturalAssistant)] = [
        ("Wydział Edukacji", InterculturalAssistant(
            organisationID: 0, name: "Olha Demonstracyjna", kind: .intercultural, languages: ["ukraiński", "rosyjski", "polski"],
            schools: ["Szkoła Podstawowa nr 100 w Krakowie", "Szkoła Podstawowa nr 12 (przykład)"],
            email: "olha.demo@example.org", validFrom: day("2023-09-01"))),
        ("Wydział Edukacji", InterculturalAssistant(
            organisationID: 0, name: "Nguyen Thi Przykład", kind: .intercultural, languages: ["wietnamski", "angielski"],
            schools: ["Szkoła Podstawowa nr 100 w Krakowie"], email: "nguyen.demo@example.org", phone: "+48 12 555 02 20",
            validFrom: day("2024-09-01"), validUntil: day("2025-06-30"))),
        ("Wydział Edukacji", InterculturalAssistant(
            organisationID: 0, name: "Aliaksandra Próbna", kind: .intercultural, languages: ["białoruski", "rosyjski"],
            schools: ["Liceum Ogólnokształcące nr 7 (przykład)"], phone: "+48 12 555 02 30", validFrom: day("2025-09-01"))),
        ("Towarzystwo Kultury Romskiej „Drom”", InterculturalAssistant(
            organisationID: 0, name: "Mariusz Przykładowy", kind: .roma, languages: ["romani", "polski"],
            schools: ["Szkoła Podstawowa nr 100 w Krakowie", "Szkoła Podstawowa nr 31 (przykład)"],
            email: "mariusz.demo@example.org", phone: "+48 12 555 02 10", validFrom: day("2021-09-01"))),
    ]

    /// Stores the registers where they are empty (a second `otwarty demo` adds nothing); an
    /// assistant whose organisation the demo did not create is left out. Returns how many entries.
    @discardableResult
    public static func load(into repositories: Repositories) async throws -> Int {
        var stored = 0
        if try await repositories.registers.dialogueBodies().isEmpty {
            for body in dialogueBodies {
                _ = try await repositories.registers.saveDialogueBody(body)
                stored += 1
            }
        }
        if try await repositories.registers.assistants(organisationID: nil).isEmpty {
            let organisations = try await repositories.organisations.all()
            for (name, assistant) in assistants {
                guard let organisation = organisations.first(where: { $0.name == name }) else { continue }
                var entry = assistant
                entry.organisationID = organisation.id
                _ = try await repositories.registers.saveAssistant(entry)
                stored += 1
            }
        }
        return stored
    }
}
