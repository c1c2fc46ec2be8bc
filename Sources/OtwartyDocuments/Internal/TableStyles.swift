/// Automatic styles for tables in `content.xml`.
enum TableStyles {
    /// Paragraph styles for cells are `TCs`/`TCe` (body, start/end aligned) and `THs`/`THe`
    /// (header): short names because they are repeated in every cell of tables that can have
    /// a million cells. Borders are split between neighbouring cells (left+bottom, plus right on the last
    /// column, plus top on the header row) so every line is drawn once, 0.5 pt thin.
    /// Body cells get their style from the column (`table:default-cell-style-name`),
    /// which saves a `table:style-name` attribute on every body cell.
    static let cellStyles: StaticString = """
        <style:style style:name="TCs" style:family="paragraph" style:parent-style-name="Table_20_Contents">\
        <style:paragraph-properties fo:text-align="start"/></style:style>\
        <style:style style:name="TCe" style:family="paragraph" style:parent-style-name="Table_20_Contents">\
        <style:paragraph-properties fo:text-align="end"/></style:style>\
        <style:style style:name="THs" style:family="paragraph" style:parent-style-name="Table_20_Heading">\
        <style:paragraph-properties fo:text-align="start"/></style:style>\
        <style:style style:name="THe" style:family="paragraph" style:parent-style-name="Table_20_Heading">\
        <style:paragraph-properties fo:text-align="end"/></style:style>\
        <style:style style:name="Cell" style:family="table-cell">\
        <style:table-cell-properties fo:padding="0.1cm" fo:border-left="0.5pt solid #000000" \
        fo:border-right="none" fo:border-top="none" fo:border-bottom="0.5pt solid #000000"/></style:style>\
        <style:style style:name="CellLast" style:family="table-cell">\
        <style:table-cell-properties fo:padding="0.1cm" fo:border-left="0.5pt solid #000000" \
        fo:border-right="0.5pt solid #000000" fo:border-top="none" fo:border-bottom="0.5pt solid #000000"/>\
        </style:style>\
        <style:style style:name="HeadCell" style:family="table-cell">\
        <style:table-cell-properties fo:background-color="#e6e6e6" fo:padding="0.1cm" \
        fo:border-left="0.5pt solid #000000" fo:border-right="none" fo:border-top="0.5pt solid #000000" \
        fo:border-bottom="0.5pt solid #000000"/></style:style>\
        <style:style style:name="HeadCellLast" style:family="table-cell">\
        <style:table-cell-properties fo:background-color="#e6e6e6" fo:padding="0.1cm" \
        fo:border="0.5pt solid #000000"/></style:style>
        """

    static func tableStyleName(ordinal: Int) -> String { "Tbl\(ordinal)" }

    static func columnStyleName(ordinal: Int, column: Int) -> String { "Tbl\(ordinal).C\(column + 1)" }

    /// Table style (full text width: 17 cm, 100 %) and one column style per column.
    static func writeTableStyles(for layout: TableLayout, ordinal: Int, pageBreakBefore: Bool,
                                 into out: inout XMLBuffer) {
        out.raw("<style:style style:name=\"")
        out.raw(tableStyleName(ordinal: ordinal))
        out.raw("\" style:family=\"table\"><style:table-properties style:width=\"")
        out.raw(Length.centimetres(TableLayout.tableWidthCm))
        out.raw("\" style:rel-width=\"100%\" table:align=\"margins\"")
        if pageBreakBefore { out.raw(" fo:break-before=\"page\"") }
        out.raw("/></style:style>")
        let absolute = layout.absoluteWidths
        for (column, relative) in layout.relativeWidths.enumerated() {
            out.raw("<style:style style:name=\"")
            out.raw(columnStyleName(ordinal: ordinal, column: column))
            out.raw("\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"")
            out.raw(absolute[column])
            out.raw("\" style:rel-column-width=\"")
            out.raw(relative)
            out.raw("*\"/></style:style>")
        }
    }

    static func writeColumns(for layout: TableLayout, ordinal: Int, into out: inout XMLBuffer) {
        for column in 0..<layout.columnCount {
            out.raw("<table:table-column table:style-name=\"")
            out.raw(columnStyleName(ordinal: ordinal, column: column))
            out.raw(column == layout.columnCount - 1
                ? "\" table:default-cell-style-name=\"CellLast\"/>"
                : "\" table:default-cell-style-name=\"Cell\"/>")
        }
    }
}
