/// A table of plain-text cells with a header row that repeats on every page.
public struct TextTable: Sendable, Hashable {
    /// How the contents of a column are aligned.
    public enum Alignment: Sendable, Hashable {
        /// Left in left-to-right text; for words.
        case start
        /// Right in left-to-right text; for numbers, so digits line up.
        case end
    }

    /// One column: its header text, alignment and share of the table width.
    public struct Column: Sendable, Hashable {
        public var header: String
        public var alignment: Alignment
        /// Width relative to the other columns (e.g. 2 is twice as wide as 1).
        /// Values below 1 are treated as 1 so a column can never vanish.
        public var relativeWidth: Int

        public init(header: String, alignment: Alignment = .start, relativeWidth: Int = 1) {
            self.header = header
            self.alignment = alignment
            self.relativeWidth = relativeWidth
        }
    }

    /// Becomes `table:name`; LibreOffice requires these to be unique, so duplicates and empty
    /// names are made unique when writing (`Name`, `Name_2`, …; `Table1`, …).
    public var name: String
    /// Printed as a paragraph in the style "Table caption" just before the table and kept on
    /// the same page as the table's start.
    public var caption: String?
    public var columns: [Column]
    /// Rows of cell texts. Each row should have `columns.count` cells; shorter rows are padded
    /// with empty cells and extra cells are dropped, so bad input never breaks the file.
    /// If `columns` is empty, columns with empty headers are made for the widest row.
    public var rows: [[String]]

    public init(name: String, caption: String? = nil, columns: [Column], rows: [[String]]) {
        self.name = name
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }
}
