/// The numbers of ISO/IEC 18004 that the encoder needs, for error correction level M only
/// (15 % of codewords recoverable: what authenticator apps and phone cameras expect).
enum QRTables {
    /// One version's block structure at level M: every block has `errorCorrectionPerBlock`
    /// EC codewords; `shortBlocks` blocks hold `shortBlockData` data codewords and `longBlocks`
    /// hold one more (ISO/IEC 18004:2015 table 9).
    struct Blocks: Equatable {
        var errorCorrectionPerBlock: Int
        var shortBlocks: Int
        var shortBlockData: Int
        var longBlocks: Int

        var blockCount: Int { shortBlocks + longBlocks }
        var dataCodewords: Int { shortBlocks * shortBlockData + longBlocks * (shortBlockData + 1) }
        var totalCodewords: Int { dataCodewords + blockCount * errorCorrectionPerBlock }
    }

    /// Index 0 is version 1. Columns: EC codewords per block, (blocks × data codewords) for the
    /// short group, and the number of long blocks (one data codeword more).
    static let levelM: [Blocks] = [
        .init(errorCorrectionPerBlock: 10, shortBlocks: 1, shortBlockData: 16, longBlocks: 0),   // 1
        .init(errorCorrectionPerBlock: 16, shortBlocks: 1, shortBlockData: 28, longBlocks: 0),   // 2
        .init(errorCorrectionPerBlock: 26, shortBlocks: 1, shortBlockData: 44, longBlocks: 0),   // 3
        .init(errorCorrectionPerBlock: 18, shortBlocks: 2, shortBlockData: 32, longBlocks: 0),   // 4
        .init(errorCorrectionPerBlock: 24, shortBlocks: 2, shortBlockData: 43, longBlocks: 0),   // 5
        .init(errorCorrectionPerBlock: 16, shortBlocks: 4, shortBlockData: 27, longBlocks: 0),   // 6
        .init(errorCorrectionPerBlock: 18, shortBlocks: 4, shortBlockData: 31, longBlocks: 0),   // 7
        .init(errorCorrectionPerBlock: 22, shortBlocks: 2, shortBlockData: 38, longBlocks: 2),   // 8
        .init(errorCorrectionPerBlock: 22, shortBlocks: 3, shortBlockData: 36, longBlocks: 2),   // 9
        .init(errorCorrectionPerBlock: 26, shortBlocks: 4, shortBlockData: 43, longBlocks: 1),   // 10
        .init(errorCorrectionPerBlock: 30, shortBlocks: 1, shortBlockData: 50, longBlocks: 4),   // 11
        .init(errorCorrectionPerBlock: 22, shortBlocks: 6, shortBlockData: 36, longBlocks: 2),   // 12
        .init(errorCorrectionPerBlock: 22, shortBlocks: 8, shortBlockData: 37, longBlocks: 1),   // 13
        .init(errorCorrectionPerBlock: 24, shortBlocks: 4, shortBlockData: 40, longBlocks: 5),   // 14
        .init(errorCorrectionPerBlock: 24, shortBlocks: 5, shortBlockData: 41, longBlocks: 5),   // 15
        .init(errorCorrectionPerBlock: 28, shortBlocks: 7, shortBlockData: 45, longBlocks: 3),   // 16
        .init(errorCorrectionPerBlock: 28, shortBlocks: 10, shortBlockData: 46, longBlocks: 1),  // 17
        .init(errorCorrectionPerBlock: 26, shortBlocks: 9, shortBlockData: 43, longBlocks: 4),   // 18
        .init(errorCorrectionPerBlock: 26, shortBlocks: 3, shortBlockData: 44, longBlocks: 11),  // 19
        .init(errorCorrectionPerBlock: 26, shortBlocks: 3, shortBlockData: 41, longBlocks: 13),  // 20
        .init(errorCorrectionPerBlock: 26, shortBlocks: 17, shortBlockData: 42, longBlocks: 0),  // 21
        .init(errorCorrectionPerBlock: 28, shortBlocks: 17, shortBlockData: 46, longBlocks: 0),  // 22
        .init(errorCorrectionPerBlock: 28, shortBlocks: 4, shortBlockData: 47, longBlocks: 14),  // 23
        .init(errorCorrectionPerBlock: 28, shortBlocks: 6, shortBlockData: 45, longBlocks: 14),  // 24
        .init(errorCorrectionPerBlock: 28, shortBlocks: 8, shortBlockData: 47, longBlocks: 13),  // 25
        .init(errorCorrectionPerBlock: 28, shortBlocks: 19, shortBlockData: 46, longBlocks: 4),  // 26
        .init(errorCorrectionPerBlock: 28, shortBlocks: 22, shortBlockData: 45, longBlocks: 3),  // 27
        .init(errorCorrectionPerBlock: 28, shortBlocks: 3, shortBlockData: 45, longBlocks: 23),  // 28
        .init(errorCorrectionPerBlock: 28, shortBlocks: 21, shortBlockData: 45, longBlocks: 7),  // 29
        .init(errorCorrectionPerBlock: 28, shortBlocks: 19, shortBlockData: 47, longBlocks: 10), // 30
        .init(errorCorrectionPerBlock: 28, shortBlocks: 2, shortBlockData: 46, longBlocks: 29),  // 31
        .init(errorCorrectionPerBlock: 28, shortBlocks: 10, shortBlockData: 46, longBlocks: 23), // 32
        .init(errorCorrectionPerBlock: 28, shortBlocks: 14, shortBlockData: 46, longBlocks: 21), // 33
        .init(errorCorrectionPerBlock: 28, shortBlocks: 14, shortBlockData: 46, longBlocks: 23), // 34
        .init(errorCorrectionPerBlock: 28, shortBlocks: 12, shortBlockData: 47, longBlocks: 26), // 35
        .init(errorCorrectionPerBlock: 28, shortBlocks: 6, shortBlockData: 47, longBlocks: 34),  // 36
        .init(errorCorrectionPerBlock: 28, shortBlocks: 29, shortBlockData: 46, longBlocks: 14), // 37
        .init(errorCorrectionPerBlock: 28, shortBlocks: 13, shortBlockData: 46, longBlocks: 32), // 38
        .init(errorCorrectionPerBlock: 28, shortBlocks: 40, shortBlockData: 47, longBlocks: 7),  // 39
        .init(errorCorrectionPerBlock: 28, shortBlocks: 18, shortBlockData: 47, longBlocks: 31), // 40
    ]

    static func blocks(version: Int) -> Blocks { levelM[version - 1] }

    static func size(version: Int) -> Int { 17 + 4 * version }

    /// Modules left for codewords once the function patterns are drawn (ISO/IEC 18004 table 1):
    /// the whole square less finders with separators, format areas, timing, alignment and version areas.
    static func rawDataModules(version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    /// Centre coordinates of alignment patterns (the same list for rows and columns): evenly
    /// spaced from the last row/column back to 6, with even steps (version 32 is the one exception).
    static func alignmentPositions(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var positions = [6]
        let last = size(version: version) - 7
        for i in (0..<(count - 1)).reversed() { positions.append(last - i * step) }
        return positions
    }

    /// Bits of the character count field in byte mode.
    static func byteCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// The 15 format bits for level M and a mask: BCH(15,5) with generator 0x537, XOR 0x5412.
    static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask   // level M is 00
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return ((data << 10) | remainder) ^ 0x5412
    }

    /// The 18 version bits (versions 7 and up): BCH(18,6) with generator 0x1F25.
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return (version << 12) | remainder
    }
}
