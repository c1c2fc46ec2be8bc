/// A server-rendered bar chart as plain geometry. The template draws it as SVG with Mustache
/// (so every label is escaped like any other text) and shows the same numbers as a table for
/// screen readers and for printing; the SVG itself is `aria-hidden`.
///
/// Nothing may overlap, at the chart's own width or shrunk onto a 390 px phone: labels longer
/// than their bar's slot wrap onto a second line and are then shortened with "…" (the table
/// beside the chart keeps them whole); a chart with many bars (the 18 districts) lies on its side,
/// one row per bar with its label on the left, so each label has the chart's full height to
/// itself; the target line's label is a legend above the plot, not a text beside the line where
/// bars' values would run into it; values carry a white halo, so the dashed line passing behind
/// one does not cross it out.
public struct BarChart {
    public struct Line {
        public var text: String
        public var x: String
        public var y: String
    }

    public struct Bar {
        public var x: String
        public var y: String
        public var width: String
        public var height: String
        public var label: String
        /// The label as drawn: one or two lines, perhaps shortened.
        public var labelLines: [Line]
        public var labelAnchor: String
        public var valueText: String
        public var valueX: String
        public var valueY: String
        public var valueAnchor: String
        /// The value is written inside the top of its bar (white on the bar's colour), where the
        /// target line would otherwise run through it.
        public var valueInside: Bool = false
        /// No value to draw (e.g. not computable): the bar has no height and the template marks it.
        public var isMissing: Bool
    }

    public struct Row {
        public var label: String
        public var value: String
    }

    public var id: String
    public var title: String
    public var width: Int
    public var height: Int
    public var bars: [Bar]
    public var rows: [Row]
    /// Bars lie on their side (one row each), for charts with many bars.
    public var isHorizontal: Bool
    /// The axis the bars stand on: a horizontal line (`x1…x2` at `y1`) or, on its side, a vertical one.
    public var axisX1: String
    public var axisY1: String
    public var axisX2: String
    public var axisY2: String
    /// The reference line (the target), if any: from (x1, y1) to (x2, y2).
    public var target: Segment?
    public var lineLabel: String?
    /// Where the legend naming the reference line is drawn (above the plot).
    public var legend: Legend?
    public var valueHeading: String
    public var labelHeading: String

    public struct Segment {
        public var x1: String
        public var y1: String
        public var x2: String
        public var y2: String
    }

    public struct Legend {
        public var sample: Segment
        public var textX: String
        public var textY: String
    }

    public struct Point {
        public var label: String
        public var value: Double?
        public var valueText: String
        /// What the data table says for this point, when it differs from the bar's label
        /// (e.g. "2026 (year in progress)" under a bar labelled "2026").
        public var rowLabel: String?
        /// What the data table says for the value, when it differs from the text above the bar.
        public var rowValue: String?

        public init(label: String, value: Double?, valueText: String, rowLabel: String? = nil, rowValue: String? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.rowLabel = rowLabel
            self.rowValue = rowValue
        }
    }

    /// Text metrics without a font: the charts' 12 px sans-serif averages under 7 px a character
    /// (DejaVu Sans, the widest of the fonts a page may fall back to, is about 6.9 px).
    static let characterWidth = 7.0
    static let lineHeight = 14.0
    /// More bars than this and the chart lies on its side.
    static let maxUprightBars = 8

    /// Lays out `points` as bars scaled to the largest of the values and the reference line.
    public static func make(id: String, title: String, points: [Point], reference: (value: Double, label: String)? = nil,
                            labelHeading: String, valueHeading: String, width: Int = 640, height: Int = 240) -> BarChart {
        let rows = points.map { Row(label: $0.rowLabel ?? $0.label, value: $0.rowValue ?? $0.valueText) }
        var chart = points.count > maxUprightBars
            ? sideways(points: points, reference: reference, width: width)
            : upright(points: points, reference: reference, width: width, height: height)
        chart.id = id
        chart.title = title
        chart.rows = rows
        chart.labelHeading = labelHeading
        chart.valueHeading = valueHeading
        return chart
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func textWidth(_ text: String) -> Double { Double(text.count) * characterWidth }

    /// `text` in at most `maxLines` lines of at most `width` points, broken at spaces; what does
    /// not fit ends in "…".
    static func wrap(_ text: String, width: Double, maxLines: Int = 2) -> [String] {
        let perLine = max(Int(width / characterWidth), 2)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.count <= perLine {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] += "…"
        }
        return lines.map { $0.count <= perLine ? $0 : String($0.prefix(perLine - 1)) + "…" }
    }

    /// The legend strip above the plot: a dashed sample and the reference's label.
    static func legend(left: Double) -> Legend {
        Legend(sample: Segment(x1: f(left), y1: f(10), x2: f(left + 20), y2: f(10)), textX: f(left + 26), textY: f(14))
    }

    static func upright(points: [Point], reference: (value: Double, label: String)?, width: Int, height: Int) -> BarChart {
        let left = 8.0, right = 8.0
        let top = reference == nil ? 22.0 : 40.0
        let slot = (Double(width) - left - right) / Double(max(points.count, 1))
        let labels = points.map { wrap($0.label, width: slot - 4) }
        let lines = Double(labels.map(\.count).max() ?? 1)
        let bottom = 8 + lines * lineHeight
        let plotHeight = Double(height) - top - bottom
        let maximum = max(points.compactMap(\.value).max() ?? 0, reference?.value ?? 0, 1e-9)
        let barWidth = max(slot * 0.6, 2)
        let baseline = top + plotHeight
        let lineY = reference.map { baseline - plotHeight * $0.value / maximum }
        let bars = points.enumerated().map { index, point -> Bar in
            let h = plotHeight * (point.value ?? 0) / maximum
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            let centre = x + barWidth / 2
            // The value stands above its bar, unless the target line would cross it there: then
            // inside the bar's top when the bar is tall enough, else just above the line.
            var valueY = max(baseline - h - 4, top - 4)
            var inside = false
            if let lineY, valueY - 11 < lineY, lineY < valueY + 3 {
                if h >= 20 { valueY = baseline - h + 14; inside = true } else { valueY = lineY - 4 }
            }
            var bar = Bar(x: f(x), y: f(baseline - h), width: f(barWidth), height: f(h), label: point.label,
                       labelLines: labels[index].enumerated().map { i, text in
                           Line(text: text, x: f(centre), y: f(baseline + lineHeight + Double(i) * lineHeight))
                       },
                       labelAnchor: "middle", valueText: point.valueText, valueX: f(centre),
                       valueY: f(valueY), valueAnchor: "middle", isMissing: point.value == nil)
            bar.valueInside = inside
            return bar
        }
        return BarChart(
            id: "", title: "", width: width, height: height, bars: bars, rows: [], isHorizontal: false,
            axisX1: "0", axisY1: f(baseline), axisX2: String(width), axisY2: f(baseline),
            target: lineY.map { Segment(x1: "0", y1: f($0), x2: String(width), y2: f($0)) }, lineLabel: reference?.label,
            legend: reference.map { _ in legend(left: left) }, valueHeading: "", labelHeading: "")
    }

    static func sideways(points: [Point], reference: (value: Double, label: String)?, width: Int) -> BarChart {
        let rowHeight = 22.0, right = 8.0
        let top = reference == nil ? 8.0 : 30.0
        let labelWidth = min(points.map { textWidth($0.label) }.max() ?? 0, Double(width) * 0.35) + 6
        let valueWidth = (points.map { textWidth($0.valueText) }.max() ?? 0) + 8
        let start = labelWidth + 4
        let plotWidth = max(Double(width) - start - valueWidth - right, 10)
        let maximum = max(points.compactMap(\.value).max() ?? 0, reference?.value ?? 0, 1e-9)
        let barHeight = rowHeight * 0.65
        let height = Int((top + rowHeight * Double(points.count) + 8).rounded(.up))
        let bars = points.enumerated().map { index, point -> Bar in
            let w = plotWidth * (point.value ?? 0) / maximum
            let y = top + rowHeight * Double(index) + (rowHeight - barHeight) / 2
            let middle = y + barHeight / 2 + 4
            return Bar(x: f(start), y: f(y), width: f(w), height: f(barHeight), label: point.label,
                       labelLines: [Line(text: wrap(point.label, width: labelWidth, maxLines: 1).first ?? "", x: f(labelWidth), y: f(middle))],
                       labelAnchor: "end", valueText: point.valueText, valueX: f(start + w + 4), valueY: f(middle),
                       valueAnchor: "start", isMissing: point.value == nil)
        }
        let bottom = top + rowHeight * Double(points.count)
        let lineX = reference.map { f(start + plotWidth * $0.value / maximum) }
        return BarChart(
            id: "", title: "", width: width, height: height, bars: bars, rows: [], isHorizontal: true,
            axisX1: f(start), axisY1: f(top), axisX2: f(start), axisY2: f(bottom),
            target: lineX.map { Segment(x1: $0, y1: f(top - 4), x2: $0, y2: f(bottom)) }, lineLabel: reference?.label,
            legend: reference.map { _ in legend(left: 8) }, valueHeading: "", labelHeading: "")
    }
}
