import Foundation

/// Who sits on a dialogue body. The resolution's measure 3.4.a counts "ciała dialogu funkcjonujące w
/// Gminie, w skład których wchodzą mniejszości narodowe i etniczne oraz osoby z doświadczeniem
/// migracyjnym": the two groups are members of their own (as representatives or through their
/// organisations); the other kinds describe the rest of the body.
public enum DialogueMemberKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// National and ethnic minorities (§ 2 pt 8): representatives or minority organisations (§ 2 pt 5).
    case minorities
    /// People with migration experience (§ 2 pt 7) or their organisations.
    case migrants
    /// City Office units and municipal units.
    case cityUnits = "city-units"
    /// Non-governmental organisations other than minority or migrant ones.
    case ngos
    /// Universities and research.
    case academia
    case other

    /// The kinds that make a body one the measure counts.
    public static let counted: Set<DialogueMemberKind> = [.minorities, .migrants]
}

/// A council, team, forum or other standing body through which the city talks with minorities and
/// migrants (task 3.4). Kept by the programme coordinator; not personal data (bodies, not people).
public struct DialogueBody: Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var memberKinds: Set<DialogueMemberKind>
    /// First and last day the body works; nil is "not known / still working".
    public var validFrom: CalendarDate?
    public var validUntil: CalendarDate?
    public var note: String

    public init(id: Int64 = 0, name: String, memberKinds: Set<DialogueMemberKind>, validFrom: CalendarDate? = nil,
                validUntil: CalendarDate? = nil, note: String = "") {
        self.id = id
        self.name = name
        self.memberKinds = memberKinds
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.note = note
    }

    /// Whether measure 3.4.a counts this body: minorities or people with migration experience are
    /// among its members. "oraz" in the measure lists the programme's two groups; a body of either
    /// (a council of national minorities, a migrants' forum) is a dialogue body with them, so one
    /// of the two is enough. A body of city units and NGOs only is kept in the register but not counted.
    public var countsForMeasure: Bool { !memberKinds.isDisjoint(with: DialogueMemberKind.counted) }

    /// Active on at least one day of `year` (the rule every register shares).
    public func isActive(in year: Int) -> Bool {
        InMemoryMeasureSources.isActive(from: validFrom, until: validUntil, in: year)
    }

    /// Member kinds in the order of `DialogueMemberKind.allCases` (for pages and storage).
    public var orderedMemberKinds: [DialogueMemberKind] { DialogueMemberKind.allCases.filter(memberKinds.contains) }
}

/// A dialogue body as typed in a form: every value still text, parsed by `RegisterService`.
public struct DialogueBodyInput: Sendable {
    public var name: String
    public var memberKinds: [String]
    public var validFrom: String
    public var validUntil: String
    public var note: String

    public init(name: String, memberKinds: [String], validFrom: String = "", validUntil: String = "", note: String = "") {
        self.name = name
        self.memberKinds = memberKinds
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.note = note
    }
}
