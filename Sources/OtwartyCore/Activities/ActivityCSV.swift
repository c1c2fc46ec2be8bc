import Foundation

/// Activity records as CSV: the programme office's bulk import and the export of stored records.
/// The format is described for people in docs/import-format.md.
///
/// Import is all or nothing: every row is validated, and either all rows come back or every
/// problem does, each with its row, line and column.
public enum ActivityCSV {
    /// The columns of an import file, in the order export writes them. An import file must have
    /// each exactly once, in any order, and no other — except the `optionalColumns`, which it may
    /// leave out (files written before they existed keep importing).
    public static let columns = Column.allCases.map(\.rawValue)

    /// Issue 13: participants by audience and "of whom new this year"; absent means empty.
    public static let optionalColumns: Set<Column> = [.participantsByAudience, .participantsNew]

    /// The columns export adds at the end when asked for the review status.
    public static let statusColumns = ["status", "id"]

    /// The most data rows one file may have.
    public static let maxRows = 1_000_000

    public static let maxTitleLength = 300
    public static let maxInstitutionLength = 200
    public static let maxNotesLength = 2000
    /// For the names of organisations an import would create.
    public static let maxOrganisationNameLength = 200
    /// Participants and beneficiaries.
    public static let maxCount = 1_000_000_000

    public enum Column: String, CaseIterable, Hashable, Sendable {
        case date, task, kind, title, organisation, district, participants, beneficiaries, audience, amount
        case institution, languages, notes
        /// `audience:count` pairs separated by `;` (`city_office:12;police:20`), issue 13.
        case participantsByAudience = "participants_by_audience"
        /// Of whom new this year, issue 13.
        case participantsNew = "participants_new"
    }

    /// Reads an import file. `organisationID` maps an organisation's name (trimmed, compared
    /// exactly) to its id; it is asked once per distinct name. With `allowUnknownOrganisations`
    /// a name it does not know makes the row carry `.new(name)` instead of being an error.
    ///
    /// For typed throws: `try ActivityCSV.parse(…).get()` throws `ActivityCSVErrors`.
    /// `labels`: names accepted beside the codes in `kind` and `audience` (none by default).
    public static func parse(text: String, programme: Programme, organisationID: (String) -> OrganisationID?,
                             allowUnknownOrganisations: Bool,
                             labels: ActivityCSVLabels = .codesOnly) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        parse(text: text, programme: programme, organisationID: organisationID,
              allowUnknownOrganisations: allowUnknownOrganisations, labels: labels, maxRows: maxRows)
    }

    /// With another row limit (for tests).
    static func parse(text: String, programme: Programme, organisationID: (String) -> OrganisationID?,
                      allowUnknownOrganisations: Bool, labels: ActivityCSVLabels = .codesOnly,
                      maxRows: Int) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        withoutActuallyEscaping(organisationID) { lookup in
            var parser = ActivityCSVParser(programme: programme, organisationID: lookup,
                                           allowUnknownOrganisations: allowUnknownOrganisations, labels: labels,
                                           maxRows: maxRows)
            return parser.parse(text)
        }
    }

    /// Reads an uploaded file's bytes: like `parse(text:…)`, but first checks that they are UTF-8
    /// and names the line where they are not (a file saved by Excel as plain "CSV" is in the
    /// Windows code page, not UTF-8).
    public static func parse(data: some Collection<UInt8>, programme: Programme,
                             organisationID: (String) -> OrganisationID?,
                             allowUnknownOrganisations: Bool,
                             labels: ActivityCSVLabels = .codesOnly) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, byte) = firstInvalidUTF8(in: data)
            var errors = ActivityCSVErrors()
            errors.append(ActivityCSVError(row: nil, line: line, column: nil, problem: .notUTF8(byte: byte)))
            return .failure(errors)
        }
        return parse(text: text, programme: programme, organisationID: organisationID,
                     allowUnknownOrganisations: allowUnknownOrganisations, labels: labels)
    }

    static func firstInvalidUTF8(in data: some Collection<UInt8>) -> (line: Int, byte: UInt8) {
        var line = 1
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = data.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") { line += 1 }
                offset = data.index(offset, offsetBy: encoded.count)
            case .error:
                return (line, data[offset])
            case .emptyInput:
                return (line, 0)
            }
        }
    }

    /// The records as CSV with `columns` (plus `statusColumns` when `includeStatus`), CRLF line
    /// ends. Without the status columns the result is a valid import file that reads back to the
    /// same values. `byteOrderMark` prefixes U+FEFF so Excel opens it as UTF-8.
    public static func export(records: [ActivityRecord], organisationName: (OrganisationID) -> String,
                              includeStatus: Bool = true, byteOrderMark: Bool = false) -> String {
        // participants, beneficiaries, amount, participants_new, id: written as numbers (CSVWriter's rule).
        var writer = CSVWriter(byteOrderMark: byteOrderMark, numericColumns: [6, 7, 9, 14, columns.count + 1])
        writer.writeRow(includeStatus ? columns + statusColumns : columns)
        var names: [OrganisationID: String] = [:]
        var cells: [String] = []
        cells.reserveCapacity(columns.count + statusColumns.count)
        for record in records {
            cells.removeAll(keepingCapacity: true)
            let name: String
            if let known = names[record.organisationID] {
                name = known
            } else {
                name = organisationName(record.organisationID)
                names[record.organisationID] = name
            }
            cells.append(record.endDate.map { "\(record.startDate)/\($0)" } ?? record.startDate.description)
            cells.append(record.taskCode)
            cells.append(record.kind.rawValue)
            cells.append(record.title)
            cells.append(name)
            cells.append(record.district?.label ?? "")
            cells.append(record.participants.map(String.init) ?? "")
            cells.append(record.beneficiaries.map(String.init) ?? "")
            cells.append(Audience.allCases.filter(record.audiences.contains).map(\.rawValue).joined(separator: ";"))
            cells.append(record.amountGrosze.map { Money(grosze: $0).plain } ?? "")
            cells.append(record.institution ?? "")
            cells.append(record.languages.joined(separator: ";"))
            cells.append(record.notes)
            cells.append(record.participantsByAudience.map(breakdownCell) ?? "")
            cells.append(record.participantsNew.map(String.init) ?? "")
            if includeStatus {
                cells.append(record.status.rawValue)
                cells.append(String(record.id))
            }
            writer.writeRow(cells)
        }
        return writer.text
    }
}

extension ActivityCSV {
    /// `city_office:12;municipal_guard:8;police:20`: the parts in `Audience.allCases` order.
    public static func breakdownCell(_ breakdown: AudienceBreakdown) -> String {
        breakdown.ordered.map { "\($0.audience.rawValue):\($0.count)" }.joined(separator: ";")
    }
}

/// One validated row of an import file, ready to become an `ActivityRecord`: the same fields as
/// the form (`ActivityInput`, read as `row.title`, `row.taskCode`…) plus where the row stands and
/// which organisation it names.
@dynamicMemberLookup
public struct ActivityImportRow: Hashable, Sendable {
    public enum OrganisationRef: Hashable, Sendable {
        case existing(OrganisationID)
        /// Not known yet; the import creates it under this name.
        case new(name: String)
    }

    /// 1-based among the data rows (the header is not counted).
    public var row: Int
    /// The line of the file the row starts on.
    public var line: Int
    public var organisation: OrganisationRef
    /// The row's fields; `input.organisationID` is 0 until a `.new` organisation is created.
    /// `endDate` is nil for a one-day activity (also when the file gives the same day twice).
    public var input: ActivityInput

    public init(row: Int, line: Int, taskCode: String, kind: ActivityKind, title: String, startDate: CalendarDate,
                endDate: CalendarDate? = nil, organisation: OrganisationRef, district: District? = nil,
                participants: Int? = nil, beneficiaries: Int? = nil, audiences: Set<Audience> = [],
                amountGrosze: Int64? = nil, institution: String? = nil, languages: [String] = [], notes: String = "") {
        self.row = row
        self.line = line
        self.organisation = organisation
        var organisationID: OrganisationID = 0
        if case let .existing(id) = organisation { organisationID = id }
        input = ActivityInput(taskCode: taskCode, kind: kind, title: title, startDate: startDate, endDate: endDate,
                              organisationID: organisationID, district: district, participants: participants,
                              beneficiaries: beneficiaries, audiences: audiences, amountGrosze: amountGrosze,
                              institution: institution, languages: languages, notes: notes)
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<ActivityInput, T>) -> T { input[keyPath: keyPath] }
}

/// One problem in an import file.
public struct ActivityCSVError: Hashable, Sendable, CustomStringConvertible {
    /// 1-based data row; nil for problems of the whole file (header, encoding, no rows).
    public var row: Int?
    /// The line of the file where the row (or the problem) starts.
    public var line: Int?
    public var column: String?
    /// What is wrong, as data (a catalogue key and its parameters for pages, English for the rest).
    public var problem: ActivityCSVProblem

    public init(row: Int?, line: Int?, column: String?, problem: ActivityCSVProblem) {
        self.row = row
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// Plain English: what follows "row R (line L), column C: ".
    public var message: String { problem.message }

    /// `row 7 (line 8), column date: "31.12.2025" is not a date (YYYY-MM-DD)`
    public var description: String {
        var place: [String] = []
        switch (row, line) {
        case let (row?, line?): place.append("row \(row) (line \(line))")
        case let (row?, nil): place.append("row \(row)")
        case let (nil, line?): place.append("line \(line)")
        case (nil, nil): break
        }
        if let column { place.append("column \(column)") }
        return place.isEmpty ? message : "\(place.joined(separator: ", ")): \(message)"
    }
}

/// Everything wrong with an import file. Keeps the first `storedLimit` problems and counts the rest.
public struct ActivityCSVErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public static let storedLimit = 1000

    public private(set) var errors: [ActivityCSVError] = []
    /// Problems found beyond `storedLimit`.
    public private(set) var omittedCount = 0

    public init() {}

    public init(_ errors: [ActivityCSVError]) {
        for error in errors { append(error) }
    }

    public mutating func append(_ error: ActivityCSVError) {
        if errors.count < Self.storedLimit { errors.append(error) } else { omittedCount += 1 }
    }

    public var totalCount: Int { errors.count + omittedCount }
    public var isEmpty: Bool { totalCount == 0 }

    /// One line per problem, then how many more there were.
    public var description: String {
        var lines = errors.map(\.description)
        if omittedCount > 0 { lines.append("… and \(omittedCount) more \(omittedCount == 1 ? "problem" : "problems")") }
        return lines.joined(separator: "\n")
    }
}
