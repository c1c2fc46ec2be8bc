/// Writes the header row and the body rows of a table: the hot loop for large documents.
enum TableBody {
    static func write(_ table: TextTable, layout: TableLayout, into out: inout XMLBuffer) {
        let columnCount = layout.columnCount
        let alignedEnd = layout.columns.map { $0.alignment == .end }

        // Repeated on every page by the reader because it is inside table-header-rows.
        out.raw("<table:table-header-rows><table:table-row>")
        for (column, definition) in layout.columns.enumerated() {
            out.raw(column == columnCount - 1
                ? "<table:table-cell table:style-name=\"HeadCellLast\" office:value-type=\"string\">"
                : "<table:table-cell table:style-name=\"HeadCell\" office:value-type=\"string\">")
            out.raw(alignedEnd[column] ? "<text:p text:style-name=\"THe\">" : "<text:p text:style-name=\"THs\">")
            out.paragraphText(definition.header)
            out.raw("</text:p></table:table-cell>")
        }
        out.raw("</table:table-row></table:table-header-rows>")

        for row in table.rows {
            out.raw("<table:table-row>")
            for column in 0..<columnCount {
                out.raw(alignedEnd[column]
                    ? "<table:table-cell><text:p text:style-name=\"TCe\">"
                    : "<table:table-cell><text:p text:style-name=\"TCs\">")
                if column < row.count { out.paragraphText(row[column]) }
                out.raw("</text:p></table:table-cell>")
            }
            out.raw("</table:table-row>")
        }
    }
}
