/// A record's participants split by audience group (issue 13): "12 City Office staff, 8 Municipal
/// Guard officers, 20 police officers" for one training. Optional on a record; when given with
/// `participants`, the parts add up to it (ActivityInput validates). Rules that name audiences sum
/// only their audiences' parts, so a mixed training no longer adds police officers to the share
/// of City Office and Municipal Guard staff trained (MeasureRule.summand(of:)).
public struct AudienceBreakdown: Hashable, Sendable {
    /// Counts by audience; audiences absent from the map were not counted (not 0 reported).
    public var counts: [Audience: Int]

    public init(_ counts: [Audience: Int]) { self.counts = counts }

    /// Σ of all parts, in Double so that no input can trap (each part is bounded by validation).
    public var total: Double { counts.values.reduce(0) { $0 + Double($1) } }

    /// Σ of the parts of `audiences`.
    public func total(of audiences: Set<Audience>) -> Double {
        counts.reduce(0) { audiences.contains($1.key) ? $0 + Double($1.value) : $0 }
    }

    /// The audiences with a part, in `Audience.allCases` order (for forms, CSV and the API).
    public var ordered: [(audience: Audience, count: Int)] {
        Audience.allCases.compactMap { a in counts[a].map { (a, $0) } }
    }
}

/// Encoded as an object keyed by the audience's stable name (`{"city_office": 12}`), the same
/// names as the CSV column `participants_by_audience` and the API.
extension AudienceBreakdown: Codable {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int].self)
        var counts: [Audience: Int] = [:]
        for (key, value) in raw {
            guard let audience = Audience(rawValue: key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "\"\(key)\" is not an audience"))
            }
            counts[audience] = value
        }
        self.counts = counts
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }
}
