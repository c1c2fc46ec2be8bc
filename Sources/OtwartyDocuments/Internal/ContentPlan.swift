/// Decisions about a document that must be known before `content.xml` is written.
///
/// Automatic styles come before the body in `content.xml`, and the manifest must list every
/// picture, so one cheap pass over the blocks settles page breaks, unique table names and
/// picture paths first. Everything is derived from block order only, which keeps the output
/// deterministic.
struct ContentPlan {
    struct Picture: Equatable {
        var path: String
        var mediaType: String
        var data: [UInt8]
    }

    /// Block indices whose first paragraph (or table) starts on a new page.
    private(set) var breakBefore: Set<Int> = []
    /// Indices of `.pageBreak` blocks that have nothing after them to carry the break, so they
    /// write an empty paragraph that starts a page.
    private(set) var emptyBreakParagraphs: Set<Int> = []
    /// Parent styles that need a page-break variant, sorted.
    private(set) var breakParents: [String] = []
    /// Unique `table:name` and ordinal (for style names) per table block.
    private(set) var tables: [Int: (name: String, ordinal: Int)] = [:]
    /// `Pictures/…` path and frame number (for the unique `draw:name`) per image block.
    private(set) var images: [Int: (path: String, frame: Int)] = [:]
    /// Distinct picture files to store, in first-use order.
    private(set) var pictures: [Picture] = []

    init(blocks: [TextBlock]) {
        planPageBreaks(blocks)
        planTables(blocks)
        planPictures(blocks)
    }

    private mutating func planPageBreaks(_ blocks: [TextBlock]) {
        var parents = Set<String>()
        for (index, block) in blocks.enumerated() where block.isPageBreak {
            let carrier = blocks.indices.dropFirst(index + 1).first { candidate in
                blocks[candidate].isPageBreak || Self.writesOutput(blocks[candidate])
            }
            if let carrier, !blocks[carrier].isPageBreak {
                breakBefore.insert(carrier)
                if let parent = Self.breakParent(of: blocks[carrier]) { parents.insert(parent) }
            } else {
                emptyBreakParagraphs.insert(index)
                parents.insert(ParagraphStyle.standard)
            }
        }
        breakParents = parents.sorted()
    }

    private mutating func planTables(_ blocks: [TextBlock]) {
        var used = Set<String>()
        var ordinal = 0
        for (index, block) in blocks.enumerated() {
            guard case .table(let table) = block else { continue }
            ordinal += 1
            let trimmed = table.name.trimmingWhitespace
            let base = trimmed.isEmpty ? "Table\(ordinal)" : trimmed
            var name = base
            var suffix = 2
            while used.contains(name) {
                name = "\(base)_\(suffix)"
                suffix += 1
            }
            used.insert(name)
            tables[index] = (name, ordinal)
        }
    }

    private mutating func planPictures(_ blocks: [TextBlock]) {
        var byName: [String: Int] = [:]
        var ordinal = 0
        for (index, block) in blocks.enumerated() {
            guard case .image(let image) = block else { continue }
            ordinal += 1
            let (stem, ext) = PictureName.sanitized(image.fileName, mediaType: image.mediaType,
                                                    ordinal: ordinal)
            var name = stem + ext
            var suffix = 2
            while let existing = byName[name] {
                let picture = pictures[existing]
                if picture.data == image.data && picture.mediaType == image.mediaType { break }
                name = "\(stem)-\(suffix)\(ext)"
                suffix += 1
            }
            let path = "Pictures/" + name
            if byName[name] == nil {
                byName[name] = pictures.count
                pictures.append(Picture(path: path, mediaType: image.mediaType, data: image.data))
            }
            images[index] = (path, ordinal)
        }
    }

    /// Whether a block produces any element in the body (so it can carry a page break).
    static func writesOutput(_ block: TextBlock) -> Bool {
        switch block {
        case .pageBreak: return false
        case .bulletList(let items): return !items.isEmpty
        case .table(let table): return table.caption != nil || TableLayout(table).columnCount > 0
        default: return true
        }
    }

    /// The common style whose page-break variant the block's first paragraph uses, or nil
    /// when the break goes on the table style instead.
    static func breakParent(of block: TextBlock) -> String? {
        switch block {
        case .heading(let level, _): return ParagraphStyle.heading(level: level)
        case .title: return ParagraphStyle.title
        case .subtitle: return ParagraphStyle.subtitle
        case .paragraph: return ParagraphStyle.body
        case .note: return ParagraphStyle.note
        case .bulletList: return ParagraphStyle.list
        case .table(let table): return table.caption == nil ? nil : ParagraphStyle.tableCaption
        case .image: return ParagraphStyle.picture
        case .pageBreak: return ParagraphStyle.standard
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
