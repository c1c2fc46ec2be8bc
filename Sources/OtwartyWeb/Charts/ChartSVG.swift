/// A bar chart as a standalone SVG file (for the ODT, which cannot use the page's stylesheet):
/// the same geometry as the HTML chart, with colours as attributes and every text escaped.
enum ChartSVG {
    static func file(_ chart: BarChart) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(chart.width) \(chart.height)\" "
        s += "width=\"\(chart.width)\" height=\"\(chart.height)\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"11\">\n"
        s += "<title>\(escape(chart.title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(chart.width)\" height=\"\(chart.height)\" fill=\"#ffffff\"/>\n"
        if let t = chart.target {
            s += "<line x1=\"\(t.x1)\" y1=\"\(t.y1)\" x2=\"\(t.x2)\" y2=\"\(t.y2)\" stroke=\"#8a1c1c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
        }
        for bar in chart.bars {
            let fill = bar.isMissing ? "#bbbbbb" : "#1d4e89"
            s += "<rect x=\"\(bar.x)\" y=\"\(bar.y)\" width=\"\(bar.width)\" height=\"\(bar.height)\" fill=\"\(fill)\"/>\n"
            // No white halo here as on the page: LibreOffice ignores `paint-order` and would paint the stroke over the text.
            s += "<text x=\"\(bar.valueX)\" y=\"\(bar.valueY)\" text-anchor=\"\(bar.valueAnchor)\" fill=\"\(bar.valueInside ? "#ffffff" : "#1a1a1a")\">\(escape(bar.valueText))</text>\n"
            // Positions are absolute: LibreOffice ignores `dy` in imported SVG.
            for line in bar.labelLines {
                s += "<text x=\"\(line.x)\" y=\"\(line.y)\" text-anchor=\"\(bar.labelAnchor)\" fill=\"#1a1a1a\">\(escape(line.text))</text>\n"
            }
        }
        s += "<line x1=\"\(chart.axisX1)\" y1=\"\(chart.axisY1)\" x2=\"\(chart.axisX2)\" y2=\"\(chart.axisY2)\" stroke=\"#333333\"/>\n"
        if let legend = chart.legend, let label = chart.lineLabel {
            let l = legend.sample
            s += "<line x1=\"\(l.x1)\" y1=\"\(l.y1)\" x2=\"\(l.x2)\" y2=\"\(l.y2)\" stroke=\"#8a1c1c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            s += "<text x=\"\(legend.textX)\" y=\"\(legend.textY)\" fill=\"#8a1c1c\">\(escape(label))</text>\n"
        }
        s += "</svg>\n"
        return Array(s.utf8)
    }

    static func escape(_ text: String) -> String { TextEscaping.escape(text, .xml) }
}
