import Foundation

/// The fields a person (or an import, or an API client) fills in for an activity record.
/// Validated by `ActivityInput.validate(in:)` before anything is stored.
public struct ActivityInput: Hashable, Sendable, Codable {
    public var taskCode: String
    public var kind: ActivityKind
    public var title: String
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var organisationID: OrganisationID
    public var district: District?
    public var participants: Int?
    public var beneficiaries: Int?
    public var audiences: Set<Audience>
    public var amountGrosze: Int64?
    public var institution: String?
    public var languages: [String]
    public var notes: String
    public var evidenceURL: String?
    /// Participants split by audience; nil when the reporter gave no breakdown (issue 13).
    public var participantsByAudience: AudienceBreakdown?
    /// Of the people this record counts (its participants, or its beneficiaries when it has no
    /// participants), how many took part for the first time this year — known only where the
    /// reporting organisation keeps its own register. nil: not reported. Rules that count people
    /// (`MeasureRule.people`) use it, falling back to attendances when it is missing.
    public var participantsNew: Int?

    public init(taskCode: String, kind: ActivityKind, title: String, startDate: CalendarDate, endDate: CalendarDate? = nil,
                organisationID: OrganisationID, district: District? = nil, participants: Int? = nil,
                beneficiaries: Int? = nil, audiences: Set<Audience> = [], amountGrosze: Int64? = nil,
                institution: String? = nil, languages: [String] = [], notes: String = "", evidenceURL: String? = nil,
                participantsByAudience: AudienceBreakdown? = nil, participantsNew: Int? = nil) {
        self.participantsByAudience = participantsByAudience
        self.participantsNew = participantsNew
        self.taskCode = taskCode
        self.kind = kind
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
        self.organisationID = organisationID
        self.district = district
        self.participants = participants
        self.beneficiaries = beneficiaries
        self.audiences = audiences
        self.amountGrosze = amountGrosze
        self.institution = institution
        self.languages = languages
        self.notes = notes
        self.evidenceURL = evidenceURL
    }

    public static let maxTitleLength = 300
    public static let maxNotesLength = 2000
    public static let maxInstitutionLength = 200
    /// One record's amount: at most `Money.maxAmount` (1,000,000,000.00 PLN), so a sum over 90
    /// million records still fits a 64-bit integer.
    public static let maxAmountGrosze: Int64 = Money.maxAmount.grosze

    /// Every problem at once, each naming its field; empty when the input can be stored.
    public func problems(in programme: Programme) -> [FieldError] {
        problems(in: programme, isTask: programme.task(code: taskCode) != nil)
    }

    /// As `problems(in:)`, told whether `taskCode` is a task of the programme (an import asks a
    /// set of the codes once per row, `ActivityImporter.RuleCheck`).
    func problems(in programme: Programme, isTask: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        if !isTask {
            add("task", "error.activity.task", "\"\(taskCode)\" is not a task of the programme")
        }
        let trimmedTitle = title.trimmingWhitespace()
        // Characters are counted only when the UTF-8 bytes could exceed the limit (a character
        // is at least one byte): counting them was a third of an import's rule checks (perf, 1M rows).
        if trimmedTitle.isEmpty || Self.exceeds(trimmedTitle, Self.maxTitleLength) {
            add("title", "error.activity.title", "must be 1–\(Self.maxTitleLength) characters")
        }
        if let endDate, endDate < startDate {
            add("endDate", "error.activity.end-date", "is before the start date")
        }
        if !(programme.period.from - 1...programme.period.to + 1).contains(startDate.year) {
            add("startDate", "error.activity.date-period",
                "is outside the programme's period \(programme.period.from)–\(programme.period.to)")
        }
        // Bounded above too: sums over many records (SQL SUM of BIGINT, the engine's Double sums)
        // must stay far from overflow (docs/security.md, "Numbers from outside are bounded").
        let counts = NumberRange.count.bounds
        if let participants, !counts.contains(Int64(participants)) {
            add("participants", "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
        }
        if let beneficiaries, !counts.contains(Int64(beneficiaries)) {
            add("beneficiaries", "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
        }
        errors += breakdownProblems()
        if let amountGrosze, !(0...Self.maxAmountGrosze).contains(amountGrosze) {
            add("amount", "error.activity.amount", "must be from 0 to \(Self.maxAmountGrosze / 100) PLN")
        }
        if let institution, Self.exceeds(institution, Self.maxInstitutionLength) {
            add("institution", "error.activity.institution", "must be at most \(Self.maxInstitutionLength) characters")
        }
        if Self.exceeds(notes, Self.maxNotesLength) { add("notes", "error.activity.notes", "must be at most \(Self.maxNotesLength) characters") }
        if let evidenceURL, !(evidenceURL.hasPrefix("https://") || evidenceURL.hasPrefix("http://")) || evidenceURL.count > 500
            || evidenceURL.contains(where: { $0.isWhitespace }) {
            add("evidenceURL", "error.activity.evidence", "must be an http(s) address")
        }
        return errors
    }

    /// `text.count > limit`, without counting the characters when the bytes are few enough.
    @inline(__always) static func exceeds(_ text: String, _ limit: Int) -> Bool {
        text.utf8.count > limit && text.count > limit
    }

    /// The breakdown by audience and "of whom new" (issue 13): each part and the new count a bounded
    /// count; the parts add up to `participants` when both are given; a part only for an audience
    /// the record names (when it names any: a record without audiences takes the breakdown's, see
    /// `normalised()`); no more new people than the record counts.
    func breakdownProblems() -> [FieldError] {
        // Most records have neither: no work, no array.
        if participantsByAudience == nil, participantsNew == nil { return [] }
        var errors: [FieldError] = []
        func add(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        let counts = NumberRange.count.bounds
        if let breakdown = participantsByAudience {
            // First a look at the parts as they are: the ordered list (an array) is made only
            // for a breakdown with a problem to name, in the audiences' order.
            var partsInRange = true
            var allInside = true
            for (audience, count) in breakdown.counts {
                if !counts.contains(Int64(count)) { partsInRange = false }
                if !audiences.isEmpty && !audiences.contains(audience) { allInside = false }
            }
            if !partsInRange {
                for (audience, count) in breakdown.ordered where !counts.contains(Int64(count)) {
                    add(Self.partField(audience), "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
                }
            }
            let outside = allInside ? [] : breakdown.ordered.map(\.audience).filter { !audiences.isEmpty && !audiences.contains($0) }
            if !outside.isEmpty {
                add("participantsByAudience", "error.activity.breakdown-audience",
                    "names \(outside.map(\.rawValue).joined(separator: ", ")), not among the record's audiences")
            }
            // Σ parts is a Double (exact here: at most 10 parts of at most 10⁹ each).
            if partsInRange, let participants, !breakdown.counts.isEmpty, breakdown.total != Double(participants) {
                add("participantsByAudience", "error.activity.breakdown-sum",
                    "adds up to \(Int(breakdown.total)), not to the \(participants) participants")
            }
        }
        // The participants a breakdown stands for when the record gives no total (`normalised()`).
        let breakdownTotal = participantsByAudience.flatMap { b in
            b.counts.isEmpty || b.total > Double(counts.upperBound) ? nil : Int(b.total)
        }
        if let participantsNew {
            if !counts.contains(Int64(participantsNew)) {
                add("participantsNew", "error.activity.count", "must be a whole number from 0 to \(counts.upperBound)")
            } else if let total = participants ?? breakdownTotal ?? beneficiaries {
                if participantsNew > total {
                    let counted = participants != nil || breakdownTotal != nil ? "participants" : "beneficiaries"
                    add("participantsNew", "error.activity.participants-new",
                        "is more than the \(total) \(counted) the record counts")
                }
            } else {
                add("participantsNew", "error.activity.participants-new-alone",
                    "needs the number of participants or beneficiaries it is part of")
            }
        }
        return errors
    }

    /// The field naming one audience's part: `participantsByAudience.city_office` (the form's
    /// input, the API's key path).
    public static func partField(_ audience: Audience) -> String { "participantsByAudience.\(audience.rawValue)" }

    /// Trims text and drops empty optionals, so stored records are tidy whatever the source.
    /// An empty breakdown is no breakdown; a breakdown on a record that names no audiences gives it
    /// the breakdown's audiences, and one without `participants` gives it their sum — so every
    /// stored breakdown names only the record's audiences and adds up to its participants.
    public func normalised() -> ActivityInput {
        var copy = self
        copy.normalise()
        return copy
    }

    /// `normalised()` in place (an import's rows, with no copy of each).
    mutating func normalise() {
        if let breakdown = participantsByAudience {
            if breakdown.counts.isEmpty {
                participantsByAudience = nil
            } else {
                if audiences.isEmpty { audiences = Set(breakdown.counts.keys) }
                if participants == nil, breakdown.total <= Double(NumberRange.count.bounds.upperBound) {
                    participants = Int(breakdown.total)
                }
            }
        }
        title = title.trimmingWhitespace()
        institution = institution?.trimmingWhitespace().nilIfEmpty
        notes = notes.trimmingWhitespace()
        evidenceURL = evidenceURL?.trimmingWhitespace().nilIfEmpty
        // ";" separates languages in storage and in CSV files, so it cannot be part of one.
        if !languages.allSatisfy(Self.isTidyLanguage) {
            languages = Self.tidyLanguages(languages)
        }
    }

    /// The languages as stored: split at ";", trimmed, lower-cased, empty ones dropped.
    static func tidyLanguages(_ languages: [String]) -> [String] {
        languages.flatMap { $0.split(separator: ";") }.map { String($0).trimmingWhitespace().lowercased() }
            .filter { !$0.isEmpty }
    }

    /// A language `tidyLanguages` keeps as it is: not empty, and only ASCII that is neither upper
    /// case, white space nor ";" (what the CSV reader and the form give nearly always). Saves
    /// splitting and lower-casing every record's languages again (`ActivityCSVCellCacheTests`).
    static func isTidyLanguage(_ language: String) -> Bool {
        let utf8 = language.utf8
        guard !utf8.isEmpty else { return false }
        for byte in utf8 {
            guard byte < 0x80, byte != UInt8(ascii: ";"), byte &- UInt8(ascii: "A") >= 26,
                  !String.isASCIIWhitespace(byte) else { return false }
        }
        return true
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
