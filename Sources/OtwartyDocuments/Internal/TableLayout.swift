/// The columns actually written for a ``TextTable`` and their widths.
///
/// Callers may pass rows that do not match the column list; the layout fixes the column set
/// once so every row can be padded or trimmed to it.
struct TableLayout {
    /// Width of the text area of an A4 page with 2 cm margins.
    static let tableWidthCm = 17.0
    /// LibreOffice expresses relative column widths as parts of 65535; using the same scale
    /// keeps its import from rescaling.
    static let relativeScale = 65_535

    let columns: [TextTable.Column]

    init(_ table: TextTable) {
        if table.columns.isEmpty {
            let widest = table.rows.map(\.count).max() ?? 0
            columns = Array(repeating: TextTable.Column(header: ""), count: widest)
        } else {
            columns = table.columns
        }
    }

    var columnCount: Int { columns.count }

    /// Relative widths scaled so they add up to exactly `relativeScale`, each at least 1.
    /// Rounding error goes to the widest column, where it is least visible.
    var relativeWidths: [Int] {
        let weights = columns.map { max(1, min($0.relativeWidth, 1_000_000)) }
        let total = weights.reduce(0, +)
        guard total > 0, let widest = weights.indices.max(by: { weights[$0] < weights[$1] }) else { return [] }
        var widths = weights.map { max(1, $0 * Self.relativeScale / total) }
        widths[widest] += Self.relativeScale - widths.reduce(0, +)
        return widths
    }

    var absoluteWidths: [String] {
        relativeWidths.map { Length.centimetres(Self.tableWidthCm * Double($0) / Double(Self.relativeScale)) }
    }
}
