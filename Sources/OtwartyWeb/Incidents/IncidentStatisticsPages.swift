import OtwartyCore
import OtwartySuppression

/// Public incident statistics for a year: every figure already suppressed.
public enum IncidentStatisticsShow {
    public static let template = "incident-statistics"
    public struct Model {
        public var page: PageChrome
        public var year: Int
        public var years: [DashboardShow.YearLink]
        public var lists: [ListTable]
        public var odihr: Matrix
        public var threshold: Int
        public var suppressedLabel: String
        public var csvHref: String
        public var odihrHref: String
        public var apiHref: String
        public var reportHref: String
    }

    public struct ListTable {
        public var id: String
        public var caption: String
        public var keyHeading: String
        public var rows: [DirectoryRow]
        public var totalLabel: String
        public var total: String
    }

    public struct DirectoryRow {
        public var label: String
        public var value: String
    }

    public struct Matrix {
        public var columns: [String]
        public var rows: [MatrixRow]
        public var columnTotals: [String]
        public var grandTotal: String
    }

    public struct MatrixRow {
        public var label: String
        public var cells: [String]
        public var total: String
    }
}

/// Labels and shapes shared by the page, the CSV files and the API.
struct IncidentStatisticsPresenter {
    let statistics: IncidentStatistics
    let language: String
    let localiser: Localiser

    func t(_ key: String) -> String { localiser.text(key, language) }
    var suppressed: String { t("statistics.suppressed") }

    func show(_ count: PublishedCount) -> String {
        count.exactValue.map(String.init) ?? suppressed
    }

    func label(list: String, key: String) -> String {
        switch list {
        case "month": return t("statistics.month.\(key)")
        case "district":
            if key == "unknown" { return t("statistics.district-unknown") }
            return Int(key).flatMap(District.init(number:))?.label ?? key
        case "category": return t("incident.category.\(key)")
        default: return t("incident.motivation.\(key)")
        }
    }

    var lists: [(id: String, heading: String, list: IncidentStatistics.List, total: String)] {
        [("month", t("statistics.by-month"), statistics.byMonth, t("statistics.total-cases")),
         ("district", t("statistics.by-district"), statistics.byDistrict, t("statistics.total-cases")),
         ("category", t("statistics.by-category"), statistics.byCategory, t("statistics.total-cases")),
         ("motivation", t("statistics.by-motivation"), statistics.byMotivation, t("statistics.total-mentions"))]
    }

    func tables() -> [IncidentStatisticsShow.ListTable] {
        lists.map { id, heading, list, total in
            .init(id: id, caption: "\(heading) \(statistics.year)", keyHeading: t("statistics.key.\(id)"),
                  rows: zip(list.keys, list.cells).map { .init(label: label(list: id, key: $0), value: show($1)) },
                  totalLabel: total, total: show(list.total))
        }
    }

    func matrix() -> IncidentStatisticsShow.Matrix {
        let m = statistics.odihr
        return .init(columns: m.columnLabels.map { t("incident.category.\($0)") },
                     rows: m.rowLabels.enumerated().map { i, key in
                         .init(label: t("incident.motivation.\(key)"), cells: m.cells[i].map(show), total: show(m.rowTotals[i]))
                     },
                     columnTotals: m.columnTotals.map(show), grandTotal: show(m.grandTotal))
    }

    /// `list,key,label,count` with the suppressed label where hidden: one file for all tables.
    func csv() -> String {
        var writer = CSVWriter(byteOrderMark: true, numericColumns: [0, 4])
        writer.writeRow(["year", "table", "key", "label", "count"])
        for (id, _, list, _) in lists {
            for (key, cell) in zip(list.keys, list.cells) {
                writer.writeRow([String(statistics.year), id, key, label(list: id, key: key), show(cell)])
            }
            writer.writeRow([String(statistics.year), id, "total", t(id == "motivation" ? "statistics.total-mentions" : "statistics.total-cases"), show(list.total)])
        }
        return writer.text
    }

    /// Bias motivation × type of incident, as OSCE/ODIHR's hate-crime data call asks for it.
    func odihrCSV() -> String {
        let m = statistics.odihr
        var writer = CSVWriter(byteOrderMark: true, numericColumns: Set(0..<64).subtracting([1]))
        writer.writeRow(["year", "bias_motivation"] + m.columnLabels + ["total"])
        for (i, key) in m.rowLabels.enumerated() {
            writer.writeRow([String(statistics.year), key] + m.cells[i].map(show) + [show(m.rowTotals[i])])
        }
        writer.writeRow([String(statistics.year), "total"] + m.columnTotals.map(show) + [show(m.grandTotal)])
        return writer.text
    }
}
