import Foundation

/// Where a measure's value comes from when it is not a rule over activity records (issue 13):
/// a register kept in Otwarty, the service-point ratings the public gives, or a data set imported
/// each year. Written in the programme file as `source:` instead of `rule:`.
public enum MeasureSource: Hashable, Sendable, Codable {
    /// The number of the register's entries active (from/until) at some day of the year.
    case register(ProgrammeRegister)
    /// Positive and negative service-point ratings of the year, kept apart (`MeasureDetail.ratings`).
    case serviceRatings
    /// Not a quantity: whether the year's data set was imported, and when (`MeasureDetail.dataImport`).
    case dataImport(DataImportKind)
}

/// The registers a measure can count.
public enum ProgrammeRegister: String, Hashable, Sendable, Codable, CaseIterable {
    /// Councils, teams and other bodies for dialogue with minorities (measure 3.4.a).
    case dialogueBodies = "dialogue-bodies"
    /// The contact base of intercultural and Roma assistants (task 5.5's product, measure 5.5.a).
    case interculturalAssistants = "intercultural-assistants"
    /// Cooperation coordinators in the units (organisations' coordinators, measure 2.3.a).
    case cooperationCoordinators = "cooperation-coordinators"
}

/// Data sets imported yearly.
public enum DataImportKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Police statistics of hate crime (measure 6.2.c).
    case policeStatistics = "police-statistics"
}

/// What a measure shows besides (or instead of) one number.
public enum MeasureDetail: Hashable, Sendable {
    /// Ratings kept apart; the measure's value is their sum.
    case ratings(positive: Int, negative: Int)
    /// A data source's status for the year; the measure has no value (`value` nil, `notComputable` nil).
    case dataImport(importedAt: Date?)
}

/// Reads the non-record sources for the indicator engine. Storage implements it over the registers,
/// the ratings and the import log; `InMemoryMeasureSources` is the reference for tests.
public protocol MeasureSourceReader: Sendable {
    /// Entries of `register` active on at least one day of `year` (from ≤ 31 Dec, until ≥ 1 Jan or none).
    func activeEntries(in register: ProgrammeRegister, year: Int) async throws -> Int
    /// Positive and negative service-point ratings given in `year`.
    func serviceRatings(year: Int) async throws -> (positive: Int, negative: Int)
    /// When data of `kind` for `year` was last imported; nil when never.
    func lastImport(of kind: DataImportKind, year: Int) async throws -> Date?
}

/// Sources held in memory: for tests and as the reference the stored ones are tested against.
public struct InMemoryMeasureSources: MeasureSourceReader {
    /// Each register's entries as (from, until) days; nil is open.
    public var registers: [ProgrammeRegister: [(from: CalendarDate?, until: CalendarDate?)]]
    public var ratings: [Int: (positive: Int, negative: Int)]
    public var imports: [DataImportKind: [Int: Date]]

    public init(registers: [ProgrammeRegister: [(from: CalendarDate?, until: CalendarDate?)]] = [:],
                ratings: [Int: (positive: Int, negative: Int)] = [:], imports: [DataImportKind: [Int: Date]] = [:]) {
        self.registers = registers
        self.ratings = ratings
        self.imports = imports
    }

    public func activeEntries(in register: ProgrammeRegister, year: Int) async throws -> Int {
        (registers[register] ?? []).filter { Self.isActive(from: $0.from, until: $0.until, in: year) }.count
    }

    public func serviceRatings(year: Int) async throws -> (positive: Int, negative: Int) { ratings[year] ?? (0, 0) }

    public func lastImport(of kind: DataImportKind, year: Int) async throws -> Date? { imports[kind]?[year] }

    /// Active on at least one day of `year`: the rule every register shares.
    public static func isActive(from: CalendarDate?, until: CalendarDate?, in year: Int) -> Bool {
        (from.map { $0.year <= year } ?? true) && (until.map { $0.year >= year } ?? true)
    }
}
