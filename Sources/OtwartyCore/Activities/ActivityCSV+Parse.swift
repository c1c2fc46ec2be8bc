/// The import parser: the header, then every row, cell by cell over the UTF-8 bytes the CSV
/// reader hands over. Lookups (tasks, kinds, audiences) are built once; organisation and
/// district answers are remembered per distinct text, and most columns' answers per distinct
/// cell (`CellCache`).
struct ActivityCSVParser {
    typealias Column = ActivityCSV.Column
    typealias Cell = UnsafeBufferPointer<UInt8>

    /// A problem with one cell: what follows "row R, column C: ".
    struct CellError: Error {
        var problem: ActivityCSVProblem
        init(_ problem: ActivityCSVProblem) { self.problem = problem }
    }

    let taskCodes: Set<String>
    let kinds: [String: ActivityKind]
    let audiences: [String: Audience]
    /// Names people may write instead of the codes (`ActivityCSVLabels`).
    let labels: ActivityCSVLabels
    let organisationID: (String) -> OrganisationID?
    let allowUnknownOrganisations: Bool
    let maxRows: Int

    private var knownOrganisations: [String: OrganisationID] = [:]
    private var unknownOrganisations: Set<String> = []
    private var knownDistricts: [String: District] = [:]
    private var unknownDistricts: Set<String> = []

    /// Whether a column's answers are remembered by the cell's bytes (`CellCache`); false only in
    /// tests that compare the parser with and without them.
    var usesCellCaches = true
    private var caches = Caches()

    /// One `CellCache` per column whose answer depends on nothing but the cell (and the parser's
    /// settings): not the dates and numbers, which are read from the bytes as fast as looked up.
    struct Caches {
        var task = CellCache<String, CellError>()
        var kind = CellCache<ActivityKind, CellError>()
        var title = CellCache<String, CellError>()
        var organisation = CellCache<ActivityImportRow.OrganisationRef, CellError>()
        var district = CellCache<District?, CellError>()
        var audiences = CellCache<Set<Audience>, CellError>()
        var institution = CellCache<String, CellError>()
        var languages = CellCache<[String], CellError>()
        var notes = CellCache<String, CellError>()
        var breakdown = CellCache<AudienceBreakdown?, CellError>()
    }

    /// The position of each column (in `Column.allCases` order) in the file's records.
    private var positions: [Int] = []
    private var width = 0
    private(set) var errors = ActivityCSVErrors()
    private(set) var rows: [ActivityImportRow] = []

    init(programme: Programme, organisationID: @escaping (String) -> OrganisationID?, allowUnknownOrganisations: Bool,
         labels: ActivityCSVLabels = .codesOnly, maxRows: Int = ActivityCSV.maxRows) {
        self.maxRows = maxRows
        self.labels = labels
        taskCodes = Set(programme.tasks.map(\.code))
        kinds = Dictionary(uniqueKeysWithValues: ActivityKind.allCases.map { ($0.rawValue, $0) })
        audiences = Dictionary(uniqueKeysWithValues: Audience.allCases.map { ($0.rawValue, $0) })
        self.organisationID = organisationID
        self.allowUnknownOrganisations = allowUnknownOrganisations
    }

    static let kindList = ActivityKind.allCases.map(\.rawValue).joined(separator: ", ")
    static let audienceList = Audience.allCases.map(\.rawValue).joined(separator: ", ")

    // MARK: The file

    mutating func parse(_ text: String) -> Result<[ActivityImportRow], ActivityCSVErrors> {
        do {
            try CSVReader.read(text) { consume($0) }
        } catch {
            readFailed(error)
        }
        finish()
        return errors.isEmpty ? .success(rows) : .failure(errors)
    }

    // What the file has shown so far; `ActivityCSVStream` hands the records over a chunk at a time.
    private var sawHeader = false
    private var headerIsValid = false
    private var dataRow = 0
    private var rowsWithData = 0
    private var blankRows: [(row: Int, line: Int)] = []
    private var didFailReading = false

    /// One record of the file: the header first, then the rows. `.stop` when reading on is no use
    /// (an unusable header, too many rows).
    mutating func consume(_ record: CSVRecord) -> CSVReader.Next {
        if !sawHeader {
            sawHeader = true
            headerIsValid = readHeader(record)
            return headerIsValid ? .continue : .stop
        }
        dataRow += 1
        if record.isBlank {
            // Blank rows are fine at the end of the file, not between rows.
            blankRows.append((dataRow, record.line))
            return .continue
        }
        for blank in blankRows {
            fail(row: blank.row, line: blank.line, column: nil, .emptyRow)
        }
        blankRows.removeAll()
        if dataRow > maxRows {
            fail(row: nil, line: record.line, column: nil, .tooManyRows(limit: maxRows))
            return .stop
        }
        rowsWithData += 1
        validate(record, row: dataRow)
        return .continue
    }

    /// The reader found a malformed field: reading ends there.
    mutating func readFailed(_ error: CSVReadError) {
        didFailReading = true
        fail(row: nil, line: error.line, column: nil, .malformed(error.reason))
    }

    /// The end of the file: no header, or a header and no rows, is a problem of the whole file.
    mutating func finish() {
        if !sawHeader, !didFailReading {
            fail(row: nil, line: nil, column: nil, .emptyFile)
        } else if headerIsValid, rowsWithData == 0, !didFailReading {
            fail(row: nil, line: nil, column: nil, .noRows)
        }
    }

    /// The rows checked since the last call (none once anything is wrong), handed over and forgotten.
    mutating func takeRows() -> [ActivityImportRow] {
        defer { rows.removeAll(keepingCapacity: true) }
        return rows
    }

    var pendingRowCount: Int { rows.count }

    /// 1000000 → `1,000,000`.
    static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    private mutating func fail(row: Int?, line: Int?, column: String?, _ problem: ActivityCSVProblem) {
        errors.append(ActivityCSVError(row: row, line: line, column: column, problem: problem))
        // Once anything is wrong the rows will not be returned: stop keeping them.
        if !rows.isEmpty { rows = [] }
    }

    // MARK: The header

    /// Records where each column is; false (with the problems recorded) when the header is unusable.
    private mutating func readHeader(_ record: CSVRecord) -> Bool {
        let names = record.fields.map(Self.trimmedASCII)
        let line = record.line
        let before = errors.totalCount
        if names.count == 1, names[0].contains(";") {
            fail(row: nil, line: line, column: nil, .semicolonSeparated)
            return false
        }
        var found = [Int](repeating: -1, count: Column.allCases.count)
        for (position, name) in names.enumerated() {
            if let column = Column(rawValue: name) {
                let slot = Self.slot(column)
                if found[slot] >= 0 {
                    fail(row: nil, line: line, column: name, .duplicateColumn(first: found[slot] + 1, second: position + 1))
                } else {
                    found[slot] = position
                }
            } else if name.isEmpty {
                fail(row: nil, line: line, column: nil, .unnamedColumn(position: position + 1))
            } else if let column = Column(rawValue: name.lowercased()) {
                fail(row: nil, line: line, column: name, .uppercaseColumn(expected: column.rawValue))
            } else if ActivityCSV.statusColumns.contains(name) {
                fail(row: nil, line: line, column: name, .exportOnlyColumn)
            } else {
                fail(row: nil, line: line, column: name, .unknownColumn)
            }
        }
        for column in Column.allCases where found[Self.slot(column)] < 0 && !ActivityCSV.optionalColumns.contains(column) {
            fail(row: nil, line: line, column: column.rawValue, .missingColumn)
        }
        guard errors.totalCount == before else { return false }
        positions = found
        width = names.count
        return true
    }

    /// The column's index in `Column.allCases`.
    @inline(__always) static func slot(_ column: Column) -> Int {
        switch column {
        case .date: 0
        case .task: 1
        case .kind: 2
        case .title: 3
        case .organisation: 4
        case .district: 5
        case .participants: 6
        case .beneficiaries: 7
        case .audience: 8
        case .amount: 9
        case .institution: 10
        case .languages: 11
        case .notes: 12
        case .participantsByAudience: 13
        case .participantsNew: 14
        }
    }

    // MARK: A row

    private mutating func validate(_ record: CSVRecord, row: Int) {
        let line = record.line
        guard record.count == width else {
            fail(row: row, line: line, column: nil, .cellCount(count: record.count, expected: width))
            return
        }
        let usesCellCaches = self.usesCellCaches
        /// The check's answer for `cell`, remembered by its bytes (`CellCache`).
        func cached<T>(_ cache: inout CellCache<T, CellError>, _ cell: Cell,
                       _ compute: (Cell) throws(CellError) -> T) throws(CellError) -> T {
            guard usesCellCaches, !cell.isEmpty else { return try compute(cell) }
            if let known = cache.find(cell) { return try known.get() }
            let answer: Result<T, CellError>
            do throws(CellError) {
                answer = .success(try compute(cell))
            } catch {
                answer = .failure(error)
            }
            cache.insert(cell, answer)
            return try answer.get()
        }
        record.bytes.withUnsafeBufferPointer { all in
            let positions = self.positions
            func cell(_ column: Column) -> Cell {
                let position = positions[Self.slot(column)]
                // An optional column the file leaves out reads as empty.
                if position < 0 { return Cell(rebasing: all[all.startIndex..<all.startIndex]) }
                return Self.prepared(Cell(rebasing: all[record.byteRange(position)]))
            }
            var ok = true
            func check<T>(_ column: Column, _ parse: () throws(CellError) -> T) -> T? {
                do {
                    return try parse()
                } catch {
                    ok = false
                    fail(row: row, line: line, column: column.rawValue, error.problem)
                    return nil
                }
            }

            let dates = check(.date) { () throws(CellError) in try Self.dates(cell(.date)) }
            // Static functions over local copies of the lookups: a call on `self` from these
            // closures would copy the whole parser each time.
            let taskCodes = self.taskCodes, kinds = self.kinds, audienceNames = self.audiences
            let kindLabels = labels.kinds, audienceLabels = labels.audiences
            let task = check(.task) { () throws(CellError) in
                try cached(&self.caches.task, cell(.task)) { c throws(CellError) in try Self.task(c, in: taskCodes) }
            }
            let kind = check(.kind) { () throws(CellError) in
                try cached(&self.caches.kind, cell(.kind)) { c throws(CellError) in try Self.kind(c, in: kinds, labels: kindLabels) }
            }
            let title = check(.title) { () throws(CellError) in
                try cached(&self.caches.title, cell(.title)) { c throws(CellError) in
                    try Self.text(c, required: true, limit: ActivityCSV.maxTitleLength)
                }
            }
            // These two also update `self` (the names asked about), so the cache is read and
            // written around the check rather than through `cached`.
            let organisation = check(.organisation) { () throws(CellError) in
                let c = cell(.organisation)
                guard usesCellCaches, !c.isEmpty else { return try self.organisation(c) }
                if let known = self.caches.organisation.find(c) { return try known.get() }
                let answer = Result { () throws(CellError) in try self.organisation(c) }
                self.caches.organisation.insert(c, answer)
                return try answer.get()
            }
            let district = check(.district) { () throws(CellError) in
                let c = cell(.district)
                guard usesCellCaches, !c.isEmpty else { return try self.district(c) }
                if let known = self.caches.district.find(c) { return try known.get() }
                let answer = Result { () throws(CellError) in try self.district(c) }
                self.caches.district.insert(c, answer)
                return try answer.get()
            }
            let participants = check(.participants) { () throws(CellError) in try Self.count(cell(.participants)) }
            let beneficiaries = check(.beneficiaries) { () throws(CellError) in try Self.count(cell(.beneficiaries)) }
            let audiences = check(.audience) { () throws(CellError) in
                try cached(&self.caches.audiences, cell(.audience)) { c throws(CellError) in
                    try Self.audiences(c, in: audienceNames, labels: audienceLabels)
                }
            }
            let amount = check(.amount) { () throws(CellError) in try Self.amount(cell(.amount)) }
            let institution = check(.institution) { () throws(CellError) in
                try cached(&self.caches.institution, cell(.institution)) { c throws(CellError) in
                    try Self.text(c, required: false, limit: ActivityCSV.maxInstitutionLength)
                }
            }
            let languages = check(.languages) { () throws(CellError) in
                try cached(&self.caches.languages, cell(.languages)) { c throws(CellError) in try Self.languages(c) }
            }
            let notes = check(.notes) { () throws(CellError) in
                try cached(&self.caches.notes, cell(.notes)) { c throws(CellError) in
                    try Self.text(c, required: false, limit: ActivityCSV.maxNotesLength)
                }
            }
            let breakdown = check(.participantsByAudience) { () throws(CellError) in
                try cached(&self.caches.breakdown, cell(.participantsByAudience)) { c throws(CellError) in
                    try Self.breakdown(c, in: audienceNames, labels: audienceLabels)
                }
            }
            let participantsNew = check(.participantsNew) { () throws(CellError) in try Self.count(cell(.participantsNew)) }

            guard ok, errors.isEmpty, let dates, let task, let kind, let title, let organisation, let district,
                  let participants, let beneficiaries, let audiences, let amount, let institution, let languages,
                  let notes, let breakdown, let participantsNew
            else { return }
            var imported = ActivityImportRow(
                row: row, line: line, taskCode: task, kind: kind, title: title, startDate: dates.start,
                endDate: dates.end, organisation: organisation, district: district, participants: participants,
                beneficiaries: beneficiaries, audiences: audiences, amountGrosze: amount,
                institution: institution.isEmpty ? nil : institution, languages: languages, notes: notes)
            // The sum, the audiences and "new ≤ participants" are the form's rules
            // (`ActivityInput.problems`), checked by the importer on the whole row.
            imported.input.participantsByAudience = breakdown
            imported.input.participantsNew = participantsNew
            rows.append(imported)
        }
    }

    // MARK: Cells

    /// Undoes export's formula protection (`'=…` → `=…`), then trims ASCII spaces, tabs and line breaks.
    static func prepared(_ cell: Cell) -> Cell {
        var start = cell.startIndex
        var end = cell.endIndex
        if start < end, cell[start] == CSVWriter.apostrophe, CSVWriter.startsLikeFormula(cell) { start += 1 }
        while start < end, isASCIISpace(cell[start]) { start += 1 }
        while end > start, isASCIISpace(cell[end - 1]) { end -= 1 }
        return Cell(rebasing: cell[start..<end])
    }

    @inline(__always) static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    static func trimmedASCII(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { string(prepared($0)) }
    }

    @inline(__always) static func string(_ cell: Cell) -> String { String(decoding: cell, as: UTF8.self) }

    /// The cell's text for a message, in quotes, shortened to 60 characters, line breaks shown as ⏎.
    static func shown(_ cell: Cell) -> String {
        var text = string(cell)
        if text.count > 60 { text = String(text.prefix(59)) + "…" }
        // Characters, so CRLF is one.
        return "\"" + String(text.map { $0.isNewline ? "⏎" : $0 }) + "\""
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// Digits only, at most `maxDigits` of them, as a number.
    static func digits(_ bytes: Slice<Cell>, maxDigits: Int) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        var value: Int64 = 0
        for b in bytes {
            guard isDigit(b) else { return nil }
            value = value * 10 + Int64(b &- UInt8(ascii: "0"))
        }
        return value
    }

    /// `YYYY-MM-DD` exactly: nil when the shape is wrong, `.some(nil)` when it is not a real day.
    static func day(_ bytes: Slice<Cell>) -> CalendarDate?? {
        guard bytes.count == 10 else { return nil }
        let s = bytes.startIndex
        guard bytes[s + 4] == UInt8(ascii: "-"), bytes[s + 7] == UInt8(ascii: "-"),
              let year = digits(bytes[s..<s + 4], maxDigits: 4),
              let month = digits(bytes[s + 5..<s + 7], maxDigits: 2),
              let day = digits(bytes[s + 8..<s + 10], maxDigits: 2)
        else { return nil }
        return .some(CalendarDate(year: Int(year), month: Int(month), day: Int(day)))
    }

    static func dates(_ cell: Cell) throws(CellError) -> (start: CalendarDate, end: CalendarDate?) {
        guard !cell.isEmpty else { throw CellError(.required(hint: .date)) }
        let all = cell[...]
        func notADate() -> CellError { CellError(.notADate(value: shown(cell))) }
        if cell.count == 21, cell[10] == UInt8(ascii: "/") {
            guard let first = day(all.prefix(10)), let second = day(all.suffix(10)) else { throw notADate() }
            guard let start = first else { throw CellError(.notACalendarDay(value: shown(Cell(rebasing: all.prefix(10))))) }
            guard let end = second else { throw CellError(.notACalendarDay(value: shown(Cell(rebasing: all.suffix(10))))) }
            guard end >= start else { throw CellError(.endBeforeStart(value: shown(cell))) }
            return (start, end == start ? nil : end)
        }
        guard let single = day(all) else { throw notADate() }
        guard let date = single else { throw CellError(.notACalendarDay(value: shown(cell))) }
        return (date, nil)
    }

    static func task(_ cell: Cell, in taskCodes: Set<String>) throws(CellError) -> String {
        guard !cell.isEmpty else { throw CellError(.required(hint: .task)) }
        let code = string(cell)
        guard taskCodes.contains(code) else { throw CellError(.unknownTask(value: shown(cell))) }
        return code
    }

    static func kind(_ cell: Cell, in kinds: [String: ActivityKind], labels: [String: Set<ActivityKind>]) throws(CellError) -> ActivityKind {
        guard !cell.isEmpty else { throw CellError(.required(hint: .kind)) }
        // The code as written first: every file that imported before still does, at full speed.
        if let kind = kinds[string(cell)] { return kind }
        switch labels[ActivityCSVLabels.folded(string(cell))] {
        case let found? where found.count == 1: return found.first!
        case let found?: throw CellError(.ambiguousLabel(value: shown(cell), codes: found.map(\.rawValue).sorted()))
        case nil: throw CellError(.unknownKind(value: shown(cell)))
        }
    }

    /// Length in characters, counted only when the bytes could exceed it.
    static func text(_ cell: Cell, required: Bool, limit: Int) throws(CellError) -> String {
        if cell.isEmpty {
            if required { throw CellError(.required(hint: nil)) }
            return ""
        }
        // Export put an apostrophe after a `;` or line break that starts a formula (CSVWriter);
        // `prepared` already undid the one at the start.
        let text = cell.contains(CSVWriter.apostrophe) ? CSVWriter.restoreFormula(string(cell), atStart: false) : string(cell)
        if cell.count > limit {
            let length = text.count
            if length > limit { throw CellError(.tooLong(length: length, limit: limit)) }
        }
        return text
    }

    mutating func organisation(_ cell: Cell) throws(CellError) -> ActivityImportRow.OrganisationRef {
        guard !cell.isEmpty else { throw CellError(.required(hint: .organisation)) }
        let name = Self.string(cell)
        if let id = knownOrganisations[name] { return .existing(id) }
        if !unknownOrganisations.contains(name) {
            if let id = organisationID(name) {
                knownOrganisations[name] = id
                return .existing(id)
            }
            unknownOrganisations.insert(name)
        }
        guard allowUnknownOrganisations else { throw CellError(.unknownOrganisation(value: Self.shown(cell))) }
        let length = name.count
        guard length <= ActivityCSV.maxOrganisationNameLength else {
            throw CellError(.newOrganisationNameTooLong(length: length, limit: ActivityCSV.maxOrganisationNameLength))
        }
        return .new(name: name)
    }

    mutating func district(_ cell: Cell) throws(CellError) -> District? {
        if cell.isEmpty { return nil }
        let text = Self.string(cell)
        if let known = knownDistricts[text] { return known }
        let lower = text.lowercased()
        if lower == "city-wide" || lower == "city_wide" { return nil }
        if !unknownDistricts.contains(text), let district = District(parsing: text) {
            knownDistricts[text] = district
            return district
        }
        unknownDistricts.insert(text)
        throw CellError(.unknownDistrict(value: Self.shown(cell)))
    }

    /// Empty, or a whole number ≥ 0 written with digits only.
    static func count(_ cell: Cell) throws(CellError) -> Int? {
        if cell.isEmpty { return nil }
        guard let value = digits(cell[...], maxDigits: 18) else {
            // Digits, but more of them than any count has: too large, not "not a number".
            if cell.allSatisfy(isDigit) { throw CellError(.countTooLarge(value: shown(cell), limit: ActivityCSV.maxCount)) }
            throw CellError(.notACount(value: shown(cell)))
        }
        guard value <= Int64(ActivityCSV.maxCount) else {
            throw CellError(.countTooLarge(value: shown(cell), limit: ActivityCSV.maxCount))
        }
        return Int(value)
    }

    /// Empty, or an amount in PLN in any form `Money.parse` reads (`1500`, `1 500,50`, `1500.50 zł`). In grosze.
    static func amount(_ cell: Cell) throws(CellError) -> Int64? {
        switch Money.parse(utf8: cell) {
        case let .success(money): return money.grosze
        case .failure(.empty): return nil
        case let .failure(failure): throw CellError(.amount(failure, value: shown(cell)))
        }
    }

    /// `;`-separated items, each trimmed; an empty cell is an empty list, an empty item is an error.
    static func items(_ cell: Cell) throws(CellError) -> [Cell] {
        if cell.isEmpty { return [] }
        var items: [Cell] = []
        var start = cell.startIndex
        for i in cell.indices where cell[i] == UInt8(ascii: ";") {
            items.append(prepared(Cell(rebasing: cell[start..<i])))
            start = i + 1
        }
        items.append(prepared(Cell(rebasing: cell[start..<cell.endIndex])))
        if items.contains(where: \.isEmpty) {
            throw CellError(.emptyItem(value: shown(cell)))
        }
        return items
    }

    static func audiences(_ cell: Cell, in audiences: [String: Audience], labels: [String: Set<Audience>]) throws(CellError) -> Set<Audience> {
        if cell.isEmpty { return [] }
        let items = try items(cell)
        var set = Set<Audience>(minimumCapacity: items.count)
        for item in items {
            if let audience = audiences[string(item)] {
                set.insert(audience)
                continue
            }
            switch labels[ActivityCSVLabels.folded(string(item))] {
            case let found? where found.count == 1: set.insert(found.first!)
            case let found?: throw CellError(.ambiguousLabel(value: shown(item), codes: found.map(\.rawValue).sorted()))
            case nil: throw CellError(.unknownAudience(value: shown(item)))
            }
        }
        return set
    }

    /// `audience:count` pairs separated by `;`, e.g. `city_office:12;police:20`: each audience a
    /// code (or a label, as in `audience`) given once, each count as in `participants`. Empty: no
    /// breakdown (nil).
    static func breakdown(_ cell: Cell, in audiences: [String: Audience],
                          labels: [String: Set<Audience>]) throws(CellError) -> AudienceBreakdown? {
        if cell.isEmpty { return nil }
        var counts: [Audience: Int] = [:]
        for item in try items(cell) {
            // The last colon: the count never has one.
            guard let colon = item.lastIndex(of: UInt8(ascii: ":")) else { throw CellError(.breakdownPair(value: shown(item))) }
            let name = prepared(Cell(rebasing: item[item.startIndex..<colon]))
            let number = prepared(Cell(rebasing: item[(colon + 1)..<item.endIndex]))
            guard !name.isEmpty, !number.isEmpty else { throw CellError(.breakdownPair(value: shown(item))) }
            let audience: Audience
            if let code = audiences[string(name)] {
                audience = code
            } else {
                switch labels[ActivityCSVLabels.folded(string(name))] {
                case let found? where found.count == 1: audience = found.first!
                case let found?: throw CellError(.ambiguousLabel(value: shown(name), codes: found.map(\.rawValue).sorted()))
                case nil: throw CellError(.unknownAudience(value: shown(name)))
                }
            }
            guard counts[audience] == nil else { throw CellError(.duplicateAudience(value: shown(name))) }
            counts[audience] = try count(number)
        }
        return AudienceBreakdown(counts)
    }

    /// Trimmed, lower-cased, without repeats, in the order given.
    static func languages(_ cell: Cell) throws(CellError) -> [String] {
        var languages: [String] = []
        for item in try items(cell) {
            let language = string(item).lowercased()
            if !languages.contains(language) { languages.append(language) }
        }
        return languages
    }
}
