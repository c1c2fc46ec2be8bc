import Foundation

/// Where someone who has just reported an incident can get help now: 112, the Information Point
/// for Foreigners, a legal-aid NGO… Shown on the report form and on the reporter's confirmation
/// page. The programme coordinator keeps the list (`HelpContactService`); names and hours are
/// written per interface language, the phone number once.
public struct HelpContact: Hashable, Sendable {
    /// The interface languages a contact's texts are written in; Polish is required, the others
    /// fall back to it.
    public static let languages = ["pl", "en", "uk", "ru"]

    public var id: Int64
    /// Order on the public pages, smallest first.
    public var position: Int
    /// Language code → name ("Informacyjny Punkt dla Obcokrajowców").
    public var names: [String: String]
    /// As it is dialled: "112", "+48 12 …".
    public var phone: String
    /// Language code → when it answers and anything to know ("pn–pt 9:00–17:00").
    public var hours: [String: String]
    /// The languages spoken there, each written in itself: "polski, English, українська".
    public var languagesSpoken: String
    /// An entry the coordinator has not confirmed yet (the seeded Kraków-like defaults). Examples
    /// are never shown to the public: a number nobody checked must not reach someone in need.
    public var isExample: Bool

    public init(id: Int64 = 0, position: Int, names: [String: String], phone: String, hours: [String: String] = [:],
                languagesSpoken: String = "", isExample: Bool = false) {
        self.id = id
        self.position = position
        self.names = names
        self.phone = phone
        self.hours = hours
        self.languagesSpoken = languagesSpoken
        self.isExample = isExample
    }

    /// The name in `language`, else the Polish one.
    public func name(in language: String) -> String { Self.text(names, language) }
    public func hours(in language: String) -> String { Self.text(hours, language) }

    static func text(_ texts: [String: String], _ language: String) -> String {
        if let text = texts[language], !text.isEmpty { return text }
        return texts["pl"] ?? ""
    }

    /// Shown on the public pages: confirmed by the coordinator and with a number to call.
    public var isPublished: Bool { !isExample && !phone.isEmpty }

    /// The phone as a `tel:` target: digits and a leading plus only.
    public var dialable: String {
        String(phone.enumerated().compactMap { index, c in c.isASCII && c.isNumber || (c == "+" && index == 0) ? c : nil })
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        if (names["pl"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "name-pl", messageKey: "error.help.name", message: "give the name in Polish"))
        }
        for language in Self.languages {
            if (names[language] ?? "").count > 200 {
                errors.append(FieldError(field: "name-\(language)", messageKey: "error.help.too-long", message: "at most 200 characters"))
            }
            if (hours[language] ?? "").count > 300 {
                errors.append(FieldError(field: "hours-\(language)", messageKey: "error.help.too-long", message: "at most 300 characters"))
            }
        }
        let allowed = CharacterSet(charactersIn: "0123456789+ -()/")
        if phone.count > 30 || !phone.unicodeScalars.allSatisfy(allowed.contains) {
            errors.append(FieldError(field: "phone", messageKey: "error.help.phone",
                                     message: "digits, spaces, +, -, ( ) only, at most 30 characters"))
        } else if !isExample && dialable.count < 3 {
            errors.append(FieldError(field: "phone", messageKey: "error.help.phone-needed",
                                     message: "give the number, or keep the entry marked as an example"))
        }
        if languagesSpoken.count > 200 {
            errors.append(FieldError(field: "languagesSpoken", messageKey: "error.help.too-long", message: "at most 200 characters"))
        }
        if !(0...999).contains(position) {
            errors.append(FieldError(field: "position", messageKey: "error.help.position", message: "a whole number from 0 to 999"))
        }
        return errors
    }
}

public protocol HelpContactRepository: Sendable {
    /// Every contact, by position then id.
    func all() async throws -> [HelpContact]
    func contact(id: Int64) async throws -> HelpContact?
    /// Inserts a contact with id 0, else updates it; returns it as stored.
    func save(_ contact: HelpContact) async throws -> HelpContact
    func delete(id: Int64) async throws
}

/// The help contacts' writes, each with an audit entry; only the programme coordinator makes them.
public struct HelpContactService: Sendable {
    public let contacts: any HelpContactRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    /// The coordinator answers for what the public is told to call.
    public static let managers: Set<Role> = [.programmeCoordinator]

    public init(contacts: any HelpContactRepository, audit: any AuditLog, clock: OfficeClock) {
        self.contacts = contacts
        self.audit = audit
        self.clock = clock
    }

    /// What the public sees: confirmed contacts with a number, in order.
    public func published() async throws -> [HelpContact] {
        try await contacts.all().filter(\.isPublished)
    }

    public func all(by user: User) async throws -> [HelpContact] {
        try requireManager(user)
        return try await contacts.all()
    }

    public func contact(id: Int64, by user: User) async throws -> HelpContact {
        try requireManager(user)
        guard let contact = try await contacts.contact(id: id) else { throw DomainError.notFound("Help contact \(id)") }
        return contact
    }

    public func save(_ contact: HelpContact, by user: User) async throws -> HelpContact {
        try requireManager(user)
        let problems = contact.problems()
        guard problems.isEmpty else { throw DomainError.invalid(problems) }
        if contact.id != 0, try await contacts.contact(id: contact.id) == nil { throw DomainError.notFound("Help contact \(contact.id)") }
        // The contact and its audit entry commit together or not at all (`AuditLog.atomically`).
        return try await audit.atomically { [self] in
            let saved = try await contacts.save(contact)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "help-contact.saved",
                                              subject: "help-contact:\(saved.id)",
                                              detail: "\(saved.name(in: "pl")), \(saved.phone)\(saved.isExample ? ", example" : "")"))
            return saved
        }
    }

    public func delete(id: Int64, by user: User) async throws {
        let contact = try await self.contact(id: id, by: user)
        try await audit.atomically { [self] in
            try await contacts.delete(id: id)
            try await audit.record(AuditEntry(at: clock.now(), actorUserID: user.id, action: "help-contact.deleted",
                                              subject: "help-contact:\(id)", detail: "\(contact.name(in: "pl")), \(contact.phone)"))
        }
    }

    func requireManager(_ user: User) throws {
        guard Self.managers.contains(user.role), !user.isDisabled else {
            throw DomainError.forbidden("only the programme coordinator keeps the help contacts")
        }
    }
}
