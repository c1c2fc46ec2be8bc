/// The square being drawn: modules and which of them belong to function patterns (finders,
/// separators, timing, alignment, format and version information), which masks leave alone.
struct Matrix {
    let version: Int
    let size: Int
    var modules: [Bool]
    var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = QRTables.size(version: version)
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    mutating func drawFunctionPatterns() {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        drawFinder(centreX: 3, centreY: 3)
        drawFinder(centreX: size - 4, centreY: 3)
        drawFinder(centreX: 3, centreY: size - 4)
        let positions = QRTables.alignmentPositions(version: version)
        let last = positions.count - 1
        for (i, y) in positions.enumerated() {
            for (j, x) in positions.enumerated() {
                // The three corners with finder patterns get none.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(centreX: x, centreY: y)
            }
        }
        drawFormatBits(mask: 0)   // reserves the area; redrawn once the mask is chosen
        drawVersionBits()
    }

    /// A finder pattern (7×7 with a 3×3 centre) and its light separator, clipped at the edges.
    mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard x >= 0, x < size, y >= 0, y < size else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(x, y, distance != 2 && distance != 4)
            }
        }
    }

    mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 { setFunction(centreX + dx, centreY + dy, max(abs(dx), abs(dy)) != 1) }
        }
    }

    /// Both copies of the 15 format bits, and the dark module beside the lower-left finder.
    mutating func drawFormatBits(mask: Int) {
        let bits = QRTables.formatBits(mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // Around the upper-left finder.
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        // Split between the upper-right and lower-left finders.
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    /// Both copies of the version information (versions 7 and up), 6×3 and 3×6 blocks.
    mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = QRTables.versionBits(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    /// Codeword bits, most significant first, in two-module columns zig-zagging up and down from
    /// the lower right, skipping the vertical timing column; leftover modules stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if index < totalBits {
                        modules[y * size + x] = (codewords[index >> 3] >> (7 - (index & 7))) & 1 == 1
                    }
                    index += 1
                }
            }
            right -= 2
        }
    }

    /// XORs the data modules with mask pattern `mask` (x is the column, y the row).
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                if Self.maskCondition(mask, x: x, y: y) { modules[y * size + x].toggle() }
            }
        }
    }

    static func maskCondition(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// The four penalty rules of ISO/IEC 18004 § 7.8.3: runs of five or more, 2×2 blocks,
    /// finder-like 1:1:3:1:1 patterns beside four light modules, and imbalance of dark and light.
    func penalty() -> Int {
        var total = 0
        let lines: [[Bool]] = (0..<size).map { y in (0..<size).map { x in self[x, y] } }
            + (0..<size).map { x in (0..<size).map { y in self[x, y] } }
        for line in lines {
            var run = 1
            for i in 1..<size {
                if line[i] == line[i - 1] {
                    run += 1
                } else {
                    if run >= 5 { total += run - 2 }
                    run = 1
                }
            }
            if run >= 5 { total += run - 2 }
            total += 40 * Self.finderLikePatterns(in: line)
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = self[x, y]
                if self[x + 1, y] == colour, self[x, y + 1] == colour, self[x + 1, y + 1] == colour { total += 3 }
            }
        }
        let dark = modules.lazy.filter { $0 }.count
        let cells = size * size
        // 10 points for every full 5 % the dark share is away from 50 %.
        total += 10 * (abs(dark * 20 - cells * 10) / cells)
        return total
    }

    static let finderLeft: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
    static let finderRight: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]

    /// Occurrences of dark-light-dark×3-light-dark with four light modules before or after; the
    /// light quiet zone counts as light.
    static func finderLikePatterns(in line: [Bool]) -> Int {
        var padded = [Bool](repeating: false, count: 4)
        padded += line
        padded += [Bool](repeating: false, count: 4)
        var count = 0
        for start in 0...(padded.count - 11) {
            let window = padded[start..<(start + 11)]
            if window.elementsEqual(finderLeft) || window.elementsEqual(finderRight) { count += 1 }
        }
        return count
    }
}
