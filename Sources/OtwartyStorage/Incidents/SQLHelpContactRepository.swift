import Foundation
import OtwartyCore
import SQLKit

/// The help contacts shown to reporters (`HelpContact`): one row each, a column per language for
/// the name and the hours.
public struct SQLHelpContactRepository: HelpContactRepository {
    let database: Database
    public init(database: Database) { self.database = database }

    struct Row: TableRow {
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, position, phone, languagesSpoken = "languages_spoken", isExample = "is_example",
                 namePL = "name_pl", nameEN = "name_en", nameUK = "name_uk", nameRU = "name_ru",
                 hoursPL = "hours_pl", hoursEN = "hours_en", hoursUK = "hours_uk", hoursRU = "hours_ru"
        }
        typealias Column = CodingKeys
        var id: Int64
        var position: Int
        var phone: String
        var languagesSpoken: String
        var isExample: Bool
        var namePL: String, nameEN: String, nameUK: String, nameRU: String
        var hoursPL: String, hoursEN: String, hoursUK: String, hoursRU: String

        var contact: HelpContact {
            HelpContact(id: id, position: position, names: ["pl": namePL, "en": nameEN, "uk": nameUK, "ru": nameRU], phone: phone,
                        hours: ["pl": hoursPL, "en": hoursEN, "uk": hoursUK, "ru": hoursRU], languagesSpoken: languagesSpoken,
                        isExample: isExample)
        }
    }

    /// The per-language columns and their values, in one order for INSERT and UPDATE.
    static func textColumns(_ c: HelpContact) -> [(String, String)] {
        HelpContact.languages.flatMap { language in
            [("name_\(language)", c.names[language] ?? ""), ("hours_\(language)", c.hours[language] ?? "")]
        }
    }

    public func all() async throws -> [HelpContact] {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("help_contacts").orderBy("position").orderBy("id")
                .all(decoding: Row.self).map(\.contact)
        }
    }

    public func contact(id: Int64) async throws -> HelpContact? {
        try await database.withConnection { db in
            try await db.select().columns(Row.columns).from("help_contacts").where("id", .equal, id).first(decoding: Row.self)?.contact
        }
    }

    public func save(_ c: HelpContact) async throws -> HelpContact {
        try await database.transaction { db in
            let texts = Self.textColumns(c)
            var id = c.id
            if c.id > 0 {
                var update = db.update("help_contacts").set("position", to: c.position).set("phone", to: c.phone)
                    .set("languages_spoken", to: c.languagesSpoken).set("is_example", to: c.isExample)
                for (column, value) in texts { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
                try await update.where("id", .equal, c.id).run()
            } else {
                try await db.insert(into: "help_contacts")
                    .columns(["position", "phone", "languages_spoken", "is_example"] + texts.map(\.0))
                    .values([SQLBind(c.position), SQLBind(c.phone), SQLBind(c.languagesSpoken), SQLBind(c.isExample)]
                             + texts.map { SQLBind($0.1) })
                    .run()
                guard let new = try await db.select().column("id").from("help_contacts").orderBy("id", .descending).limit(1)
                    .first(decodingColumn: "id", as: Int64.self) else { throw DatabaseError.corrupt("a help contact vanished") }
                id = new
            }
            guard let row = try await db.select().columns(Row.columns).from("help_contacts").where("id", .equal, id)
                .first(decoding: Row.self) else { throw DomainError.notFound("Help contact \(id)") }
            // The public incident form lists the contacts and is cached by the data version.
            try await DataVersion.bump(db)
            return row.contact
        }
    }

    public func delete(id: Int64) async throws {
        try await database.transaction { db in
            try await db.delete(from: "help_contacts").where("id", .equal, id).run()
            try await DataVersion.bump(db)
        }
    }

    /// The first list a new installation gets: 112, and two Kraków-like entries marked as examples
    /// with no number, which stay off the public pages until the coordinator fills them in and
    /// confirms them (no invented numbers reach someone in need).
    static let seeds: [HelpContact] = [
        HelpContact(position: 10, names: ["pl": "Numer alarmowy (w niebezpieczeństwie)", "en": "Emergency number (if you are in danger)",
                                          "uk": "Номер екстреної допомоги (якщо вам загрожує небезпека)",
                                          "ru": "Номер экстренной помощи (если вам угрожает опасность)"],
                    phone: "112", hours: ["pl": "całą dobę", "en": "24 hours a day", "uk": "цілодобово", "ru": "круглосуточно"],
                    languagesSpoken: "polski, English, українська, русский"),
        HelpContact(position: 20, names: ["pl": "Punkt Informacyjny dla Obcokrajowców (PRZYKŁAD — uzupełnij)",
                                          "en": "Information Point for Foreigners (EXAMPLE — fill in)",
                                          "uk": "Інформаційний пункт для іноземців (ПРИКЛАД — заповніть)",
                                          "ru": "Информационный пункт для иностранцев (ПРИМЕР — заполните)"],
                    phone: "", hours: ["pl": "pn–pt, godziny do uzupełnienia", "en": "Mon–Fri, hours to be filled in",
                                       "uk": "пн–пт, години ще не вказано", "ru": "пн–пт, часы ещё не указаны"],
                    languagesSpoken: "polski, English, українська, русский", isExample: true),
        HelpContact(position: 30, names: ["pl": "Bezpłatna pomoc prawna — organizacja pozarządowa (PRZYKŁAD — uzupełnij)",
                                          "en": "Free legal aid — an NGO (EXAMPLE — fill in)",
                                          "uk": "Безоплатна правова допомога — громадська організація (ПРИКЛАД — заповніть)",
                                          "ru": "Бесплатная юридическая помощь — общественная организация (ПРИМЕР — заполните)"],
                    phone: "", hours: ["pl": "godziny do uzupełnienia", "en": "hours to be filled in",
                                       "uk": "години ще не вказано", "ru": "часы ещё не указаны"],
                    languagesSpoken: "polski, English", isExample: true),
    ]

    /// Run by migration 16 in its transaction.
    static func insertSeeds(on db: any SQLDatabase) async throws {
        for c in seeds {
            let texts = textColumns(c)
            try await db.insert(into: "help_contacts")
                .columns(["position", "phone", "languages_spoken", "is_example"] + texts.map(\.0))
                .values([SQLBind(c.position), SQLBind(c.phone), SQLBind(c.languagesSpoken), SQLBind(c.isExample)]
                        + texts.map { SQLBind($0.1) })
                .run()
        }
    }
}
