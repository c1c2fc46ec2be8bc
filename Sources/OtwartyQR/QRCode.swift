/// A QR code (ISO/IEC 18004 model 2) holding bytes in byte mode at error correction level M, the
/// smallest version that fits, and the mask with the lowest penalty. Only what the second-factor
/// enrolment needs — an `otpauth://` address for an authenticator app — and nothing more: no
/// numeric/alphanumeric/kanji modes, no other levels, no structured append.
public struct QRCode: Sendable, Equatable {
    /// 1…40.
    public let version: Int
    /// 0…7.
    public let mask: Int
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    /// Row-major, true for dark.
    let modules: [Bool]

    public enum EncodingError: Error, Equatable, CustomStringConvertible {
        /// More bytes than version 40 at level M holds (2,331).
        case tooLong(bytes: Int)
        public var description: String {
            switch self {
            case let .tooLong(bytes): return "\(bytes) bytes do not fit in a QR code at error correction level M"
            }
        }
    }

    /// Dark (true) or light module at column x, row y; outside the symbol is light (the quiet zone).
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Rows as strings of `#` (dark) and `.` (light), for tests and debugging.
    public var rows: [String] {
        (0..<size).map { y in String((0..<size).map { x in self[x, y] ? "#" : "." }) }
    }

    /// Encodes `bytes`; `version` and `mask` force a choice (tests compare with reference symbols).
    public static func encode(_ bytes: [UInt8], minimumVersion: Int = 1, mask forcedMask: Int? = nil) throws -> QRCode {
        precondition((1...40).contains(minimumVersion) && forcedMask.map { (0...7).contains($0) } != false)
        guard let version = (minimumVersion...40).first(where: { fits(bytes.count, version: $0) }) else {
            throw EncodingError.tooLong(bytes: bytes.count)
        }
        let codewords = interleavedCodewords(dataCodewords(bytes, version: version), version: version)
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeCodewords(codewords)
        let chosen: Int
        if let forcedMask {
            chosen = forcedMask
        } else {
            var best = (mask: 0, penalty: Int.max)
            for candidate in 0..<8 {
                var trial = matrix
                trial.applyMask(candidate)
                trial.drawFormatBits(mask: candidate)
                let penalty = trial.penalty()
                if penalty < best.penalty { best = (candidate, penalty) }
            }
            chosen = best.mask
        }
        matrix.applyMask(chosen)
        matrix.drawFormatBits(mask: chosen)
        return QRCode(version: version, mask: chosen, size: matrix.size, modules: matrix.modules)
    }

    public static func encode(_ text: String) throws -> QRCode { try encode(Array(text.utf8)) }

    static func fits(_ count: Int, version: Int) -> Bool {
        let bits = 4 + QRTables.byteCountBits(version: version) + 8 * count
        return count < (1 << QRTables.byteCountBits(version: version))
            && bits <= QRTables.blocks(version: version).dataCodewords * 8
    }

    /// Mode indicator, count, the bytes, terminator, padding to a byte, then the pad codewords 0xEC 0x11.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: QRTables.byteCountBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = QRTables.blocks(version: version).dataCodewords * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, adds each block's error correction, and interleaves: the first
    /// codeword of every block, then the second, …; then the EC codewords the same way.
    static func interleavedCodewords(_ data: [UInt8], version: Int) -> [UInt8] {
        let layout = QRTables.blocks(version: version)
        var blocks: [[UInt8]] = []
        var start = 0
        for index in 0..<layout.blockCount {
            let length = layout.shortBlockData + (index < layout.shortBlocks ? 0 : 1)
            blocks.append(Array(data[start..<(start + length)]))
            start += length
        }
        let corrections = blocks.map { ReedSolomon.remainder(of: $0, degree: layout.errorCorrectionPerBlock) }
        var result: [UInt8] = []
        result.reserveCapacity(layout.totalCodewords)
        for i in 0...layout.shortBlockData {
            for block in blocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<layout.errorCorrectionPerBlock {
            for correction in corrections { result.append(correction[i]) }
        }
        return result
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, offset in
                let index = start + offset
                return byte << 1 | (index < bits.count && bits[index] ? 1 : 0)
            }
        }
    }
}
