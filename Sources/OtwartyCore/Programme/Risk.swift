/// A programme risk (Chapter IX, Table 3) with its 1–7 score and the chosen response.
public struct Risk: Hashable, Sendable, Codable {
    public var goal: Int
    public var name: String
    public var score: Int
    public var response: RiskResponse
    public var responseDetail: String

    public init(goal: Int, name: String, score: Int, response: RiskResponse, responseDetail: String) {
        self.goal = goal
        self.name = name
        self.score = score
        self.response = response
        self.responseDetail = responseDetail
    }
}

public enum RiskLevel: String, Hashable, Sendable, Codable, CaseIterable {
    case low, moderate, serious, critical
}

/// tolerowanie / przeniesienie / wycofanie się / przeciwdziałanie
public enum RiskResponse: String, Hashable, Sendable, Codable, CaseIterable {
    case tolerate, transfer, withdraw, counteract
}

/// Maps scores to levels. Kraków: 1–2 low, 3–4 moderate, 5–6 serious, 7 critical.
public struct RiskScale: Hashable, Sendable, Codable {
    public struct Band: Hashable, Sendable, Codable {
        public var level: RiskLevel
        public var from: Int
        public var to: Int
        /// The resolution's name for the band, e.g. „ryzyko niskie”.
        public var name: String?
        public init(level: RiskLevel, from: Int, to: Int, name: String? = nil) {
            self.level = level
            self.from = from
            self.to = to
            self.name = name
        }
    }

    public var bands: [Band]
    public init(bands: [Band]) { self.bands = bands }

    public static let krakow = RiskScale(bands: [
        Band(level: .low, from: 1, to: 2), Band(level: .moderate, from: 3, to: 4),
        Band(level: .serious, from: 5, to: 6), Band(level: .critical, from: 7, to: 7),
    ])

    public var scores: ClosedRange<Int> {
        (bands.map(\.from).min() ?? 1)...(bands.map(\.to).max() ?? 7)
    }

    public func level(forScore score: Int) -> RiskLevel? {
        bands.first { (($0.from)...($0.to)).contains(score) }?.level
    }

    public init(from decoder: any Decoder) throws {
        bands = try decoder.singleValueContainer().decode([Band].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(bands)
    }
}
