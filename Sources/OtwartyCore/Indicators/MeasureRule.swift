/// How a measure's value comes from approved activity records: which records (task, kinds,
/// audiences) and what to add up. Written in the programme file next to each measure.
public struct MeasureRule: Hashable, Sendable, Codable {
    public enum Aggregate: Hashable, Sendable, Codable {
        /// The number of records.
        case count
        /// The sum of a numeric field.
        case sum(ActivityField)
        /// The number of different institutions served (for "number of schools" measures).
        case distinctInstitutions
    }

    /// The task whose records count; the measure's own task unless the file names another.
    public var taskCode: String
    public var aggregate: Aggregate
    /// Only records of these kinds; empty means any kind.
    public var kinds: Set<ActivityKind>
    /// Only records for these audiences; empty means any audience. How a record's audiences are
    /// matched depends on the aggregate (`splitsByAudience`): a count takes records whose audiences
    /// include at least one of these; a sum of participants takes only these audiences' parts.
    public var audiences: Set<Audience>
    /// Count people rather than attendances: a record adds its `participantsNew` ("of whom new this
    /// year") when reported, and its field (attendances) otherwise — the value then says how many
    /// records fell back (`AggregateCoverage.attendanceFallbacks`). Only for `.sum`.
    public var people: Bool

    public init(taskCode: String, aggregate: Aggregate, kinds: Set<ActivityKind> = [], audiences: Set<Audience> = [],
                people: Bool = false) {
        self.taskCode = taskCode
        self.aggregate = aggregate
        self.kinds = kinds
        self.audiences = audiences
        self.people = people
    }

    enum CodingKeys: String, CodingKey { case taskCode, aggregate, kinds, audiences, people }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskCode = try c.decode(String.self, forKey: .taskCode)
        aggregate = try c.decode(Aggregate.self, forKey: .aggregate)
        kinds = Set(try c.decodeIfPresent([ActivityKind].self, forKey: .kinds) ?? [])
        audiences = Set(try c.decodeIfPresent([Audience].self, forKey: .audiences) ?? [])
        people = try c.decodeIfPresent(Bool.self, forKey: .people) ?? false
    }

    /// Sets are written sorted: a stored programme's digest must not depend on hash order, or
    /// reloading the same file would look like a change in every new process.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(taskCode, forKey: .taskCode)
        try c.encode(aggregate, forKey: .aggregate)
        try c.encode(kinds.map(\.rawValue).sorted().compactMap(ActivityKind.init(rawValue:)), forKey: .kinds)
        try c.encode(audiences.map(\.rawValue).sorted().compactMap(Audience.init(rawValue:)), forKey: .audiences)
        // Written only when set, so the stored form (and digest) of every other rule is unchanged.
        if people { try c.encode(people, forKey: .people) }
    }

    /// Whether the rule sums participants of some audiences only: then a record's breakdown decides
    /// what it adds, and a record without one counts only if all its audiences are the rule's.
    public var splitsByAudience: Bool { !audiences.isEmpty && aggregate == .sum(.participants) }

    /// Whether an approved record falls under this rule (year is checked by the caller).
    public func matches(_ record: ActivityRecord) -> Bool {
        record.taskCode == taskCode
            && (kinds.isEmpty || kinds.contains(record.kind))
            && [.whole, .parts].contains(audienceMatch(record))
    }

    /// How a record's audiences meet the rule's (task and kinds aside).
    public enum AudienceMatch: Hashable, Sendable {
        /// Not counted.
        case none
        /// Counted as a whole: the rule names no audience, or it counts records (at least one of
        /// the rule's audiences), or the record has no breakdown but all its audiences are the rule's.
        case whole
        /// Counted by its breakdown's parts for the rule's audiences.
        case parts
        /// Left out: no breakdown, and its audiences are partly outside the rule's, so its
        /// participants cannot be split (the value says how many: `AggregateCoverage`).
        case unsplittable
    }

    public func audienceMatch(_ record: ActivityRecord) -> AudienceMatch {
        if audiences.isEmpty { return .whole }
        guard splitsByAudience else { return audiences.isDisjoint(with: record.audiences) ? .none : .whole }
        if let breakdown = record.participantsByAudience, !breakdown.counts.isEmpty {
            return breakdown.counts.keys.contains(where: audiences.contains) ? .parts : .none
        }
        if record.audiences.isEmpty || audiences.isDisjoint(with: record.audiences) { return .none }
        return record.audiences.isSubset(of: audiences) ? .whole : .unsplittable
    }

    /// What a matching record adds to a `.sum` (nil field = 0), and whether it counted people
    /// (`participantsNew`) or fell back to attendances. For `.count` and `.distinctInstitutions`
    /// the aggregator counts records or institutions instead.
    public func summand(of record: ActivityRecord, field: ActivityField) -> (value: Double, fellBack: Bool) {
        let fieldValue: Double = switch field {
        case .participants: record.participants.map(Double.init) ?? 0
        case .beneficiaries: record.beneficiaries.map(Double.init) ?? 0
        case .amount: record.amountGrosze.map(Double.init) ?? 0
        }
        let match = audienceMatch(record)
        let attendances = match == .parts ? record.participantsByAudience?.total(of: audiences) ?? 0 : fieldValue
        guard people, field != .amount else { return (attendances, false) }
        // "Of whom new" belongs to the whole record: it can stand for the rule's people only when
        // the whole record is the rule's (no split needed).
        let wholeIsRules = match == .whole
            || (match == .parts && record.participantsByAudience.map { Set($0.counts.keys).isSubset(of: audiences) } == true)
        if wholeIsRules, let new = record.participantsNew { return (Double(new), false) }
        return (attendances, true)
    }
}

/// What a rule's value rests on, beyond the number: records counted without a breakdown, records
/// left out for lack of one, and records that counted attendances where the rule counts people.
/// Zero everywhere for rules that neither split by audience nor count people.
public struct AggregateCoverage: Hashable, Sendable, Codable {
    /// Records counted whole because they had no audience breakdown (all their audiences the rule's).
    public var recordsWithoutBreakdown: Int
    /// Records left out: no breakdown and audiences partly outside the rule's.
    public var recordsLeftOut: Int
    /// Records of a people-counting rule that gave no "of whom new" and added attendances.
    public var attendanceFallbacks: Int
    /// All records the rule counted.
    public var recordsCounted: Int

    public init(recordsWithoutBreakdown: Int = 0, recordsLeftOut: Int = 0, attendanceFallbacks: Int = 0,
                recordsCounted: Int = 0) {
        self.recordsWithoutBreakdown = recordsWithoutBreakdown
        self.recordsLeftOut = recordsLeftOut
        self.attendanceFallbacks = attendanceFallbacks
        self.recordsCounted = recordsCounted
    }

    /// Nothing to say beside the value.
    public var isComplete: Bool { recordsWithoutBreakdown == 0 && recordsLeftOut == 0 && attendanceFallbacks == 0 }
}

/// The numeric fields a rule can add up.
public enum ActivityField: String, Hashable, Sendable, Codable, CaseIterable {
    case participants, beneficiaries
    /// PLN, from the record's grosze.
    case amount
}

/// How a results indicator is computed: a rule over records, optionally divided by a reference
/// statistic of the same year and scaled (100 for a percentage).
public struct IndicatorRule: Hashable, Sendable, Codable {
    public var rule: MeasureRule
    /// e.g. `foreign-residents`; nil for a plain count.
    public var denominator: String?
    public var scale: Double

    public init(rule: MeasureRule, denominator: String? = nil, scale: Double = 1) {
        self.rule = rule
        self.denominator = denominator
        self.scale = scale
    }
}
