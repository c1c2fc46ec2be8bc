import Foundation
import OtwartyCore

/// The open-data files: indicator values, public events and the IATI-style results, in the
/// shapes docs/open-data.md documents (and openapi.yaml describes for the JSON ones).
enum OpenDataFiles {
    static func number(_ value: Double) -> String { ExportController.number(value) }

    // MARK: Indicators

    static let indicatorColumns = ["year", "type", "code", "goal", "task", "name", "value", "target", "baseline",
                                   "achievement", "weight", "reason"]

    struct IndicatorRow: Encodable {
        var year: Int
        var type: String
        var code: String
        // Explicit nulls: a value that cannot be computed is `null`, not missing.
        @Nullable var goal: Int?
        @Nullable var task: String?
        var name: String
        @Nullable var value: Double?
        @Nullable var target: Double?
        @Nullable var baseline: Double?
        @Nullable var achievement: Double?
        @Nullable var weight: Double?
        @Nullable var reason: String?
    }

    static func indicatorRows(_ report: IndicatorReport, year: Int) -> [IndicatorRow] {
        report.measures.map {
            IndicatorRow(year: year, type: "measure", code: $0.code, goal: nil, task: $0.taskCode, name: $0.name, value: $0.value,
                         target: nil, baseline: nil, achievement: nil, weight: nil, reason: $0.reason)
        } + report.results.map {
            IndicatorRow(year: year, type: "result", code: "R\($0.goal)", goal: $0.goal, task: nil, name: $0.indicator, value: $0.actual,
                         target: $0.target.value, baseline: $0.baseline.value, achievement: $0.achievement, weight: $0.weight,
                         reason: $0.reason)
        } + [IndicatorRow(year: year, type: "index", code: "INDEX", goal: nil, task: nil, name: "weighted index", value: report.index,
                          target: nil, baseline: nil, achievement: nil, weight: 1, reason: nil)]
    }

    static func indicatorsCSV(_ rows: [IndicatorRow]) -> String {
        var writer = CSVWriter(byteOrderMark: true, numericColumns: [0, 3, 6, 7, 8, 9, 10])
        writer.writeRow(indicatorColumns)
        for r in rows {
            writer.writeRow([String(r.year), r.type, r.code, r.goal.map(String.init) ?? "", r.task ?? "", r.name,
                             r.value.map(number) ?? "", r.target.map(number) ?? "", r.baseline.map(number) ?? "",
                             r.achievement.map(number) ?? "", r.weight.map(number) ?? "", r.reason ?? ""])
        }
        return writer.text
    }

    // MARK: Public events

    static let eventColumns = ["id", "start_date", "end_date", "task", "kind", "title", "district", "languages", "organisation",
                               "participants"]

    struct EventRow: Encodable {
        var id: Int64
        var startDate: String
        @Nullable var endDate: String?
        var task: String
        var kind: String
        var title: String
        @Nullable var district: Int?
        var languages: [String]
        var organisation: String
        @Nullable var participants: Int?
    }

    static func eventRows(_ records: [ActivityRecord], names: [OrganisationID: String]) -> [EventRow] {
        records.map {
            EventRow(id: $0.id, startDate: $0.startDate.description, endDate: $0.endDate?.description, task: $0.taskCode,
                     kind: $0.kind.rawValue, title: $0.title, district: $0.district?.number, languages: $0.languages,
                     organisation: names[$0.organisationID] ?? "", participants: $0.participants)
        }
    }

    static func eventsCSV(_ rows: [EventRow]) -> String {
        var writer = CSVWriter(byteOrderMark: true, numericColumns: [0, 6, 9])
        writer.writeRow(eventColumns)
        for r in rows {
            writer.writeRow([String(r.id), r.startDate, r.endDate ?? "", r.task, r.kind, r.title, r.district.map(String.init) ?? "",
                             r.languages.joined(separator: ";"), r.organisation, r.participants.map(String.init) ?? ""])
        }
        return writer.text
    }

    // MARK: Programme tasks

    static func tasksCSV(_ programme: Programme) -> String {
        var writer = CSVWriter(byteOrderMark: true, numericColumns: [0])
        writer.writeRow(["goal", "task", "title", "deadline", "measures", "products", "implementers", "partners"])
        for goal in programme.goals {
            for t in goal.tasks {
                writer.writeRow([String(goal.number), t.code, t.title, t.deadline?.description ?? "continuous",
                                 t.measures.map(\.name).joined(separator: "; "), t.products.joined(separator: "; "),
                                 t.implementers.joined(separator: "; "), t.partners.joined(separator: "; ")])
            }
        }
        return writer.text
    }

    // MARK: IATI

    /// The results declaration as IATI 2.03 results: result (outcome) → indicator → baseline →
    /// a period per year with its target and actual value.
    static func iati(_ programme: Programme, reports: [Int: IndicatorReport], generated: Date) -> String {
        func esc(_ text: String) -> String { ChartSVG.escape(text) }
        let iso = ISO8601DateFormatter()
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<iati-activities version=\"2.03\" generated-datetime=\"\(iso.string(from: generated))\">\n"
        x += "  <iati-activity default-currency=\"PLN\" xml:lang=\"\(esc(programme.language))\">\n"
        x += "    <iati-identifier>PL-KRK-\(esc(programme.slug))</iati-identifier>\n"
        x += "    <reporting-org ref=\"PL-KRK\" type=\"10\"><narrative>Gmina Miejska Kraków</narrative></reporting-org>\n"
        x += "    <title><narrative>\(esc(programme.title))</narrative></title>\n"
        x += "    <description><narrative>\(esc(programme.mainGoal))</narrative></description>\n"
        x += "    <activity-status code=\"2\"/>\n"
        x += "    <activity-date type=\"1\" iso-date=\"\(programme.period.from)-01-01\"/>\n"
        x += "    <activity-date type=\"3\" iso-date=\"\(programme.period.to)-12-31\"/>\n"
        for result in programme.results {
            x += "    <result type=\"2\" aggregation-status=\"0\">\n"
            x += "      <title><narrative>\(esc("Cel \(result.goal)"))</narrative></title>\n"
            let ascending = result.target.comparison == .atMost ? "0" : "1"
            let measure = result.unit == .percent ? "2" : "1"
            x += "      <indicator measure=\"\(measure)\" ascending=\"\(ascending)\">\n"
            x += "        <title><narrative>\(esc(result.indicator))</narrative></title>\n"
            x += "        <baseline year=\"\(result.baseline.year)\" value=\"\(number(result.baseline.value))\"/>\n"
            for year in reports.keys.sorted() {
                let actual = reports[year]?.results.first { $0.goal == result.goal }?.actual
                x += "        <period>\n"
                x += "          <period-start iso-date=\"\(year)-01-01\"/>\n"
                x += "          <period-end iso-date=\"\(year)-12-31\"/>\n"
                x += "          <target value=\"\(number(result.target.value))\"/>\n"
                if let actual { x += "          <actual value=\"\(number(actual))\"/>\n" }
                x += "        </period>\n"
            }
            x += "      </indicator>\n    </result>\n"
        }
        x += "  </iati-activity>\n</iati-activities>\n"
        return x
    }
}
