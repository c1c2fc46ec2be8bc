import Testing
@testable import OtwartyQR

/// The QR encoder against the standard's own worked example (Reed–Solomon), its published BCH
/// values (format and version information), and whole symbols made by an independent encoder:
/// Python's segno 1.6.6 (byte mode, level M, the same version and mask forced), with its padding
/// step set to ISO/IEC 18004 § 7.4.10 — segno adds a whole zero byte when the bit stream already
/// ends on a byte boundary, which readers ignore but which changes every module after it. CI also
/// reads the enrolment page's QR code back with zbarimg (.ci/smoke.sh).
@Suite struct QRCodeTests {
    @Test func reedSolomonMatchesTheStandardsExample() {
        // ISO/IEC 18004 annex I: "01234567" as 1-M; its 16 data codewords give these 10 EC codewords.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(of: data, degree: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func formatAndVersionInformation() {
        // Level M with masks 0…7 (ISO/IEC 18004 annex C), and version 7's 18 bits (annex D).
        let expected = [0b101010000010010, 0b101000100100101, 0b101111001111100, 0b101101101001011,
                        0b100010111111001, 0b100000011001110, 0b100111110010111, 0b100101010100000]
        #expect((0..<8).map(QRTables.formatBits(mask:)) == expected)
        #expect(QRTables.versionBits(version: 7) == 0b000111110010010100)
        #expect(QRTables.versionBits(version: 40) == 0b101000110001101001)
    }

    @Test func blockTableAgreesWithTheModuleCountOfEveryVersion() {
        for version in 1...40 {
            let blocks = QRTables.blocks(version: version)
            #expect(blocks.totalCodewords == QRTables.rawDataModules(version: version) / 8, "version \(version)")
        }
        #expect(QRTables.blocks(version: 40).dataCodewords == 2334, "2,331 bytes after the 20 bits of mode and count")
        #expect(QRTables.alignmentPositions(version: 2) == [6, 18])
        #expect(QRTables.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRTables.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRTables.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test func version1MatchesAReferenceSymbol() throws {
        let code = try QRCode.encode(Array("Otwarty".utf8), mask: 2)
        #expect(code.version == 1 && code.size == 21)
        #expect(code.rows == Self.otwartyV1Mask2)
    }

    @Test func version8WithVersionInformationMatchesAReferenceSymbol() throws {
        let code = try QRCode.encode(Array(Self.uri.utf8), minimumVersion: 8, mask: 3)
        #expect(code.version == 8 && code.size == 49)
        #expect(code.rows == Self.uriV8Mask3)
    }

    @Test func smallestVersionAndEveryMaskKeepTheFunctionPatterns() throws {
        let code = try QRCode.encode(Self.uri)
        #expect(code.version == 6, "97 bytes need version 6 at level M")
        for mask in 0..<8 {
            let masked = try QRCode.encode(Array(Self.uri.utf8), mask: mask)
            // Finder corners and timing patterns are never masked.
            #expect(masked.rows[0].hasPrefix("#######.") && masked.rows[6].hasPrefix("#######."))
            #expect((8..<(masked.size - 8)).allSatisfy { masked[$0, 6] == ($0 % 2 == 0) })
            #expect(masked[8, masked.size - 8], "the dark module")
        }
    }

    @Test func capacityLimits() throws {
        #expect(try QRCode.encode([UInt8](repeating: 0x41, count: 14)).version == 1)
        #expect(try QRCode.encode([UInt8](repeating: 0x41, count: 15)).version == 2)
        #expect(try QRCode.encode([UInt8](repeating: 0x41, count: 2331)).version == 40)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2332)) { try QRCode.encode([UInt8](repeating: 0x41, count: 2332)) }
    }

    @Test func penaltyRules() throws {
        // A line of 11 alternating-free modules: the finder-like pattern with light around it counts.
        let finder: [Bool] = [true, false, true, true, true, false, true]
        #expect(Matrix.finderLikePatterns(in: finder) == 2, "quiet zone on both sides")
        #expect(Matrix.finderLikePatterns(in: [Bool](repeating: false, count: 11)) == 0)
        let matrix = Matrix(version: 1)
        // All light: runs of 21 in 42 lines, 400 2×2 blocks, 50 % away from half dark.
        #expect(matrix.penalty() == 42 * (21 - 2) + 400 * 3 + 10 * 10)
        // The chosen mask is the one with the lowest penalty.
        let chosen = try QRCode.encode(Self.uri)
        let penalties = (0..<8).map { mask in
            var trial = Matrix(version: chosen.version)
            trial.drawFunctionPatterns()
            trial.placeCodewords(QRCode.interleavedCodewords(QRCode.dataCodewords(Array(Self.uri.utf8), version: chosen.version),
                                                             version: chosen.version))
            trial.applyMask(mask)
            trial.drawFormatBits(mask: mask)
            return trial.penalty()
        }
        #expect(penalties[chosen.mask] == penalties.min())
    }

    @Test func svgIsAWellFormedImageWithAnEscapedTitle() throws {
        let svg = try QRCode.encode("Otwarty").svg(title: "Kod QR <konto> & \"sekret\"")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\""), "21 modules and a 4-module quiet zone on each side")
        #expect(svg.contains("<title id=\"qr-title\">Kod QR &lt;konto&gt; &amp; &quot;sekret&quot;</title>"))
        #expect(svg.contains("M4 4h7v1h-7z"), "the top row of the upper-left finder")
    }

    static let uri = "otpauth://totp/Otwarty:anna.nowak@krakow.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Otwarty"

    static let otwartyV1Mask2 = [
            "#######..####.#######",
            "#.....#..####.#.....#",
            "#.###.#.#..##.#.###.#",
            "#.###.#.#...#.#.###.#",
            "#.###.#.#...#.#.###.#",
            "#.....#.#..#..#.....#",
            "#######.#.#.#.#######",
            "........#.#..........",
            "#.#####...##..#####..",
            "###.#..#.#.#####.####",
            ".##...#.##..#.##..##.",
            ".####....#.####..####",
            "##...##..##.#..###.##",
            "........###.#...###..",
            "#######....#.#...#.#.",
            "#.....#.#.#....#.####",
            "#.###.#.##.#.#.....#.",
            "#.###.#.##.####.#.#..",
            "#.###.#.#...#.#..##..",
            "#.....#..##########..",
            "#######.#.#.#..#.#.#.",
    ]

    static let uriV8Mask3 = [
            "#######.####..#######..##.....##.#.###..#.#######",
            "#.....#.#..###..##.#..##.##.....##.#.####.#.....#",
            "#.###.#..#.#.#####..#..#..#.#.#.##.###.##.#.###.#",
            "#.###.#.#####..#.###.##.#.#.####..####.#..#.###.#",
            "#.###.#..###.##.##..#.#####.##.###...#....#.###.#",
            "#.....#..#..#.####...##...##.###.#.#..#...#.....#",
            "#######.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#######",
            "........##.#####.#..#.#...###...#.##.####........",
            "#.##.###.#...#...#.#..#####.#......#...##.#..#.##",
            "#..#.#.#.#.###..##.###.###..#####..###.#..##.#.#.",
            ".#...##.###.#...##...#.#....#...#...#..#....#....",
            "###.##...#.#.#..#.#.#.#..#......#.#.....##..#####",
            "..###.####..##.#.##....#.###...#.####.###.#..#.#.",
            "##.#.#.#...#...#####.#######....#...###....#....#",
            ".#.####.#...##.#.####..##...###..#.####.#.######.",
            ".##....##..##.##...##.#.#..#.#....#.####..####.#.",
            ".###..#.#####.#.#..##....#######..#.#...#.####..#",
            "###.##..#.##..#.##.#.....#...#####..#.####...##..",
            "..#...####.####..#.#..#.##..#.####.#....##.#.#.#.",
            "#.##.#.#..#.#..#....##.###.#.##..#.####..#.#.#.##",
            ".#..#.##.###.#.#.##.#.##.##.#.#...##.#...##..#.##",
            ".#...#..##.##..###...#.#.##..####..###.#.###...##",
            "###.#########..############..######....########..",
            "###.#...#.###..#.####.#...#.#...#.####.##...#.#..",
            "..###.#.#.#...#..#..###.#.#...#..##.###.#.#.#####",
            "...##...#..#.#.....####...#....###.#.####...##.##",
            "###.#####........#.##.#####.#..#####..#.########.",
            ".###......#..#....#...###..######.#...######...#.",
            "##.#..##.##.##.###.#####.#.#.#.###.#.###..#.#..##",
            "..####.#.#.#...##..#.######..#.####....#..#.##..#",
            "#.#..#####.#.##...##.##..#..##...#..###.##..#####",
            "#...##.#.#..##..#...#...#..#.#.##.....#.##.#.###.",
            "###.#.#.##.##....###..##.#..##.#.##.....#.##..##.",
            "....#.....#.#.#########.#.....##.#.##..#..##.#.##",
            "#..####.#.##..##.........##.....##.#.#####..#..#.",
            "..#....###..#..#.##.#.......#...#####.##.###.###.",
            "#.....#...##.#...#.#.#.####.####..#########.###.#",
            "#.#.#......#....#.###.......#...##..######.#####.",
            ".#...##..#.#.###.##.##....##..#.......###..#...#.",
            ".###...####..#.#.###.#.......###.#.#.....#.#...#.",
            "###...##.#.#..#.####..######...####.....########.",
            "........#.##.##...#..##...#.##..####....#...#...#",
            "#######.#.#.####...##.#.#.###.##...##.#.#.#.##.##",
            "#.....#.##.......#....#...#.####.##.#.#.#...##...",
            "#.###.#..###..#...##.#########...#.#..#########..",
            "#.###.#.#..###.######..#...##.##....##....####...",
            "#.###.#.##.#.#..#.#......#####..###..#...#.###...",
            "#.....#..#..#.####..######..####.#....####....#..",
            "#######.####..#.####.#.#.#..#..#####..##.##....##",
    ]
}
