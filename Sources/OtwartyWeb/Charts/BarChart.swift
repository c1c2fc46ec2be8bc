/// A server-rendered bar chart as plain geometry. The template draws it as SVG with Mustache
/// (so every label is escaped like any other text) and shows the same numbers as a table for
/// screen readers and for printing; the SVG itself is `aria-hidden`.
public struct BarChart {
    public struct Bar {
        public var x: String
        public var y: String
        public var width: String
        public var height: String
        public var label: String
        public var labelX: String
        public var valueText: String
        public var valueY: String
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
    /// A horizontal reference line (the target), if any.
    public var lineY: String?
    public var lineLabel: String?
    public var baselineY: String
    public var valueHeading: String
    public var labelHeading: String

    public struct Point {
        public var label: String
        public var value: Double?
        public var valueText: String
    }

    /// Lays out `points` as vertical bars scaled to the largest of the values and the reference line.
    public static func make(id: String, title: String, points: [Point], reference: (value: Double, label: String)? = nil,
                            labelHeading: String, valueHeading: String, width: Int = 640, height: Int = 240) -> BarChart {
        let top = 24.0, bottom = 40.0, left = 8.0, right = 8.0
        let plotHeight = Double(height) - top - bottom
        let maximum = max(points.compactMap(\.value).max() ?? 0, reference?.value ?? 0, 1e-9)
        let slot = (Double(width) - left - right) / Double(max(points.count, 1))
        let barWidth = max(slot * 0.6, 2)
        let baseline = top + plotHeight
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let bars = points.enumerated().map { index, point -> Bar in
            let value = point.value ?? 0
            let h = plotHeight * value / maximum
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            return Bar(x: f(x), y: f(baseline - h), width: f(barWidth), height: f(h), label: point.label,
                       labelX: f(x + barWidth / 2), valueText: point.valueText, valueY: f(max(baseline - h - 4, 12)),
                       isMissing: point.value == nil)
        }
        return BarChart(
            id: id, title: title, width: width, height: height, bars: bars,
            rows: points.map { Row(label: $0.label, value: $0.valueText) },
            lineY: reference.map { f(baseline - plotHeight * $0.value / maximum) }, lineLabel: reference?.label,
            baselineY: f(baseline), valueHeading: valueHeading, labelHeading: labelHeading)
    }
}
