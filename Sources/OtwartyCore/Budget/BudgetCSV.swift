/// The budget import file: UTF-8 CSV with the header `year,task,source,planned,spent,note`
/// (`spent` and `note` may be empty; the column order is free, extra columns are refused).
/// All or nothing: any bad row rejects the file with every problem named by row and column.
public enum BudgetCSV {
    public static let columns = ["year", "task", "source", "planned", "spent", "note"]
    static let required: Set<String> = ["year", "task", "source", "planned"]
    public static let maxRows = 10_000

    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// 1-based data row (the header is row 0); nil for problems with the whole file.
        public var row: Int?
        public var column: String?
        public var message: String
        public var description: String {
            switch (row, column) {
            case let (row?, column?): return "row \(row), \(column): \(message)"
            case let (row?, nil): return "row \(row): \(message)"
            case let (nil, column?): return "\(column): \(message)"
            case (nil, nil): return message
            }
        }
    }

    public enum ParseResult: Sendable {
        case entries([BudgetEntry])
        case problems([Problem])
    }

    public static func parse(_ text: String, programme: Programme, by user: UserID?, at now: Foundation.Date) -> ParseResult {
        let records: [CSVRecord]
        do { records = try CSVReader.records(text) } catch {
            return .problems([Problem(row: nil, column: nil, message: String(describing: error))])
        }
        guard let header = records.first else {
            return .problems([Problem(row: nil, column: nil, message: "the file is empty; expected the header \(columns.joined(separator: ","))")])
        }
        let names = (0..<header.count).map { header[$0].trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [Problem] = []
        for name in names where !columns.contains(name) {
            problems.append(Problem(row: nil, column: name, message: "is not a column of the budget file (expected \(columns.joined(separator: ", ")))"))
        }
        for name in required.sorted() where !names.contains(name) {
            problems.append(Problem(row: nil, column: name, message: "the column is missing"))
        }
        if records.count - 1 > maxRows {
            problems.append(Problem(row: nil, column: nil, message: "at most \(maxRows) rows in one file"))
        }
        guard problems.isEmpty else { return .problems(problems) }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

        var entries: [BudgetEntry] = []
        var seen: [String: Int] = [:]
        for (offset, record) in records.dropFirst().enumerated() {
            let row = offset + 1
            func cell(_ name: String) -> String {
                guard let i = index[name], i < record.count else { return "" }
                return record[i].trimmingCharacters(in: .whitespaces)
            }
            if record.isBlank || record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var rowProblems: [Problem] = []
            let year = NumberRange.year.int(cell("year"))
            if year == nil { rowProblems.append(Problem(row: row, column: "year", message: "\"\(cell("year"))\" is not a year")) }
            let source = NumberRange.ordinal.int(cell("source"))
            if source == nil { rowProblems.append(Problem(row: row, column: "source", message: "\"\(cell("source"))\" is not a source number (1–\(programme.financingSources.count))")) }
            func amount(_ column: String, required: Bool) -> Int64? {
                switch Money.parse(cell(column)) {
                case let .success(money): return money.grosze
                case .failure(.empty) where !required: return nil
                case let .failure(failure):
                    rowProblems.append(Problem(row: row, column: column, message: failure.message(shown: "\"\(cell(column))\"")))
                    return nil
                }
            }
            let planned = amount("planned", required: true)
            let spent = amount("spent", required: false)
            if let year, let source, let planned, rowProblems.isEmpty {
                let entry = BudgetEntry(programmeSlug: programme.slug, year: year, taskCode: cell("task"), source: source,
                                        plannedGrosze: planned, spentGrosze: spent,
                                        note: CSVWriter.restoreFormula(cell("note")),
                                        updatedAt: now, updatedBy: user)
                for error in entry.problems(in: programme) {
                    rowProblems.append(Problem(row: row, column: error.field, message: error.message))
                }
                let key = "\(year)|\(entry.taskCode)|\(source)"
                if let first = seen[key] {
                    rowProblems.append(Problem(row: row, column: nil, message: "repeats row \(first) (same year, task and source)"))
                } else {
                    seen[key] = row
                }
                if rowProblems.isEmpty { entries.append(entry) }
            }
            problems += rowProblems
        }
        if problems.isEmpty && entries.isEmpty {
            return .problems([Problem(row: nil, column: nil, message: "the file has a header but no rows")])
        }
        return problems.isEmpty ? .entries(entries) : .problems(problems)
    }

    /// The entries as a file `parse` reads back.
    public static func write(_ entries: [BudgetEntry]) -> String {
        var writer = CSVWriter(numericColumns: [0, 2, 3, 4])
        writer.writeRow(columns)
        for e in entries {
            writer.writeRow([String(e.year), e.taskCode, String(e.source), Money(grosze: e.plannedGrosze).plain,
                             e.spentGrosze.map { Money(grosze: $0).plain } ?? "", e.note])
        }
        return writer.text
    }
}

import Foundation
