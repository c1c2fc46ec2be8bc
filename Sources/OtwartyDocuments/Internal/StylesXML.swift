/// Writes `styles.xml`: fonts, the named styles, the A4 page layout and the footer.
///
/// Named (common) styles rather than automatic ones are used for everything a person might
/// want to restyle later in LibreOffice, under the names LibreOffice uses itself.
enum StylesXML {
    static func render(language: LanguageTag?) -> [UInt8] {
        var out = XMLBuffer(capacity: 12_288)
        out.raw(Namespaces.xmlDeclaration)
        out.raw("<office:document-styles")
        out.raw(Namespaces.declarations)
        out.raw(" office:version=\"")
        out.raw(Namespaces.odfVersion)
        out.raw("\">")
        out.raw(fontFaces)
        out.raw("<office:styles>")
        writeDefaultStyles(language: language, into: &out)
        out.raw(textStyles)
        out.raw(headingStyles)
        out.raw(tableAndPictureStyles)
        out.raw(listAndOutlineStyles)
        out.raw("</office:styles>")
        out.raw(pageLayout)
        out.raw("</office:document-styles>")
        return out.bytes
    }

    private static func writeDefaultStyles(language: LanguageTag?, into out: inout XMLBuffer) {
        out.raw("""
            <style:default-style style:family="graphic">\
            <style:graphic-properties draw:stroke="none" draw:fill="none"/></style:default-style>\
            <style:default-style style:family="paragraph">\
            <style:paragraph-properties fo:orphans="2" fo:widows="2" fo:hyphenation-ladder-count="no-limit" \
            style:tab-stop-distance="1.25cm" style:writing-mode="page"/>\
            <style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt"
            """)
        if let language {
            out.raw(" fo:language=\"")
            out.attribute(language.language)
            out.raw("\"")
            if let script = language.script {
                out.raw(" fo:script=\"")
                out.attribute(script)
                out.raw("\"")
            }
            if let country = language.country {
                out.raw(" fo:country=\"")
                out.attribute(country)
                out.raw("\"")
            }
        }
        out.raw(" fo:hyphenate=\"false\" style:letter-kerning=\"true\"/></style:default-style>")
        out.raw("""
            <style:default-style style:family="table">\
            <style:table-properties table:border-model="collapsing"/></style:default-style>
            """)
    }

    private static let fontFaces: StaticString = """
        <office:font-face-decls>\
        <style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation Serif&apos;" \
        style:font-family-generic="roman" style:font-pitch="variable"/>\
        <style:font-face style:name="Liberation Sans" svg:font-family="&apos;Liberation Sans&apos;" \
        style:font-family-generic="swiss" style:font-pitch="variable"/>\
        </office:font-face-decls>
        """

    private static let textStyles: StaticString = """
        <style:style style:name="Standard" style:family="paragraph" style:class="text"/>\
        <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" \
        style:parent-style-name="Standard" style:class="text">\
        <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.247cm" fo:line-height="115%"/>\
        </style:style>\
        <style:style style:name="Note" style:display-name="Note" style:family="paragraph" \
        style:parent-style-name="Text_20_body" style:class="text">\
        <style:text-properties fo:font-size="9pt" fo:color="#404040"/></style:style>\
        <style:style style:name="List" style:display-name="List" style:family="paragraph" \
        style:parent-style-name="Text_20_body" style:class="list">\
        <style:paragraph-properties fo:margin-bottom="0.1cm"/></style:style>\
        <style:style style:name="Title" style:display-name="Title" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Subtitle" style:class="chapter">\
        <style:paragraph-properties fo:text-align="center"/>\
        <style:text-properties fo:font-size="28pt" fo:font-weight="bold"/></style:style>\
        <style:style style:name="Subtitle" style:display-name="Subtitle" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:class="chapter">\
        <style:paragraph-properties fo:margin-top="0.106cm" fo:margin-bottom="0.4cm" fo:text-align="center"/>\
        <style:text-properties fo:font-size="18pt"/></style:style>\
        <style:style style:name="Footer" style:display-name="Footer" style:family="paragraph" \
        style:parent-style-name="Standard" style:class="extra">\
        <style:paragraph-properties fo:text-align="center"/>\
        <style:text-properties fo:font-size="9pt"/></style:style>
        """

    /// `style:default-outline-level` ties each style to the outline so headings show up in
    /// the navigator and as PDF bookmarks.
    private static let headingStyles: StaticString = """
        <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" \
        style:next-style-name="Text_20_body" style:class="text">\
        <style:paragraph-properties fo:margin-top="0.423cm" fo:margin-bottom="0.212cm" fo:keep-with-next="always"/>\
        <style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/></style:style>\
        <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Text_20_body" \
        style:default-outline-level="1" style:class="text">\
        <style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.3cm"/>\
        <style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>\
        <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Text_20_body" \
        style:default-outline-level="2" style:class="text">\
        <style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.25cm"/>\
        <style:text-properties fo:font-size="15pt" fo:font-weight="bold"/></style:style>\
        <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Text_20_body" \
        style:default-outline-level="3" style:class="text">\
        <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm"/>\
        <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>\
        <style:style style:name="Heading_20_4" style:display-name="Heading 4" style:family="paragraph" \
        style:parent-style-name="Heading" style:next-style-name="Text_20_body" \
        style:default-outline-level="4" style:class="text">\
        <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm"/>\
        <style:text-properties fo:font-size="11pt" fo:font-weight="bold" fo:font-style="italic"/></style:style>
        """

    private static let tableAndPictureStyles: StaticString = """
        <style:style style:name="Table_20_Contents" style:display-name="Table Contents" \
        style:family="paragraph" style:parent-style-name="Standard" style:class="extra">\
        <style:text-properties fo:font-size="10pt"/></style:style>\
        <style:style style:name="Table_20_Heading" style:display-name="Table Heading" \
        style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">\
        <style:text-properties fo:font-weight="bold"/></style:style>\
        <style:style style:name="Caption" style:display-name="Caption" style:family="paragraph" \
        style:parent-style-name="Standard" style:class="extra">\
        <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"/>\
        <style:text-properties fo:font-size="10pt" fo:font-style="italic"/></style:style>\
        <style:style style:name="Table_20_caption" style:display-name="Table caption" \
        style:family="paragraph" style:parent-style-name="Caption" style:class="extra"/>\
        <style:style style:name="Picture" style:display-name="Picture" style:family="paragraph" \
        style:parent-style-name="Standard" style:class="extra">\
        <style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.2cm" fo:text-align="center"/>\
        </style:style>\
        <style:style style:name="Graphics" style:family="graphic">\
        <style:graphic-properties text:anchor-type="as-char" svg:y="0cm" style:vertical-pos="top" \
        style:vertical-rel="baseline"/></style:style>
        """

    /// The outline style carries no numbering; it only has to exist for outline levels.
    private static let listAndOutlineStyles: StaticString = """
        <text:outline-style style:name="Outline">\
        <text:outline-level-style text:level="1" style:num-format=""/>\
        <text:outline-level-style text:level="2" style:num-format=""/>\
        <text:outline-level-style text:level="3" style:num-format=""/>\
        <text:outline-level-style text:level="4" style:num-format=""/>\
        </text:outline-style>\
        <text:list-style style:name="Bullets" style:display-name="Bullets">\
        <text:list-level-style-bullet text:level="1" text:bullet-char="•">\
        <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">\
        <style:list-level-label-alignment text:label-followed-by="listtab" \
        text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/>\
        </style:list-level-properties></text:list-level-style-bullet>\
        <text:list-level-style-bullet text:level="2" text:bullet-char="◦">\
        <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">\
        <style:list-level-label-alignment text:label-followed-by="listtab" \
        text:list-tab-stop-position="1.27cm" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/>\
        </style:list-level-properties></text:list-level-style-bullet>\
        </text:list-style>
        """

    /// A4 portrait with 2 cm margins; the footer (page number) sits inside the bottom margin
    /// area of the body, so the text width stays 17 cm.
    private static let pageLayout: StaticString = """
        <office:automatic-styles>\
        <style:page-layout style:name="pm1">\
        <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" \
        style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" \
        fo:margin-left="2cm" fo:margin-right="2cm" style:writing-mode="lr-tb"/>\
        <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/>\
        </style:footer-style></style:page-layout>\
        </office:automatic-styles>\
        <office:master-styles>\
        <style:master-page style:name="Standard" style:page-layout-name="pm1">\
        <style:footer><text:p text:style-name="Footer">\
        <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>\
        </style:master-page>\
        </office:master-styles>
        """
}
