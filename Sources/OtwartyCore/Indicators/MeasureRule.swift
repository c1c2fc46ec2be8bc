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
    /// Only records whose audiences include at least one of these; empty means any audience.
    public var audiences: Set<Audience>

    public init(taskCode: String, aggregate: Aggregate, kinds: Set<ActivityKind> = [], audiences: Set<Audience> = []) {
        self.taskCode = taskCode
        self.aggregate = aggregate
        self.kinds = kinds
        self.audiences = audiences
    }

    enum CodingKeys: String, CodingKey { case taskCode, aggregate, kinds, audiences }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskCode = try c.decode(String.self, forKey: .taskCode)
        aggregate = try c.decode(Aggregate.self, forKey: .aggregate)
        kinds = Set(try c.decodeIfPresent([ActivityKind].self, forKey: .kinds) ?? [])
        audiences = Set(try c.decodeIfPresent([Audience].self, forKey: .audiences) ?? [])
    }

    /// Sets are written sorted: a stored programme's digest must not depend on hash order, or
    /// reloading the same file would look like a change in every new process.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(taskCode, forKey: .taskCode)
        try c.encode(aggregate, forKey: .aggregate)
        try c.encode(kinds.map(\.rawValue).sorted().compactMap(ActivityKind.init(rawValue:)), forKey: .kinds)
        try c.encode(audiences.map(\.rawValue).sorted().compactMap(Audience.init(rawValue:)), forKey: .audiences)
    }

    /// Whether an approved record falls under this rule (year is checked by the caller).
    public func matches(_ record: ActivityRecord) -> Bool {
        record.taskCode == taskCode
            && (kinds.isEmpty || kinds.contains(record.kind))
            && (audiences.isEmpty || !audiences.isDisjoint(with: record.audiences))
    }
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
