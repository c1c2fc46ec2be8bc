/// Names of the common paragraph styles defined in `styles.xml` and used by `content.xml`.
///
/// ODF encodes spaces in style names as `_20_`; LibreOffice shows the `style:display-name`.
/// Keeping the names LibreOffice itself uses (`Heading_20_1`, `Text_20_body`, …) means the
/// document plays well with templates and the outline/navigator features.
enum ParagraphStyle {
    static let standard = "Standard"
    static let title = "Title"
    static let subtitle = "Subtitle"
    static let body = "Text_20_body"
    static let note = "Note"
    static let list = "List"
    static let tableCaption = "Table_20_caption"
    static let picture = "Picture"

    /// Headings exist for levels 1...4; other levels are clamped into that range.
    static let headingLevels = 1...4

    static func clampedHeadingLevel(_ level: Int) -> Int {
        min(max(level, headingLevels.lowerBound), headingLevels.upperBound)
    }

    static func heading(level: Int) -> String {
        "Heading_20_\(clampedHeadingLevel(level))"
    }

    /// Automatic style that starts a new page before a paragraph of `parent`'s style.
    static func pageBreakVariant(of parent: String) -> String {
        "Brk_" + parent
    }
}

/// Names of list styles defined in `styles.xml`.
enum ListStyle {
    static let bullets = "Bullets"
}
