/// Writes `content.xml`: automatic styles that depend on the document, then the body.
struct ContentXML {
    private let document: TextDocument
    private let plan: ContentPlan
    private var out: XMLBuffer

    init(document: TextDocument, plan: ContentPlan) {
        self.document = document
        self.plan = plan
        out = XMLBuffer(capacity: Self.estimatedSize(of: document))
    }

    static func render(_ document: TextDocument, plan: ContentPlan) -> [UInt8] {
        var writer = ContentXML(document: document, plan: plan)
        writer.writeDocument()
        return writer.out.bytes
    }

    /// Generous estimate so the buffer is allocated once even for very large tables:
    /// the text itself (plus room for escapes) and the markup around each row (35 bytes)
    /// and cell (75 bytes); a reallocation of a 100 MB buffer would copy it all.
    static func estimatedSize(of document: TextDocument) -> Int {
        var size = 8_192
        for block in document.blocks {
            switch block {
            case .table(let table):
                let columns = max(TableLayout(table).columnCount, 1)
                size += 512 + columns * 160 + table.rows.count * (40 + columns * 80)
                for row in table.rows {
                    for cell in row.prefix(columns) { size += cell.utf8.count + cell.utf8.count / 8 }
                }
            case .bulletList(let items):
                size += items.reduce(128) { $0 + $1.utf8.count + 96 }
            case .heading(_, let text), .title(let text), .subtitle(let text),
                 .paragraph(let text), .note(let text):
                size += text.utf8.count + text.utf8.count / 8 + 96
            case .image(let image):
                size += 1_024 + image.description.utf8.count * 2
            case .pageBreak:
                size += 64
            }
        }
        return size
    }

    private mutating func writeDocument() {
        out.raw(Namespaces.xmlDeclaration)
        out.raw("<office:document-content")
        out.raw(Namespaces.declarations)
        out.raw(" office:version=\"")
        out.raw(Namespaces.odfVersion)
        out.raw("\">")
        writeAutomaticStyles()
        out.raw("<office:body><office:text>")
        for (index, block) in document.blocks.enumerated() {
            write(block, at: index)
        }
        if !document.blocks.contains(where: ContentPlan.writesOutput) && plan.emptyBreakParagraphs.isEmpty {
            // An empty office:text is valid, but some readers expect at least one paragraph.
            out.raw("<text:p text:style-name=\"Standard\"/>")
        }
        out.raw("</office:text></office:body></office:document-content>")
    }

    // MARK: - Automatic styles

    private mutating func writeAutomaticStyles() {
        out.raw("<office:automatic-styles>")
        for parent in plan.breakParents {
            out.raw("<style:style style:name=\"")
            out.raw(ParagraphStyle.pageBreakVariant(of: parent))
            out.raw("\" style:family=\"paragraph\" style:parent-style-name=\"")
            out.raw(parent)
            out.raw("\"><style:paragraph-properties fo:break-before=\"page\"/></style:style>")
        }
        out.raw(TableStyles.cellStyles)
        for (index, block) in document.blocks.enumerated() {
            guard case .table(let table) = block, let info = plan.tables[index] else { continue }
            let breakOnTable = plan.breakBefore.contains(index) && table.caption == nil
            TableStyles.writeTableStyles(for: TableLayout(table), ordinal: info.ordinal,
                                         pageBreakBefore: breakOnTable, into: &out)
        }
        out.raw("""
            <style:style style:name="fr1" style:family="graphic" style:parent-style-name="Graphics">\
            <style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline"/>\
            </style:style>
            """)
        out.raw("</office:automatic-styles>")
    }

    // MARK: - Blocks

    private mutating func write(_ block: TextBlock, at index: Int) {
        let pageBreak = plan.breakBefore.contains(index)
        switch block {
        case .heading(let level, let text):
            let clamped = ParagraphStyle.clampedHeadingLevel(level)
            out.raw("<text:h text:style-name=\"")
            out.raw(styleName(ParagraphStyle.heading(level: clamped), pageBreak: pageBreak))
            out.raw("\" text:outline-level=\"")
            out.raw(clamped)
            out.raw("\">")
            out.paragraphText(text)
            out.raw("</text:h>")
        case .title(let text):
            paragraph(text, style: ParagraphStyle.title, pageBreak: pageBreak)
        case .subtitle(let text):
            paragraph(text, style: ParagraphStyle.subtitle, pageBreak: pageBreak)
        case .paragraph(let text):
            paragraph(text, style: ParagraphStyle.body, pageBreak: pageBreak)
        case .note(let text):
            paragraph(text, style: ParagraphStyle.note, pageBreak: pageBreak)
        case .bulletList(let items):
            writeList(items, pageBreak: pageBreak)
        case .table(let table):
            if let info = plan.tables[index] {
                writeTable(table, name: info.name, ordinal: info.ordinal, pageBreak: pageBreak)
            }
        case .image(let image):
            if let info = plan.images[index] {
                writeImage(image, path: info.path, frameNumber: info.frame, pageBreak: pageBreak)
            }
        case .pageBreak:
            if plan.emptyBreakParagraphs.contains(index) {
                out.raw("<text:p text:style-name=\"")
                out.raw(ParagraphStyle.pageBreakVariant(of: ParagraphStyle.standard))
                out.raw("\"/>")
            }
        }
    }

    private func styleName(_ style: String, pageBreak: Bool) -> String {
        pageBreak ? ParagraphStyle.pageBreakVariant(of: style) : style
    }

    private mutating func paragraph(_ text: String, style: String, pageBreak: Bool) {
        out.raw("<text:p text:style-name=\"")
        out.raw(styleName(style, pageBreak: pageBreak))
        out.raw("\">")
        out.paragraphText(text)
        out.raw("</text:p>")
    }

    private mutating func writeList(_ items: [String], pageBreak: Bool) {
        guard !items.isEmpty else { return }
        out.raw("<text:list text:style-name=\"")
        out.raw(ListStyle.bullets)
        out.raw("\">")
        for (position, item) in items.enumerated() {
            out.raw("<text:list-item>")
            paragraph(item, style: ParagraphStyle.list, pageBreak: pageBreak && position == 0)
            out.raw("</text:list-item>")
        }
        out.raw("</text:list>")
    }

    private mutating func writeTable(_ table: TextTable, name: String, ordinal: Int, pageBreak: Bool) {
        if let caption = table.caption {
            paragraph(caption, style: ParagraphStyle.tableCaption, pageBreak: pageBreak)
        }
        let layout = TableLayout(table)
        guard layout.columnCount > 0 else { return }
        out.raw("<table:table table:name=\"")
        out.attribute(name)
        out.raw("\" table:style-name=\"")
        out.raw(TableStyles.tableStyleName(ordinal: ordinal))
        out.raw("\">")
        TableStyles.writeColumns(for: layout, ordinal: ordinal, into: &out)
        TableBody.write(table, layout: layout, into: &out)
        out.raw("</table:table>")
    }

    private mutating func writeImage(_ image: TextImage, path: String, frameNumber: Int, pageBreak: Bool) {
        out.raw("<text:p text:style-name=\"")
        out.raw(styleName(ParagraphStyle.picture, pageBreak: pageBreak))
        out.raw("\"><draw:frame draw:style-name=\"fr1\" draw:name=\"Image")
        out.raw(frameNumber)
        out.raw("\" text:anchor-type=\"as-char\" svg:width=\"")
        out.raw(Length.centimetres(image.widthCm))
        out.raw("\" svg:height=\"")
        out.raw(Length.centimetres(image.heightCm))
        out.raw("\" draw:z-index=\"0\"><draw:image xlink:href=\"")
        out.attribute(path)
        out.raw("\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"")
        out.attribute(image.mediaType)
        out.raw("\"/><svg:title>")
        out.text(image.description)
        out.raw("</svg:title><svg:desc>")
        out.text(image.description)
        out.raw("</svg:desc></draw:frame></text:p>")
    }
}
