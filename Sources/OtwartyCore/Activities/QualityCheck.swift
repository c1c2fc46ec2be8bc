import Foundation

// Data-quality checks for the review queue (issue 13): things a coordinator should look at before
// approving a record. They are flags, never blocks: approval stays possible, because each check can
// be wrong (two organisations may really have held two events the same day) and only the
// coordinator, who can phone the organisations, can tell. Everything here is pure: storage reads
// the inputs (`ActivityRepository.duplicateCandidates`, `.countProfiles`,
// `ReportVersionRepository.versions`), `QualityCheck` decides.

/// What a flag is about.
public enum QualityFlagKind: String, Hashable, Sendable, CaseIterable {
    /// Another organisation reported what looks like the same activity.
    case possibleDuplicate = "possible-duplicate"
    /// The record's year has a frozen report: approving changes a figure the Council received.
    case frozenYear = "frozen-year"
    /// A count far above what records of this kind usually have.
    case unusualCount = "unusual-count"
    /// A task's product marked delivered with neither a document nor a link (helper C's products):
    /// about the programme, not a record, so the queue shows these above its rows.
    case productWithoutEvidence = "product-without-evidence"
}

/// A count field the unusual-count check looks at.
public enum CountField: String, Hashable, Sendable, CaseIterable {
    case participants, beneficiaries
}

/// One thing to look at before approving a record.
public enum QualityFlag: Hashable, Sendable {
    /// Records of other organisations with the same task, start date and district and a similar
    /// title (`QualityCheck.similarTitles`).
    case possibleDuplicate([DuplicateCandidate])
    /// The latest frozen version of the record's year.
    case frozenYear(year: Int, version: Int, frozenAt: Date)
    /// `value` is above `threshold` (`CountProfile.threshold`), `median` is the kind's usual value.
    case unusualCount(field: CountField, value: Int, threshold: Int, median: Int, records: Int)
    /// Product `index` (0-based, as `ProgrammeTask.products`) of task `taskCode`, delivered on
    /// `deliveredOn` with no evidence.
    case productWithoutEvidence(taskCode: String, index: Int, deliveredOn: CalendarDate?)

    public var kind: QualityFlagKind {
        switch self {
        case .possibleDuplicate: return .possibleDuplicate
        case .frozenYear: return .frozenYear
        case .unusualCount: return .unusualCount
        case .productWithoutEvidence: return .productWithoutEvidence
        }
    }

    /// The catalogue key of the flag's explanation (`quality.<kind>.text`; the count flag names its field
    /// instead of `text`); `quality.<kind>.label` is its short name.
    public var messageKey: String {
        switch self {
        case let .unusualCount(field, _, _, _, _): return "quality.\(kind.rawValue).\(field.rawValue)"
        default: return "quality.\(kind.rawValue).text"
        }
    }

    /// The records the flag points at (the possible duplicates), to link from the explanation.
    public var relatedRecordIDs: [ActivityID] {
        if case let .possibleDuplicate(others) = self { return others.map(\.id) }
        return []
    }
}

/// A stored record as the duplicate check compares it: only the columns it needs.
public struct DuplicateCandidate: Hashable, Sendable {
    public var id: ActivityID
    public var organisationID: OrganisationID
    public var taskCode: String
    public var startDate: CalendarDate
    /// nil: city-wide.
    public var district: District?
    public var title: String
    public var status: ActivityStatus

    public init(id: ActivityID, organisationID: OrganisationID, taskCode: String, startDate: CalendarDate,
                district: District?, title: String, status: ActivityStatus) {
        self.id = id
        self.organisationID = organisationID
        self.taskCode = taskCode
        self.startDate = startDate
        self.district = district
        self.title = title
        self.status = status
    }

    public init(_ record: ActivityRecord) {
        self.init(id: record.id, organisationID: record.organisationID, taskCode: record.taskCode, startDate: record.startDate,
                  district: record.district, title: record.title, status: record.status)
    }
}

/// How a count is spread over the approved records of one kind: how many records report it, and
/// its median and 99th percentile by nearest rank (the value at rank ⌈p·n/100⌉ of the values
/// sorted ascending: a value some record really has, computed the same way by both engines).
public struct CountProfile: Hashable, Sendable {
    public var records: Int
    public var median: Int
    public var percentile99: Int

    public init(records: Int, median: Int, percentile99: Int) {
        self.records = records
        self.median = median
        self.percentile99 = percentile99
    }

    /// Fewer approved records than this and the kind has no threshold: with 19 records the 99th
    /// percentile is the largest value, and one odd record would set what counts as usual.
    public static let minimumRecords = 20
    /// How many times the median a count must exceed.
    public static let medianFactor = 10

    /// Above this a count is flagged: max(10 × median, 99th percentile), or nil with fewer than 20
    /// records. Both parts are robust: the median ignores a few huge values, and the 99th
    /// percentile keeps a kind whose counts really vary (a festival beside a workshop) from
    /// flagging its ordinary large records. "Above" is strict: the largest usual value is not flagged.
    public var threshold: Int? {
        guard records >= Self.minimumRecords else { return nil }
        return max(Self.medianFactor * median, percentile99)
    }

    /// The profile of `values` (the reference for storage's query; tests compare the two).
    public init?(values: [Int]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let n = sorted.count
        self.init(records: n, median: sorted[Self.rank(50, of: n) - 1], percentile99: sorted[Self.rank(99, of: n) - 1])
    }

    /// ⌈p·n/100⌉, the nearest rank (1-based) of the p-th percentile among n values.
    public static func rank(_ p: Int, of n: Int) -> Int { (p * n + 99) / 100 }
}

/// The count profiles of the kinds asked for; a kind absent has no approved record reporting the field.
public typealias CountProfiles = [ActivityKind: [CountField: CountProfile]]

/// What the checks read from storage for a set of records, then decide on without further reads.
public struct QualityInputs: Sendable {
    /// Submitted and approved records sharing a checked record's task, start date and district
    /// (`ActivityRepository.duplicateCandidates`, at most `QualityCheck.candidateLimit` for each);
    /// any superset gives the same flags, and the checked records themselves may be among them.
    public var candidates: [DuplicateCandidate]
    /// The programme's frozen report versions (any order).
    public var versions: [ReportVersion]
    public var profiles: CountProfiles

    public init(candidates: [DuplicateCandidate] = [], versions: [ReportVersion] = [], profiles: CountProfiles = [:]) {
        self.candidates = candidates
        self.versions = versions
        self.profiles = profiles
    }
}

public enum QualityCheck {
    /// The smallest word-set overlap (Jaccard: shared words ÷ all distinct words) at which two
    /// titles count as similar. Task, start date and district must already be equal, so the title
    /// only has to tell apart two different activities the same day: "Warsztaty kulinarne" and
    /// "Warsztaty językowe" share 1 of 3 words (0.33, not similar), while two organisations
    /// describing one festival in their own words share most of them ("Festyn Sąsiedzi z całego
    /// świata" and "Sąsiedzi z całego świata – festyn w Nowej Hucie": 4 of 6, 0.67).
    public static let titleSimilarity = 0.5
    /// Words shorter than this are left out of the comparison: Polish (and Ukrainian, Russian)
    /// titles are full of one- and two-letter prepositions and conjunctions ("w", "z", "i", "na",
    /// "do"), which would make unrelated titles look alike.
    public static let shortestWord = 3
    /// The most records of other organisations with a record's task, start date and district that
    /// the duplicate check reads for it (the first by id), so a queue page reads a bounded number
    /// of rows whatever the number of records (issue 15, the row-count guard). Two organisations
    /// rarely hold the same kind of activity in one district on one day: at 20,000 demo records
    /// the most any waiting record has is 7, so the flags are the same as reading them all; only
    /// past 20 could a similar title beyond the first 20 go unflagged, and a flag naming more than
    /// 20 records would not be read anyway.
    public static let candidateLimit = 20

    /// The flags of each record given (records without flags are left out). Only submitted records
    /// are checked: the checks are about what approving would do.
    public static func flags(for records: [ActivityRecord], inputs: QualityInputs) -> [ActivityID: [QualityFlag]] {
        var frozen: [Int: ReportVersion] = [:]
        for version in inputs.versions where (frozen[version.year]?.number ?? 0) < version.number {
            frozen[version.year] = version
        }
        var byDay: [String: [DuplicateCandidate]] = [:]
        for candidate in inputs.candidates {
            byDay["\(candidate.taskCode)|\(candidate.startDate)", default: []].append(candidate)
        }
        var result: [ActivityID: [QualityFlag]] = [:]
        for record in records where record.status == .submitted {
            var flags: [QualityFlag] = []
            let others = (byDay["\(record.taskCode)|\(record.startDate)"] ?? []).filter { other in
                other.id != record.id && other.organisationID != record.organisationID
                    && other.taskCode == record.taskCode && other.startDate == record.startDate
                    && other.district == record.district // both nil: both city-wide
                    && [.submitted, .approved].contains(other.status)
                    && similarTitles(record.title, other.title)
            }.sorted { $0.id < $1.id }
            if !others.isEmpty { flags.append(.possibleDuplicate(others)) }
            if let version = frozen[record.year] {
                flags.append(.frozenYear(year: record.year, version: version.number, frozenAt: version.frozenAt))
            }
            for field in CountField.allCases {
                guard let value = field == .participants ? record.participants : record.beneficiaries,
                      let profile = inputs.profiles[record.kind]?[field], let threshold = profile.threshold,
                      value > threshold else { continue }
                flags.append(.unusualCount(field: field, value: value, threshold: threshold, median: profile.median,
                                           records: profile.records))
            }
            if !flags.isEmpty { result[record.id] = flags }
        }
        return result
    }

    /// The programme's delivered products that carry no evidence, in the programme's order. A
    /// delivery the Council cannot check should not make a dated task "met" unnoticed; still a
    /// flag: the document may simply not be uploaded yet.
    public static func productFlags(_ products: [ProductRecord]) -> [QualityFlag] {
        products.filter { $0.status == .delivered && $0.evidence == nil }.sorted { $0.key < $1.key }
            .map { .productWithoutEvidence(taskCode: $0.taskCode, index: $0.index, deliveredOn: $0.deliveredOn) }
    }

    /// The words a title is compared by: folded as the queue's search folds (`PlainText.fold`: case,
    /// diacritics, "ł"), split at anything not a letter or digit, words of at least `shortestWord`.
    public static func titleWords(_ title: String) -> Set<String> {
        Set(PlainText.fold(title).split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= shortestWord })
    }

    /// Similar: the word sets overlap by at least `titleSimilarity` (Jaccard), or every word of
    /// one title is in the other ("Festyn" and "Festyn rodzinny": one organisation wrote less).
    /// A title with no word of three letters is similar to nothing.
    public static func similarTitles(_ a: String, _ b: String) -> Bool {
        let x = titleWords(a), y = titleWords(b)
        guard !x.isEmpty, !y.isEmpty else { return false }
        if x.isSubset(of: y) || y.isSubset(of: x) { return true }
        let shared = x.intersection(y).count
        return Double(shared) / Double(x.union(y).count) >= titleSimilarity
    }
}
