/// The police statistics file: UTF-8 CSV with the header `year,district,offence_category,count`
/// (`district` 1–18, or empty for the whole city / unknown). All or nothing, every problem named
/// by row and column, like every import in Otwarty.
public enum PoliceStatisticsCSV {
    public static let columns = ["year", "district", "offence_category", "count"]
    public static let maxRows = 50_000

    public enum ParseResult: Sendable {
        case rows([PoliceStatistic])
        case problems([String])
    }

    public static func parse(_ text: String) -> ParseResult {
        let records: [CSVRecord]
        do { records = try CSVReader.records(text) } catch { return .problems([String(describing: error)]) }
        guard let header = records.first else { return .problems(["the file is empty; expected the header \(columns.joined(separator: ","))"]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [String] = []
        for name in names where !columns.contains(name) { problems.append("\(name): is not a column (expected \(columns.joined(separator: ", ")))") }
        for name in columns where !names.contains(name) { problems.append("\(name): the column is missing") }
        if records.count - 1 > maxRows { problems.append("at most \(maxRows) rows in one file") }
        guard problems.isEmpty else { return .problems(problems) }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [PoliceStatistic] = []
        var seen: [String: Int] = [:]
        for (offset, record) in records.dropFirst().enumerated() where !record.isBlank {
            let row = offset + 1
            func cell(_ name: String) -> String {
                guard let i = index[name], i < record.count else { return "" }
                return record[i].trimmingCharacters(in: .whitespaces)
            }
            var ok = true
            let year = NumberRange.year.int(cell("year"))
            if year == nil || !(1990...2100).contains(year!) { problems.append("row \(row), year: \"\(cell("year"))\" is not a year"); ok = false }
            var district: District?
            if !cell("district").isEmpty {
                district = NumberRange.district.int(cell("district")).flatMap(District.init(number:))
                if district == nil { problems.append("row \(row), district: \"\(cell("district"))\" is not a district number 1–18"); ok = false }
            }
            let category = cell("offence_category")
            if category.isEmpty || category.count > 200 {
                problems.append("row \(row), offence_category: give the offence category (at most 200 characters)"); ok = false
            }
            // Bounded, so the sums per district and year cannot overflow (NumberRange.count).
            let count = NumberRange.count.int(cell("count"))
            if count == nil { problems.append("row \(row), count: \"\(cell("count").prefix(40))\" is not a whole number from 0 to \(NumberRange.count.bounds.upperBound)"); ok = false }
            guard ok, let year, let count else { continue }
            let key = "\(year)|\(district?.number ?? 0)|\(category.lowercased())"
            if let first = seen[key] {
                problems.append("row \(row): repeats row \(first) (same year, district and category)")
                continue
            }
            seen[key] = row
            rows.append(PoliceStatistic(year: year, district: district, offenceCategory: category, count: count))
        }
        if problems.isEmpty && rows.isEmpty { problems.append("the file has a header but no rows") }
        return problems.isEmpty ? .rows(rows) : .problems(problems)
    }
}

import Foundation
