/// A text document to be written as OpenDocument Text (`.odt`) by ``ODTWriter``.
///
/// The model is deliberately small: a flat list of blocks with fixed, named styles, so that
/// generated reports look the same everywhere and stay editable in LibreOffice (headings are
/// real outline headings, lists are real lists, tables have repeating header rows).
public struct TextDocument: Sendable, Hashable {
    /// Written to `meta.xml` as `dc:title`; shown by office suites and used as the PDF title.
    public var title: String
    /// BCP 47 tag such as `"pl-PL"`. It sets `fo:language`/`fo:country` on the default
    /// paragraph style (so spell checking and hyphenation pick the right dictionary) and
    /// `dc:language` in `meta.xml`. An empty or malformed tag is left out rather than guessed.
    public var language: String
    /// The body, in reading order.
    public var blocks: [TextBlock]

    public init(title: String, language: String, blocks: [TextBlock] = []) {
        self.title = title
        self.language = language
        self.blocks = blocks
    }
}
