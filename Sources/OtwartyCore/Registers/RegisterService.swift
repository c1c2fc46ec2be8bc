import Foundation

/// Keeping the registers measures count (issue 13): dialogue bodies (task 3.4, measure 3.4.a) and
/// the contact base of intercultural and Roma assistants (task 5.5's product, measure 5.5.a).
/// Every write is audited; so is every reading of the assistants' contact data.
public struct RegisterService: Sendable {
    public let registers: any RegisterRepository
    public let organisations: any OrganisationRepository
    public let audit: any AuditLog
    public let clock: OfficeClock

    public init(registers: any RegisterRepository, organisations: any OrganisationRepository, audit: any AuditLog,
                clock: OfficeClock = OfficeClock()) {
        self.registers = registers
        self.organisations = organisations
        self.audit = audit
        self.clock = clock
    }

    // MARK: Who may do what

    /// The dialogue bodies register names bodies, not people: everyone working on the programme may
    /// read it (partners take part in such bodies; viewers read the figures it feeds). Incident
    /// handlers see nothing beyond their cases.
    public static let dialogueBodyReaders: Set<Role> = [.administrator, .programmeCoordinator, .unitCoordinator, .partner, .viewer]
    /// The programme coordinator keeps it (with the administrator, who keeps the installation).
    public static let dialogueBodyKeepers: Set<Role> = [.administrator, .programmeCoordinator]
    /// The assistants' contact base is personal data: the programme coordinator sees every entry;
    /// a unit coordinator or partner sees and keeps only the entries of their own organisation
    /// (the education unit, the NGO employing the assistants). Administrators manage accounts and
    /// need no one's phone number, so they are not among them.
    public static let assistantKeepers: Set<Role> = [.programmeCoordinator, .unitCoordinator, .partner]

    // MARK: Bounds

    public static let maxNameLength = 120
    public static let maxNoteLength = 1000
    public static let maxLanguages = 10
    public static let maxLanguageLength = 40
    public static let maxSchools = 30
    public static let maxSchoolLength = 200
    public static let maxPhoneLength = 30

    // MARK: Dialogue bodies

    public func dialogueBodies(by actor: User) async throws -> [DialogueBody] {
        try require(Self.dialogueBodyReaders, actor)
        return try await registers.dialogueBodies()
    }

    public func dialogueBody(id: Int64, by actor: User) async throws -> DialogueBody {
        try require(Self.dialogueBodyReaders, actor)
        guard let body = try await registers.dialogueBody(id: id) else { throw DomainError.notFound("Dialogue body \(id)") }
        return body
    }

    /// Adds (`id` 0) or changes a body; every problem is named by its form field.
    @discardableResult
    public func saveDialogueBody(id: Int64, _ input: DialogueBodyInput, by actor: User) async throws -> DialogueBody {
        try require(Self.dialogueBodyKeepers, actor)
        if id != 0 { _ = try await dialogueBody(id: id, by: actor) }
        var errors: [FieldError] = []
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > Self.maxNameLength {
            errors.append(FieldError(field: "name", messageKey: "error.name.invalid", message: "must be 1–\(Self.maxNameLength) characters"))
        }
        let kinds = input.memberKinds.map { DialogueMemberKind(rawValue: $0) }
        if kinds.isEmpty || kinds.contains(nil) || kinds.count > DialogueMemberKind.allCases.count {
            errors.append(FieldError(field: "memberKinds", messageKey: "error.register.member-kinds",
                                     message: "choose at least one of: \(DialogueMemberKind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let note = input.note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > Self.maxNoteLength {
            errors.append(FieldError(field: "note", messageKey: "error.register.note", message: "must be at most \(Self.maxNoteLength) characters"))
        }
        let (from, until) = Self.period(input.validFrom, input.validUntil, into: &errors)
        guard errors.isEmpty else { throw DomainError.invalid(errors) }
        let body = DialogueBody(id: id, name: name, memberKinds: Set(kinds.compactMap { $0 }), validFrom: from, validUntil: until, note: note)
        // Each write and its audit entry commit together or not at all (`AuditLog.atomically`).
        return try await audit.atomically { [self] in
            let saved = try await registers.saveDialogueBody(body)
            try await record(id == 0 ? "dialogue-body.added" : "dialogue-body.changed", subject: "dialogue-body:\(saved.id)",
                             detail: saved.name, by: actor)
            return saved
        }
    }

    /// Ends a body: its last day is `until` (required, not before its first day).
    @discardableResult
    public func endDialogueBody(id: Int64, until text: String, by actor: User) async throws -> DialogueBody {
        try require(Self.dialogueBodyKeepers, actor)
        var body = try await dialogueBody(id: id, by: actor)
        body.validUntil = try Self.endDay(text, from: body.validFrom)
        let ended = body
        return try await audit.atomically { [self] in
            let saved = try await registers.saveDialogueBody(ended)
            try await record("dialogue-body.ended", subject: "dialogue-body:\(id)", detail: "until \(ended.validUntil?.description ?? "")", by: actor)
            return saved
        }
    }

    /// Removes a body entered by mistake (a body that stopped working is ended, not deleted).
    public func deleteDialogueBody(id: Int64, by actor: User) async throws {
        try require(Self.dialogueBodyKeepers, actor)
        let body = try await dialogueBody(id: id, by: actor)
        try await audit.atomically { [self] in
            try await registers.deleteDialogueBody(id: id)
            try await record("dialogue-body.deleted", subject: "dialogue-body:\(id)", detail: body.name, by: actor)
        }
    }

    // MARK: Assistants

    /// The contact base as `actor` may see it; each reading is audited (personal data).
    public func assistants(by actor: User) async throws -> [InterculturalAssistant] {
        try require(Self.assistantKeepers, actor)
        let scope = try ownOrganisation(actor)
        let list = try await registers.assistants(organisationID: scope)
        try await record("intercultural-assistants.viewed", subject: "intercultural-assistants",
                         detail: "\(list.count) entries", by: actor)
        return list
    }

    /// One entry, when `actor` may see it (another organisation's entry is "not found"); audited.
    public func assistant(id: Int64, by actor: User) async throws -> InterculturalAssistant {
        let assistant = try await visibleAssistant(id: id, by: actor)
        try await record("intercultural-assistant.viewed", subject: "intercultural-assistant:\(id)", detail: "", by: actor)
        return assistant
    }

    /// Adds (`id` 0) or changes an entry; every problem is named by its form field. A unit
    /// coordinator or partner always keeps entries for their own organisation.
    @discardableResult
    public func saveAssistant(id: Int64, _ input: AssistantInput, by actor: User) async throws -> InterculturalAssistant {
        if id != 0 { _ = try await visibleAssistant(id: id, by: actor) } else { try require(Self.assistantKeepers, actor) }
        var errors: [FieldError] = []
        var organisationID = input.organisationID
        if let own = try ownOrganisation(actor) { organisationID = own }
        if organisationID == nil {
            errors.append(FieldError(field: "organisation", messageKey: "error.register.organisation", message: "choose the organisation"))
        } else if let organisationID, try await organisations.organisation(id: organisationID) == nil {
            errors.append(FieldError(field: "organisation", messageKey: "error.register.organisation", message: "no such organisation"))
        }
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > Self.maxNameLength {
            errors.append(FieldError(field: "name", messageKey: "error.name.invalid", message: "must be 1–\(Self.maxNameLength) characters"))
        }
        let kind = AssistantKind(rawValue: input.kind)
        if kind == nil {
            errors.append(FieldError(field: "kind", messageKey: "error.register.assistant-kind", message: "must be intercultural or roma"))
        }
        let languages = Self.items(input.languages, separators: [",", ";", "\n"])
        if languages.count > Self.maxLanguages || languages.contains(where: { $0.count > Self.maxLanguageLength }) {
            errors.append(FieldError(field: "languages", messageKey: "error.register.languages",
                                     message: "at most \(Self.maxLanguages) languages of up to \(Self.maxLanguageLength) characters"))
        }
        let schools = Self.items(input.schools, separators: ["\n"])
        if schools.count > Self.maxSchools || schools.contains(where: { $0.count > Self.maxSchoolLength }) {
            errors.append(FieldError(field: "schools", messageKey: "error.register.schools",
                                     message: "at most \(Self.maxSchools) schools of up to \(Self.maxSchoolLength) characters"))
        }
        let emailText = input.email.trimmingCharacters(in: .whitespaces)
        let email = EmailAddress.normalised(emailText)
        if !emailText.isEmpty, email == nil {
            errors.append(FieldError(field: "email", messageKey: "error.email.invalid", message: "is not a valid e-mail address"))
        }
        let phone = input.phone.trimmingCharacters(in: .whitespaces)
        let phoneCharacters = Set("0123456789+-() ")
        if phone.count > Self.maxPhoneLength || !phone.allSatisfy(phoneCharacters.contains)
            || (!phone.isEmpty && phone.filter(\.isNumber).count < 3) {
            errors.append(FieldError(field: "phone", messageKey: "error.register.phone", message: "digits, spaces, + - ( ) only, up to \(Self.maxPhoneLength)"))
        } else if emailText.isEmpty && phone.isEmpty {
            // A contact base entry nobody can reach is of no use to a school.
            errors.append(FieldError(field: "email", messageKey: "error.register.contact", message: "give a work e-mail or a phone"))
        }
        let (from, until) = Self.period(input.validFrom, input.validUntil, into: &errors)
        guard errors.isEmpty, let organisationID, let kind else { throw DomainError.invalid(errors) }
        let entry = InterculturalAssistant(
            id: id, organisationID: organisationID, name: name, kind: kind, languages: languages, schools: schools,
            email: email ?? "", phone: phone, validFrom: from, validUntil: until)
        return try await audit.atomically { [self] in
            let saved = try await registers.saveAssistant(entry)
            // The audit trail names the entry by id only: the name is personal data and stays in one place.
            try await record(id == 0 ? "intercultural-assistant.added" : "intercultural-assistant.changed",
                             subject: "intercultural-assistant:\(saved.id)", detail: "organisation:\(organisationID)", by: actor)
            return saved
        }
    }

    @discardableResult
    public func endAssistant(id: Int64, until text: String, by actor: User) async throws -> InterculturalAssistant {
        var assistant = try await visibleAssistant(id: id, by: actor)
        assistant.validUntil = try Self.endDay(text, from: assistant.validFrom)
        let ended = assistant
        return try await audit.atomically { [self] in
            let saved = try await registers.saveAssistant(ended)
            try await record("intercultural-assistant.ended", subject: "intercultural-assistant:\(id)",
                             detail: "until \(ended.validUntil?.description ?? "")", by: actor)
            return saved
        }
    }

    public func deleteAssistant(id: Int64, by actor: User) async throws {
        let assistant = try await visibleAssistant(id: id, by: actor)
        try await audit.atomically { [self] in
            try await registers.deleteAssistant(id: id)
            try await record("intercultural-assistant.deleted", subject: "intercultural-assistant:\(id)",
                             detail: "organisation:\(assistant.organisationID)", by: actor)
        }
    }

    // MARK: Helpers

    func require(_ roles: Set<Role>, _ actor: User) throws {
        guard roles.contains(actor.role) else { throw DomainError.forbidden("Your role cannot do this.") }
    }

    /// The organisation whose entries `actor` is limited to; nil for the programme coordinator (all).
    func ownOrganisation(_ actor: User) throws -> OrganisationID? {
        try require(Self.assistantKeepers, actor)
        guard actor.role != .programmeCoordinator else { return nil }
        guard let own = actor.organisationID else { throw DomainError.forbidden("Your account names no organisation.") }
        return own
    }

    func visibleAssistant(id: Int64, by actor: User) async throws -> InterculturalAssistant {
        let scope = try ownOrganisation(actor)
        guard let assistant = try await registers.assistant(id: id), scope == nil || assistant.organisationID == scope else {
            throw DomainError.notFound("Assistant \(id)")
        }
        return assistant
    }

    func record(_ action: String, subject: String, detail: String, by actor: User) async throws {
        try await audit.record(AuditEntry(at: clock.now(), actorUserID: actor.id, action: action, subject: subject, detail: detail))
    }

    /// Trimmed, non-empty items of a list typed as text. A browser sends a textarea's line breaks
    /// as "\r\n", one Character in Swift, so every kind of line break counts as "\n".
    static func items(_ text: String, separators: Set<Character>) -> [String] {
        text.split(whereSeparator: { separators.contains($0) || (separators.contains("\n") && $0.isNewline) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// From and until as typed: each unreadable date named on its own field; until not before from.
    static func period(_ fromText: String, _ untilText: String, into errors: inout [FieldError]) -> (CalendarDate?, CalendarDate?) {
        let fromText = fromText.trimmingCharacters(in: .whitespaces), untilText = untilText.trimmingCharacters(in: .whitespaces)
        let from = fromText.isEmpty ? nil : CalendarDate(iso: fromText)
        let until = untilText.isEmpty ? nil : CalendarDate(iso: untilText)
        if !fromText.isEmpty && from == nil {
            errors.append(FieldError(field: "validFrom", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)"))
        }
        if !untilText.isEmpty && until == nil {
            errors.append(FieldError(field: "validUntil", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)"))
        } else if let from, let until, until < from {
            errors.append(FieldError(field: "validUntil", messageKey: "error.activity.end-date",
                                     message: "the end \(until) is before the start \(from)"))
        }
        return (from, until)
    }

    /// The last day for "end": required, a date, not before the first day.
    static func endDay(_ text: String, from: CalendarDate?) throws -> CalendarDate {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let until = CalendarDate(iso: text) else {
            throw DomainError.invalid([FieldError(field: "validUntil", messageKey: "error.activity.date", message: "is not a date (YYYY-MM-DD)")])
        }
        if let from, until < from {
            throw DomainError.invalid([FieldError(field: "validUntil", messageKey: "error.activity.end-date",
                                                  message: "the end \(until) is before the start \(from)")])
        }
        return until
    }
}
