/// One block-level element of a ``TextDocument``.
///
/// Plain text in any case may contain newlines (written as line breaks inside the same
/// paragraph), tabs and runs of spaces (both preserved). Characters that XML 1.0 forbids
/// (most C0 control characters, U+FFFE, U+FFFF) are dropped, because a single one of them
/// would make the whole file unreadable.
public enum TextBlock: Sendable, Hashable {
    /// A real outline heading (`text:h` with `text:outline-level`) in the styles
    /// "Heading 1" … "Heading 4", so LibreOffice's navigator, tables of contents and PDF
    /// bookmarks see it. Levels outside 1...4 are clamped into that range.
    case heading(level: Int, text: String)
    /// The document title, in the paragraph style "Title".
    case title(String)
    /// A subtitle, in the paragraph style "Subtitle".
    case subtitle(String)
    /// A body paragraph in the style "Text body" (`Text_20_body`).
    case paragraph(String)
    /// A smaller remark (style "Note"), e.g. for footnote-like explanations or sources.
    case note(String)
    /// A bulleted list, one item per string. An empty list writes nothing.
    case bulletList([String])
    /// A table with a repeating header row.
    case table(TextTable)
    /// A picture, placed centred in its own paragraph.
    case image(TextImage)
    /// Starts the next block on a new page.
    case pageBreak
}

extension TextBlock {
    /// Pattern test that avoids comparing associated values (a table can be huge).
    var isPageBreak: Bool {
        if case .pageBreak = self { return true }
        return false
    }
}
