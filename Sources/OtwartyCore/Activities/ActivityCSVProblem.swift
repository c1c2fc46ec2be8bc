/// What is wrong in an import file, as data: the web page says it in the reader's language from
/// the catalogue key `import.error.<code>` with the parameters filled in, while the command line
/// (and logs) read the English `message`. One enum, so a new problem cannot have one without the
/// other (docs/import-format.md, "Error messages").
public enum ActivityCSVProblem: Hashable, Sendable {
    // The file
    case notUTF8(byte: UInt8)
    case emptyFile
    case noRows
    case tooManyRows(limit: Int)
    case malformed(CSVReadError.Reason)
    // The header
    case semicolonSeparated
    case duplicateColumn(first: Int, second: Int)
    case unnamedColumn(position: Int)
    case uppercaseColumn(expected: String)
    case exportOnlyColumn
    case unknownColumn
    case missingColumn
    // A row
    case cellCount(count: Int, expected: Int)
    case emptyRow
    // A cell; `value` is the cell as shown (quoted, shortened to 60 characters, line breaks as ⏎)
    /// The hint depends on the column (`date`, `task`, `kind`, `organisation` have one).
    case required(hint: RequiredHint?)
    case notADate(value: String)
    case notACalendarDay(value: String)
    case endBeforeStart(value: String)
    case unknownTask(value: String)
    case unknownKind(value: String)
    case unknownAudience(value: String)
    /// A label (not a code) that names more than one value of the column in the four languages.
    case ambiguousLabel(value: String, codes: [String])
    case tooLong(length: Int, limit: Int)
    case unknownOrganisation(value: String)
    case newOrganisationNameTooLong(length: Int, limit: Int)
    case unknownDistrict(value: String)
    case notACount(value: String)
    case countTooLarge(value: String, limit: Int)
    case emptyItem(value: String)
    /// In `participants_by_audience`: an item that is not `audience:count`.
    case breakdownPair(value: String)
    /// In `participants_by_audience`: an audience given twice.
    case duplicateAudience(value: String)
    case amount(Money.ParseError, value: String)
    /// One of the form's rules (`ActivityInput.problems`): its catalogue key and English message.
    case rule(key: String, message: String)

    public enum RequiredHint: String, Hashable, Sendable {
        case date, task, kind, organisation
    }

    /// The catalogue key pages translate: `import.error.<code>`, or the form rule's own key.
    public var key: String {
        if case let .rule(key, _) = self { return key }
        return "import.error." + code
    }

    /// A stable name for the problem, also what the key ends in.
    public var code: String {
        switch self {
        case .notUTF8: "not-utf8"
        case .emptyFile: "empty-file"
        case .noRows: "no-rows"
        case .tooManyRows: "too-many-rows"
        case let .malformed(reason):
            switch reason {
            case .quoteInUnquotedField: "quote-in-unquoted-field"
            case .textAfterClosingQuote: "text-after-closing-quote"
            case .unclosedQuote: "unclosed-quote"
            case .bareCarriageReturn: "bare-carriage-return"
            }
        case .semicolonSeparated: "semicolon-separated"
        case .duplicateColumn: "duplicate-column"
        case .unnamedColumn: "unnamed-column"
        case .uppercaseColumn: "uppercase-column"
        case .exportOnlyColumn: "export-only-column"
        case .unknownColumn: "unknown-column"
        case .missingColumn: "missing-column"
        case .cellCount: "cell-count"
        case .emptyRow: "empty-row"
        case let .required(hint): hint.map { "required-\($0.rawValue)" } ?? "required"
        case .notADate: "not-a-date"
        case .notACalendarDay: "not-a-calendar-day"
        case .endBeforeStart: "end-before-start"
        case .unknownTask: "unknown-task"
        case .unknownKind: "unknown-kind"
        case .unknownAudience: "unknown-audience"
        case .ambiguousLabel: "ambiguous-label"
        case .tooLong: "too-long"
        case .unknownOrganisation: "unknown-organisation"
        case .newOrganisationNameTooLong: "new-organisation-name-too-long"
        case .unknownDistrict: "unknown-district"
        case .notACount: "not-a-count"
        case .countTooLarge: "count-too-large"
        case .emptyItem: "empty-item"
        case .breakdownPair: "breakdown-pair"
        case .duplicateAudience: "duplicate-audience"
        case let .amount(error, _):
            switch error {
            case .empty: "amount-required"
            case .notAnAmount: "not-an-amount"
            case .negative: "negative-amount"
            case .tooManyDecimals: "amount-decimals"
            case .tooLarge: "amount-too-large"
            }
        case .rule: "rule"
        }
    }

    /// The values the text names, by the placeholder the catalogue writes as `{name}`.
    public var parameters: [String: String] {
        switch self {
        case let .notUTF8(byte): ["byte": Self.hex(byte)]
        case .emptyFile: ["header": ActivityCSV.columns.joined(separator: ",")]
        case let .tooManyRows(limit): ["limit": ActivityCSVParser.grouped(limit)]
        case let .duplicateColumn(first, second): ["first": String(first), "second": String(second)]
        case let .unnamedColumn(position): ["position": String(position)]
        case let .uppercaseColumn(expected): ["expected": expected]
        case .unknownColumn: ["columns": ActivityCSV.columns.joined(separator: ", ")]
        case let .cellCount(count, expected): ["count": String(count), "expected": String(expected)]
        case let .notADate(value), let .notACalendarDay(value), let .endBeforeStart(value), let .unknownTask(value),
             let .unknownOrganisation(value), let .unknownDistrict(value), let .notACount(value), let .emptyItem(value),
             let .breakdownPair(value), let .duplicateAudience(value):
            ["value": value]
        case let .amount(error, value): error == .empty ? [:] : ["value": value]
        case let .unknownKind(value): ["value": value, "codes": ActivityCSVParser.kindList]
        case let .unknownAudience(value): ["value": value, "codes": ActivityCSVParser.audienceList]
        case let .ambiguousLabel(value, codes): ["value": value, "codes": codes.joined(separator: ", ")]
        case let .tooLong(length, limit), let .newOrganisationNameTooLong(length, limit):
            ["length": String(length), "limit": String(limit)]
        case let .countTooLarge(value, limit): ["value": value, "limit": String(limit)]
        case .malformed, .semicolonSeparated, .exportOnlyColumn, .missingColumn, .emptyRow, .required, .noRows, .rule:
            [:]
        }
    }

    /// Plain English, for the command line and logs (the wording docs/import-format.md lists).
    public var message: String {
        let p = parameters
        switch self {
        case .notUTF8: return "the file is not UTF-8 text (byte \(p["byte"]!)); save it as \"CSV UTF-8 (comma delimited)\""
        case .emptyFile: return "the file is empty; its first line must be the header: \(p["header"]!)"
        case .noRows: return "no rows: the file has a header but no activity rows"
        case .tooManyRows: return "the file has more than \(p["limit"]!) rows; split it into files of at most \(p["limit"]!) rows"
        case let .malformed(reason): return CSVReadError(line: 0, reason: reason).message
        case .semicolonSeparated:
            return "the columns are separated by semicolons; separate them with commas (in Excel: save as \"CSV UTF-8 (comma delimited)\")"
        case let .duplicateColumn(first, second): return "the column appears twice in the header (columns \(first) and \(second))"
        case let .unnamedColumn(position): return "column \(position) of the header has no name"
        case let .uppercaseColumn(expected): return "not a column of the format; column names are lowercase: \(expected)"
        case .exportOnlyColumn: return "only exports have this column; remove the status and id columns to import the file"
        case .unknownColumn: return "not a column of the format; the columns are: \(p["columns"]!)"
        case .missingColumn: return "the column is missing from the header"
        case let .cellCount(count, expected): return "the row has \(count) \(count == 1 ? "cell" : "cells"), the header has \(expected)"
        case .emptyRow: return "the row is empty; remove empty rows between rows"
        case let .required(hint):
            switch hint {
            case nil: return "required"
            case .date: return "required: the day of the activity (YYYY-MM-DD)"
            case .task: return "required: the code of a task of the programme, e.g. 4.2"
            case .kind: return "required: one of: \(ActivityCSVParser.kindList)"
            case .organisation: return "required: the name of the organisation, as registered"
            }
        case let .notADate(value): return "\(value) is not a date (YYYY-MM-DD, or YYYY-MM-DD/YYYY-MM-DD for several days)"
        case let .notACalendarDay(value): return "\(value) is not a day of the calendar"
        case let .endBeforeStart(value): return "\(value): the end date is before the start date"
        case let .unknownTask(value): return "\(value) is not a task of the programme"
        case let .unknownKind(value): return "\(value) is not one of: \(ActivityCSVParser.kindList)"
        case let .unknownAudience(value): return "\(value) is not one of: \(ActivityCSVParser.audienceList)"
        case let .ambiguousLabel(value, codes):
            return "\(value) is the name of more than one value (\(codes.joined(separator: ", "))); write the code instead"
        case let .tooLong(length, limit): return "\(length) characters; at most \(limit) are allowed"
        case let .unknownOrganisation(value): return "\(value) is not a known organisation"
        case let .newOrganisationNameTooLong(length, limit):
            return "\(length) characters; at most \(limit) are allowed for a new organisation's name"
        case let .unknownDistrict(value):
            return "\(value) is not a district (a number 1–18, a numeral I–XVIII, a name such as Nowa Huta, or city-wide)"
        case let .notACount(value): return "\(value) is not a whole number of 0 or more (digits only, e.g. 1200)"
        case let .countTooLarge(value, limit): return "\(value) is too large (at most \(limit))"
        case let .emptyItem(value): return "\(value) has an empty item; separate values with single semicolons"
        case let .breakdownPair(value):
            return "\(value) is not an audience and a count joined by a colon (e.g. city_office:12;police:20)"
        case let .duplicateAudience(value): return "\(value) is given twice; give each audience's count once"
        case let .amount(error, value): return error.message(shown: value)
        case let .rule(_, message): return message
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
