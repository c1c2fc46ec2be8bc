import Foundation
import OtwartyCore
import SQLKit

/// The columns of `activities` (migration 1), the one list of them in storage. Each case is a
/// column's name; `written` says how an `ActivityInput` fills the columns it sets, and
/// `ActivityRow` (whose coding keys these cases are) how a row is read back into the domain.
/// `create`, `importAll` and `update` write, and `record`, `list` and `reportedActivities` read,
/// through these two; `SQLActivityAggregator` names its columns here too.
/// (`otwarty bench`'s `HandSQL` spells the columns itself on purpose: it is the hand-written floor.)
enum ActivityColumn: String, CaseIterable, CodingKey, SQLExpression {
    case id
    case programmeSlug = "programme_slug"
    case taskCode = "task_code"
    case kind
    case title
    case startDate = "start_date"
    case endDate = "end_date"
    case year
    case quarter
    case organisationID = "organisation_id"
    case district
    case participants
    case beneficiaries
    case audienceMask = "audience_mask"
    case amountGrosze = "amount_grosze"
    case institution
    case institutionKey = "institution_key"
    case languages
    case notes
    case evidenceURL = "evidence_url"
    case status
    case reviewComment = "review_comment"
    case createdBy = "created_by"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
    /// Migration 18: when the record last entered `submitted` (the review queue's order).
    case submittedAt = "submitted_at"
    /// Migration 18: `ActivityRecord.searchText` of title and institution, for the queue's search.
    case searchText = "search_text"
    /// Migration 17 (issue 13): participants by audience, one nullable column per audience (NULL:
    /// no part given), so a rule sums its audiences' parts without a join; `breakdown_mask` is the
    /// set of audiences with a part (0: no breakdown), as `audience_mask` is of the audiences.
    case partCityOffice = "p_city_office"
    case partMunicipalGuard = "p_municipal_guard"
    case partPolice = "p_police"
    case partTeachers = "p_teachers"
    case partParents = "p_parents"
    case partPupils = "p_pupils"
    case partResidents = "p_residents"
    case partMigrants = "p_migrants"
    case partMinorities = "p_minorities"
    case partOther = "p_other"
    case breakdownMask = "breakdown_mask"
    /// Migration 17: of whom new this year (`ActivityInput.participantsNew`).
    case participantsNew = "participants_new"

    func serialize(to serializer: inout SQLSerializer) {
        SQLIdentifier(rawValue).serialize(to: &serializer)
    }

    /// What an input stores, column by column, in the order an INSERT lists them. `year`,
    /// `quarter` and `institution_key` are derived so the indicator queries group and count
    /// distinct institutions without functions on columns. Values are typed (`StoredValue`): the
    /// SQLKit writes bind them as plain `String`, `Int64` and `Double`, which both drivers bind
    /// directly (`SQLActivityRepository.BulkInsert`), and the import binds them straight into
    /// SQLite (`SQLiteActivityImport`) or writes them as COPY text (`PostgresActivityImport`).
    typealias Written = (column: ActivityColumn, value: @Sendable (ActivityInput) -> StoredValue)

    static let written: [Written] = writtenColumns.map { column in (column, { value(column, of: $0) }) }

    /// The columns an input fills, in order: what a reporter fills in and those derived from it,
    /// then (migration 17) the parts by audience, their mask and "of whom new".
    static let writtenColumns: [ActivityColumn] = [
        .taskCode, .kind, .title, .startDate, .endDate, .year, .quarter, .organisationID, .district, .participants,
        .beneficiaries, .audienceMask, .amountGrosze, .institution, .institutionKey, .languages, .notes, .evidenceURL,
        .searchText,
    ] + Audience.allCases.map(part) + [.breakdownMask, .participantsNew]

    /// What an input stores in one of `writtenColumns` (`.null` for any other column). One
    /// function rather than a closure per column: an import works out 31 of them per record, and
    /// the closures' calls and the dates' string interpolation were an eighth of the CPU of its
    /// reading side (perf, 1M rows, issue 15).
    @inline(__always)
    static func value(_ column: ActivityColumn, of input: ActivityInput) -> StoredValue {
        switch column {
        case .taskCode: .text(input.taskCode)
        case .kind: .text(input.kind.rawValue)
        case .title: .text(input.title)
        case .startDate: .text(isoDate(input.startDate))
        case .endDate: .textOrNull(input.endDate.map(isoDate))
        case .year: .integer(Int64(input.startDate.year))
        case .quarter: .integer(Int64((input.startDate.month - 1) / 3 + 1))
        case .organisationID: .integer(input.organisationID)
        case .district: .integerOrNull(input.district.map { Int64($0.number) })
        case .participants: .integerOrNull(input.participants.map { Int64($0) })
        case .beneficiaries: .integerOrNull(input.beneficiaries.map { Int64($0) })
        case .audienceMask: .integer(mask(input.audiences))
        case .amountGrosze: .integerOrNull(input.amountGrosze)
        case .institution: .textOrNull(input.institution)
        case .institutionKey: .textOrNull(ActivityRecord.institutionKey(input.institution))
        case .languages: .text(input.languages.count == 1 ? input.languages[0] : input.languages.joined(separator: ";"))
        case .notes: .text(input.notes)
        case .evidenceURL: .textOrNull(input.evidenceURL)
        case .searchText: .text(ActivityRecord.searchText(input))
        case .partCityOffice: part(.cityOffice, of: input)
        case .partMunicipalGuard: part(.municipalGuard, of: input)
        case .partPolice: part(.police, of: input)
        case .partTeachers: part(.teachers, of: input)
        case .partParents: part(.parents, of: input)
        case .partPupils: part(.pupils, of: input)
        case .partResidents: part(.residents, of: input)
        case .partMigrants: part(.migrants, of: input)
        case .partMinorities: part(.minorities, of: input)
        case .partOther: part(.other, of: input)
        case .breakdownMask: .integer(input.participantsByAudience.map { mask($0.counts.keys) } ?? 0)
        case .participantsNew: .integerOrNull(input.participantsNew.map { Int64($0) })
        case .id, .programmeSlug, .status, .reviewComment, .createdBy, .createdAt, .updatedAt, .submittedAt: .null
        }
    }

    @inline(__always)
    private static func part(_ audience: Audience, of input: ActivityInput) -> StoredValue {
        guard let breakdown = input.participantsByAudience else { return .null }
        return .integerOrNull(breakdown.counts[audience].map { Int64($0) })
    }

    /// `CalendarDate.description` (`YYYY-MM-DD`; a `CalendarDate`'s year is 1–9999, so always four
    /// digits), written digit by digit: ten ASCII bytes make a small string, with no allocation.
    static func isoDate(_ date: CalendarDate) -> String {
        String(unsafeUninitializedCapacity: 10) { out in
            @inline(__always) func digit(_ n: Int) -> UInt8 { UInt8(truncatingIfNeeded: n) &+ UInt8(ascii: "0") }
            let (y, m, d) = (date.year, date.month, date.day)
            out[0] = digit(y / 1000 % 10)
            out[1] = digit(y / 100 % 10)
            out[2] = digit(y / 10 % 10)
            out[3] = digit(y % 10)
            out[4] = UInt8(ascii: "-")
            out[5] = digit(m / 10 % 10)
            out[6] = digit(m % 10)
            out[7] = UInt8(ascii: "-")
            out[8] = digit(d / 10 % 10)
            out[9] = digit(d % 10)
            return 10
        }
    }

    /// `Audience.mask`, with each audience's bit from a switch (`Audience.bit` searches
    /// `allCases`, an array made on each call).
    static func mask<S: Sequence<Audience>>(_ audiences: S) -> Int64 {
        var mask: Int64 = 0
        for audience in audiences { mask |= bit(audience) }
        return mask
    }

    @inline(__always) static func bit(_ audience: Audience) -> Int64 {
        switch audience {
        case .cityOffice: 1 << 0
        case .municipalGuard: 1 << 1
        case .police: 1 << 2
        case .teachers: 1 << 3
        case .parents: 1 << 4
        case .pupils: 1 << 5
        case .residents: 1 << 6
        case .migrants: 1 << 7
        case .minorities: 1 << 8
        case .other: 1 << 9
        }
    }

    /// The column holding an audience's part of the participants (migration 17).
    static func part(_ audience: Audience) -> ActivityColumn {
        switch audience {
        case .cityOffice: .partCityOffice
        case .municipalGuard: .partMunicipalGuard
        case .police: .partPolice
        case .teachers: .partTeachers
        case .parents: .partParents
        case .pupils: .partPupils
        case .residents: .partResidents
        case .migrants: .partMigrants
        case .minorities: .partMinorities
        case .other: .partOther
        }
    }

    /// The columns a new record's INSERT lists: its programme, what the input stores, its status,
    /// who created it and when (`created_at` and `updated_at` both, and `submitted_at` when it is
    /// stored as submitted). `id` is numbered by the database and `review_comment` starts empty.
    static let inserted: [ActivityColumn] = [.programmeSlug] + written.map(\.column)
        + [.status, .createdBy, .createdAt, .updatedAt, .submittedAt]

    /// A new record's values for the columns of `inserted`, in their order (what `BulkInsert`
    /// writes, for the import's paths that bind or copy values themselves).
    @inline(__always)
    static func insertedValues(programmeSlug: String, input: ActivityInput, status: ActivityStatus, user: UserID?,
                               at: Double, _ value: (StoredValue) throws -> Void) rethrows {
        try value(.text(programmeSlug))
        // `writtenColumns` one by one, each named, so that `value(_:of:)` is inlined for a known
        // column and the caller takes a value whose kind is known, with no switch or enum between
        // (a fifth of an import's packing, perf). `ActivityColumnValuesTests` checks the order.
        try value(Self.value(.taskCode, of: input))
        try value(Self.value(.kind, of: input))
        try value(Self.value(.title, of: input))
        try value(Self.value(.startDate, of: input))
        try value(Self.value(.endDate, of: input))
        try value(Self.value(.year, of: input))
        try value(Self.value(.quarter, of: input))
        try value(Self.value(.organisationID, of: input))
        try value(Self.value(.district, of: input))
        try value(Self.value(.participants, of: input))
        try value(Self.value(.beneficiaries, of: input))
        try value(Self.value(.audienceMask, of: input))
        try value(Self.value(.amountGrosze, of: input))
        try value(Self.value(.institution, of: input))
        try value(Self.value(.institutionKey, of: input))
        try value(Self.value(.languages, of: input))
        try value(Self.value(.notes, of: input))
        try value(Self.value(.evidenceURL, of: input))
        try value(Self.value(.searchText, of: input))
        try value(Self.value(.partCityOffice, of: input))
        try value(Self.value(.partMunicipalGuard, of: input))
        try value(Self.value(.partPolice, of: input))
        try value(Self.value(.partTeachers, of: input))
        try value(Self.value(.partParents, of: input))
        try value(Self.value(.partPupils, of: input))
        try value(Self.value(.partResidents, of: input))
        try value(Self.value(.partMigrants, of: input))
        try value(Self.value(.partMinorities, of: input))
        try value(Self.value(.partOther, of: input))
        try value(Self.value(.breakdownMask, of: input))
        try value(Self.value(.participantsNew, of: input))
        try value(.text(status.rawValue))
        try value(.integerOrNull(user))
        try value(.real(at))
        try value(.real(at))
        try value(status == .submitted ? .real(at) : .null)
    }

    /// The column a measure's `sum` adds up.
    static func summed(_ field: ActivityField) -> ActivityColumn {
        switch field {
        case .participants: .participants
        case .beneficiaries: .beneficiaries
        case .amount: .amountGrosze
        }
    }
}

/// A value of a column as it is written: text, a whole number, a real number or NULL.
enum StoredValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null

    static func textOrNull(_ value: String?) -> StoredValue { value.map { .text($0) } ?? .null }
    static func integerOrNull(_ value: Int64?) -> StoredValue { value.map { .integer($0) } ?? .null }

    /// For SQLKit: the plain value, nil for NULL.
    var bind: (any Encodable & Sendable)? {
        switch self {
        case let .text(value): value
        case let .integer(value): value
        case let .real(value): value
        case .null: nil
        }
    }
}

/// One whole row of `activities`, decoded by SQLKit (`decode(model:)`; its coding keys are
/// `ActivityColumn`, so its properties are the table's columns) and turned into the domain's
/// record by `record()`.
struct ActivityRow: Decodable {
    typealias CodingKeys = ActivityColumn

    var id: Int64
    var programmeSlug: String
    var taskCode: String
    var kind: ActivityKind
    var title: String
    var startDate: String
    var endDate: String?
    var year: Int64
    var quarter: Int64
    var organisationID: Int64
    var district: Int?
    var participants: Int?
    var beneficiaries: Int?
    var audienceMask: Int64
    var amountGrosze: Int64?
    var institution: String?
    var institutionKey: String?
    var languages: String
    var notes: String
    var evidenceURL: String?
    var status: ActivityStatus
    var reviewComment: String?
    var createdBy: Int64?
    var createdAt: Double
    var updatedAt: Double
    var submittedAt: Double?
    /// Derived (`ActivityRecord.searchText`); read only because every column of the row is.
    var searchText: String
    var partCityOffice: Int?
    var partMunicipalGuard: Int?
    var partPolice: Int?
    var partTeachers: Int?
    var partParents: Int?
    var partPupils: Int?
    var partResidents: Int?
    var partMigrants: Int?
    var partMinorities: Int?
    var partOther: Int?
    /// Derived from the parts; read only because every column of the row is.
    var breakdownMask: Int64
    var participantsNew: Int?

    /// The parts in `Audience.allCases` order; nil when none is given.
    var breakdown: AudienceBreakdown? {
        let parts: [Audience: Int?] = [
            .cityOffice: partCityOffice, .municipalGuard: partMunicipalGuard, .police: partPolice, .teachers: partTeachers,
            .parents: partParents, .pupils: partPupils, .residents: partResidents, .migrants: partMigrants,
            .minorities: partMinorities, .other: partOther,
        ]
        let counts = parts.compactMapValues { $0 }
        return counts.isEmpty ? nil : AudienceBreakdown(counts)
    }

    func record() throws -> ActivityRecord {
        var record = ActivityRecord(
            id: id, programmeSlug: programmeSlug, taskCode: taskCode, kind: kind, title: title,
            startDate: try Self.date(startDate), endDate: try endDate.map(Self.date), organisationID: organisationID,
            district: district.flatMap(District.init(number:)), participants: participants, beneficiaries: beneficiaries,
            audiences: Audience.set(fromMask: audienceMask), amountGrosze: amountGrosze, institution: institution,
            languages: languages.isEmpty ? [] : languages.split(separator: ";").map(String.init),
            notes: notes, evidenceURL: evidenceURL, status: status, reviewComment: reviewComment, createdBy: createdBy,
            createdAt: Date(timeIntervalSince1970: createdAt), updatedAt: Date(timeIntervalSince1970: updatedAt),
            submittedAt: submittedAt.map(Date.init(timeIntervalSince1970:)))
        record.participantsByAudience = breakdown
        record.participantsNew = participantsNew
        return record
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "malformed date \(text) in activities"))
        }
        return date
    }
}

/// The columns of an approved record the annual report reads (`reportedActivities`): 9 of the 25,
/// because a busy year has hundreds of thousands of them (docs/performance.md). The one read that
/// decodes column by column (names from `ActivityColumn`) rather than through `decode(model:)`:
/// SQLKit's row decoder took 35–50 % longer over 100,000 rows (debug build, SQLite, measured side
/// by side: 3.7–4.4 s against 2.3–3.3 s), and this read is half of the report's build time.
enum ReportedActivityRow {
    static let columns: [ActivityColumn] = [.id, .taskCode, .title, .startDate, .endDate, .organisationID, .district,
                                            .participants, .amountGrosze]

    static func reported(_ row: any SQLRow) throws -> ReportedActivity {
        func decode<T: Decodable>(_ column: ActivityColumn, as type: T.Type) throws -> T {
            try row.decode(column: column.rawValue, as: type)
        }
        return ReportedActivity(
            id: try decode(.id, as: Int64.self), taskCode: try decode(.taskCode, as: String.self),
            title: try decode(.title, as: String.self), startDate: try ActivityRow.date(try decode(.startDate, as: String.self)),
            endDate: try decode(.endDate, as: String?.self).map(ActivityRow.date),
            organisationID: try decode(.organisationID, as: Int64.self),
            district: try decode(.district, as: Int?.self).flatMap(District.init(number:)),
            participants: try decode(.participants, as: Int?.self), amountGrosze: try decode(.amountGrosze, as: Int64?.self))
    }
}

extension SQLPredicateBuilder {
    /// `column op value` for a column of `activities`.
    func `where`(_ column: ActivityColumn, _ op: SQLBinaryOperator, _ value: some Encodable & Sendable) -> Self {
        self.where(SQLIdentifier(column.rawValue), op, value)
    }

    /// `column IN (values…)` and the like for a column of `activities`.
    func `where`(_ column: ActivityColumn, _ op: SQLBinaryOperator, _ values: [some Encodable & Sendable]) -> Self {
        self.where(SQLIdentifier(column.rawValue), op, values)
    }
}
