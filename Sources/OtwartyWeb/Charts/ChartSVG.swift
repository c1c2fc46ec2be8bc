/// A bar chart as a standalone SVG file (for the ODT, which cannot use the page's stylesheet):
/// the same geometry as the HTML chart, with colours as attributes and every text escaped.
enum ChartSVG {
    static func file(_ chart: BarChart) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(chart.width) \(chart.height)\" "
        s += "width=\"\(chart.width)\" height=\"\(chart.height)\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"11\">\n"
        s += "<title>\(escape(chart.title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(chart.width)\" height=\"\(chart.height)\" fill=\"#ffffff\"/>\n"
        s += "<line x1=\"0\" y1=\"\(chart.baselineY)\" x2=\"\(chart.width)\" y2=\"\(chart.baselineY)\" stroke=\"#333333\"/>\n"
        for bar in chart.bars {
            let fill = bar.isMissing ? "#bbbbbb" : "#1d4e89"
            s += "<rect x=\"\(bar.x)\" y=\"\(bar.y)\" width=\"\(bar.width)\" height=\"\(bar.height)\" fill=\"\(fill)\"/>\n"
            s += "<text x=\"\(bar.labelX)\" y=\"\(bar.valueY)\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(escape(bar.valueText))</text>\n"
            // Positions are absolute: LibreOffice ignores `dy` in imported SVG.
            s += "<text x=\"\(bar.labelX)\" y=\"\(offset(chart.baselineY, 16))\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(escape(bar.label))</text>\n"
        }
        if let lineY = chart.lineY {
            s += "<line x1=\"0\" y1=\"\(lineY)\" x2=\"\(chart.width)\" y2=\"\(lineY)\" stroke=\"#8a1c1c\" stroke-dasharray=\"6 4\"/>\n"
            if let label = chart.lineLabel {
                s += "<text x=\"\(chart.width)\" y=\"\(offset(lineY, -4))\" text-anchor=\"end\" fill=\"#8a1c1c\">\(escape(label))</text>\n"
            }
        }
        s += "</svg>\n"
        return Array(s.utf8)
    }

    static func offset(_ coordinate: String, _ by: Double) -> String {
        String(format: "%.1f", (Double(coordinate) ?? 0) + by)
    }

    static func escape(_ text: String) -> String { TextEscaping.escape(text, .xml) }
}
