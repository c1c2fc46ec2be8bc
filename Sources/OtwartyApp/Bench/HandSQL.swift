import Foundation
import OtwartyCore

/// The floor of `otwarty bench`'s indicator figures: SQL written the way one would by hand to get
/// the same numbers as `IndicatorEngine`, run by the `sqlite3` CLI on the same database file.
/// Written out from the programme's rules (Kraków's 37 distinct rules) rather than typed, so it
/// cannot drift from them; the benchmark checks that it gives the engine's numbers. It spells the
/// `activities` columns itself, on purpose, not through storage's `ActivityColumn`: a floor is SQL
/// as one would type it, and the benchmark's check catches a column it got wrong.
///
/// Two forms, and the faster is the floor:
/// - **one pass**: one SELECT over the year's approved records with a conditional aggregate per
///   rule (`TOTAL(CASE WHEN task_code = '1.1' THEN beneficiaries END)`), then the four results
///   from those columns and `reference_values`;
/// - **per rule**: one small SELECT per rule, each narrowed by the index on
///   (programme_slug, status, task_code, year) — what the engine sends, without the engine.
enum HandSQL {
    /// `task_code = '4.1' AND kind IN ('event') AND (audience_mask & 3) <> 0`, with issue 13's
    /// audience rule for sums of participants of some audiences: a record with a breakdown counts
    /// when it has a part for one of them; one without, only when all its audiences are theirs.
    static func condition(_ rule: MeasureRule) -> String {
        var parts = ["task_code = \(literal(rule.taskCode))"]
        if !rule.kinds.isEmpty {
            parts.append("kind IN (\(rule.kinds.map(\.rawValue).sorted().map(literal).joined(separator: ", ")))")
        }
        if !rule.audiences.isEmpty {
            let inside = Audience.mask(rule.audiences), outside = Audience.mask(Set(Audience.allCases).subtracting(rule.audiences))
            if rule.splitsByAudience {
                parts.append("((breakdown_mask & \(inside)) <> 0 OR (breakdown_mask = 0 AND (audience_mask & \(inside)) <> 0 AND (audience_mask & \(outside)) = 0))")
            } else {
                parts.append("(audience_mask & \(inside)) <> 0")
            }
        }
        return parts.joined(separator: " AND ")
    }

    /// What one record adds to a sum: the column; for a rule of some audiences with a breakdown,
    /// those audiences' parts; for a rule counting people, "of whom new" when the record gave it
    /// and is wholly the rule's (no part outside its audiences), else the attendances.
    static func summand(_ rule: MeasureRule, _ field: ActivityField) -> String {
        let column = switch field {
        case .participants: "participants"
        case .beneficiaries: "beneficiaries"
        case .amount: "amount_grosze"
        }
        var attendances = column
        let outside = Audience.mask(Set(Audience.allCases).subtracting(rule.audiences))
        if rule.splitsByAudience {
            let parts = Audience.allCases.filter(rule.audiences.contains).map { "COALESCE(p_\($0.rawValue), 0)" }
            attendances = "CASE WHEN breakdown_mask <> 0 THEN \(parts.joined(separator: " + ")) ELSE \(column) END"
        }
        guard rule.people, field != .amount else { return attendances }
        let isNew = rule.splitsByAudience ? "(breakdown_mask & \(outside)) = 0 AND participants_new IS NOT NULL" : "participants_new IS NOT NULL"
        return "CASE WHEN \(isNew) THEN participants_new ELSE \(attendances) END"
    }

    /// The rule's aggregate over the rows where `condition` holds (nil: every row of the WHERE).
    static func aggregate(_ rule: MeasureRule, when condition: String?) -> String {
        func only(_ column: String) -> String { condition.map { "CASE WHEN \($0) THEN \(column) END" } ?? column }
        switch rule.aggregate {
        case .count: return condition.map { "COUNT(CASE WHEN \($0) THEN 1 END)" } ?? "COUNT(*)"
        case .sum(.amount): return "TOTAL(\(only("amount_grosze"))) / 100.0"
        case let .sum(field): return "TOTAL(\(only(summand(rule, field))))"
        case .distinctInstitutions: return "COUNT(DISTINCT \(only("institution_key")))"
        }
    }

    static func current(_ key: String, year: String) -> String {
        "(SELECT value FROM reference_values WHERE key = \(literal(key)) AND year = \(year) ORDER BY recorded_at DESC, id DESC LIMIT 1)"
    }

    /// The result columns over the rule columns `r0…` of a row that has a `year` column.
    static func resultColumns(_ programme: Programme, rules: [MeasureRule]) -> [String] {
        programme.results.compactMap { result in
            guard let rule = result.rule, let column = rules.firstIndex(of: rule.rule) else { return nil }
            let numerator = "\(rule.scale) * r\(column)"
            return rule.denominator.map { "\(numerator) / \(current($0, year: "a.year"))" } ?? numerator
        }
    }

    /// One statement, one row per year: `year|r0|…|r36|res0|…|res3`.
    static func onePass(_ programme: Programme, years: ClosedRange<Int>) -> String {
        let rules = programme.distinctRules
        let columns = rules.enumerated().map { i, rule in "\(aggregate(rule, when: condition(rule))) AS r\(i)" }
        return """
            WITH a AS (
              SELECT year, \(columns.joined(separator: ",\n    "))
              FROM activities
              WHERE programme_slug = \(literal(programme.slug)) AND status = 'approved'
                AND year BETWEEN \(years.lowerBound) AND \(years.upperBound)
              GROUP BY year)
            SELECT year, \((rules.indices.map { "r\($0)" } + resultColumns(programme, rules: rules)).joined(separator: ", "))
            FROM a ORDER BY year;

            """
    }

    /// One statement per rule (grouped by year), then the reference values.
    static func perRule(_ programme: Programme, years: ClosedRange<Int>) -> String {
        var script = ""
        for (i, rule) in programme.distinctRules.enumerated() {
            script += """
                SELECT 'r\(i)', year, \(aggregate(rule, when: nil)) FROM activities
                WHERE programme_slug = \(literal(programme.slug)) AND status = 'approved' AND \(condition(rule))
                  AND year BETWEEN \(years.lowerBound) AND \(years.upperBound) GROUP BY year;

                """
        }
        let keys = Set(programme.results.compactMap { $0.rule?.denominator }).sorted()
        for key in keys {
            for year in years { script += "SELECT \(literal(key)), \(year), \(current(key, year: String(year)));\n" }
        }
        return script
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Reads `onePass` output (`sqlite3` list mode, `|`-separated) into year → (rule values, result values).
    static func parseOnePass(_ output: String, rules: Int) -> [Int: (rules: [Double], results: [Double?])] {
        var parsed: [Int: (rules: [Double], results: [Double?])] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard let year = Int(cells[0]), cells.count > rules else { continue }
            parsed[year] = (cells[1...rules].map { Double($0) ?? .nan }, cells[(rules + 1)...].map { Double($0) })
        }
        return parsed
    }
}
