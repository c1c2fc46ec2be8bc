import OtwartySuppression

/// Task 6.2: the risk of intercultural, national, ethnic and religious conflict, read from
/// incident reports and police statistics side by side, per district, with the trend against the
/// earlier years and the districts whose rates rose most. Incident counts are suppressed like
/// every other published or exported figure; police figures are the police's own published
/// counts and are shown as given.
public struct ConflictRiskAnalysis: Hashable, Sendable {
    public struct DistrictRow: Hashable, Sendable {
        /// nil: the whole city / unknown district.
        public var district: District?
        /// Incident reports in the year (suppressed).
        public var incidents: PublishedCount
        /// Police-recorded offences in the year and in each earlier year compared.
        public var police: Int
        public var policeEarlier: [Int]
        /// Police offences per 10,000 residents, when the district's population is known.
        public var rate: Double?
        public var rateEarlier: Double?
        /// rate − earlier rate (or count − earlier count without population), for ranking.
        public var change: Double?
    }

    public struct CategoryRow: Hashable, Sendable {
        public var category: String
        public var count: Int
        public var earlier: [Int]
    }

    public var year: Int
    /// The years compared, oldest first, before `year`.
    public var earlierYears: [Int]
    public var districts: [DistrictRow]
    /// Police offence categories with counts for the year and the earlier years.
    public var policeCategories: [CategoryRow]
    /// Incident reports by category (suppressed), from `IncidentStatistics`.
    public var incidentCategories: IncidentStatistics.List
    /// Up to three districts whose rate (or count) rose most, largest rise first; only rises.
    public var risers: [DistrictRow]

    /// - Parameters:
    ///   - population: residents per district number, for rates (reference statistics
    ///     `population-district-N`); missing districts get counts only.
    public static func build(year: Int, compareYears: Int = 2, incidents: [IncidentFacts], police: [PoliceStatistic],
                             population: [Int: Double], threshold: Int = 10) -> ConflictRiskAnalysis {
        let earlier = Array((year - compareYears)..<year)
        let statistics = IncidentStatistics.build(year: year, facts: incidents, threshold: threshold)
        let incidentByDistrict = Dictionary(uniqueKeysWithValues: zip(statistics.byDistrict.keys, statistics.byDistrict.cells))
        func policeCount(_ district: District?, _ y: Int) -> Int {
            police.filter { $0.year == y && $0.district == district }.reduce(0) { $0 + $1.count }
        }
        let districts: [District?] = (1...18).compactMap(District.init(number:)).map(Optional.some) + [nil]
        let rows = districts.map { district -> DistrictRow in
            let key = district.map { String($0.number) } ?? "unknown"
            let now = policeCount(district, year)
            let before = earlier.map { policeCount(district, $0) }
            let residents = district.flatMap { population[$0.number] }.flatMap { $0 > 0 ? $0 : nil }
            let rate = residents.map { Double(now) / $0 * 10_000 }
            let rateBefore = residents.flatMap { r in before.last.map { Double($0) / r * 10_000 } }
            let change: Double? = if let rate, let rateBefore { rate - rateBefore } else { before.last.map { Double(now - $0) } }
            return DistrictRow(district: district, incidents: incidentByDistrict[key] ?? .exact(0), police: now,
                               policeEarlier: before, rate: rate, rateEarlier: rateBefore, change: change)
        }
        let categories = Set(police.filter { $0.year == year || earlier.contains($0.year) }.map(\.offenceCategory)).sorted()
        let categoryRows = categories.map { category in
            CategoryRow(category: category,
                        count: police.filter { $0.year == year && $0.offenceCategory == category }.reduce(0) { $0 + $1.count },
                        earlier: earlier.map { y in police.filter { $0.year == y && $0.offenceCategory == category }.reduce(0) { $0 + $1.count } })
        }
        let risers = rows.filter { $0.district != nil && ($0.change ?? 0) > 0 }
            .sorted { ($0.change ?? 0, -($0.district?.number ?? 0)) > ($1.change ?? 0, -($1.district?.number ?? 0)) }
        return ConflictRiskAnalysis(year: year, earlierYears: earlier, districts: rows, policeCategories: categoryRows,
                                    incidentCategories: statistics.byCategory, risers: Array(risers.prefix(3)))
    }
}
