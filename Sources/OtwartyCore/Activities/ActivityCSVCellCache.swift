import Foundation

/// The answers a column's check gave for cells already seen, keyed by the cell's bytes: an import
/// file repeats the same few tasks, kinds, organisations, districts, audiences, languages and often
/// titles on every row, and looking the bytes up costs less than making the `String`, hashing it
/// (Unicode-normalised) and checking it again (issue 15: per-row CPU of the import's reading side).
///
/// Only for checks whose answer depends on nothing but the cell's bytes and the parser's fixed
/// settings (the programme, labels, known organisations), so a remembered answer — a value or the
/// problem, with its message — is the one checking again would give. `ActivityCSVCellCacheTests`
/// parses generated files with and without the caches and compares rows and problems.
///
/// Bounded: at most `maxEntries` answers, each for a cell of at most `maxKeyLength` bytes; once
/// full it only answers what it holds (a file of unique notes costs a lookup per cell, no memory).
struct CellCache<Success, Failure: Error> {
    typealias Cell = UnsafeBufferPointer<UInt8>

    static var maxEntries: Int { 4096 }
    static var maxKeyLength: Int { 512 }
    /// Twice `maxEntries`, a power of two: probes stay short.
    private static var slotCount: Int { 8192 }

    /// Entry index + 1 for each slot (0: empty); allocated at the first insert.
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var answers: [Result<Success, Failure>] = []
    /// The keys' bytes back to back.
    private var keys: [UInt8] = []

    init() {}

    var count: Int { answers.count }

    /// The answer remembered for these bytes, if any.
    @inline(__always)
    func find(_ cell: Cell) -> Result<Success, Failure>? {
        guard !slots.isEmpty, cell.count <= Self.maxKeyLength, let base = cell.baseAddress else { return nil }
        let hash = Self.hash(cell)
        let mask = Self.slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots -> Result<Success, Failure>? in
            keys.withUnsafeBufferPointer { keys -> Result<Success, Failure>? in
                while true {
                    let entry = Int(slots[slot])
                    if entry == 0 { return nil }
                    let e = entry - 1
                    if hashes[e] == hash, Int(lengths[e]) == cell.count,
                       memcmp(keys.baseAddress! + Int(starts[e]), base, cell.count) == 0 {
                        return answers[e]
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Remembers the answer for these bytes (ignored when full, the key is too long or empty).
    mutating func insert(_ cell: Cell, _ answer: Result<Success, Failure>) {
        guard answers.count < Self.maxEntries, !cell.isEmpty, cell.count <= Self.maxKeyLength else { return }
        if slots.isEmpty {
            slots = [Int32](repeating: 0, count: Self.slotCount)
            keys.reserveCapacity(4096)
        }
        let hash = Self.hash(cell)
        let mask = Self.slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(answers.count + 1)
        hashes.append(hash)
        starts.append(Int32(keys.count))
        lengths.append(Int32(cell.count))
        keys.append(contentsOf: cell)
        answers.append(answer)
    }

    /// 64-bit hash of the bytes, eight at a time.
    @inline(__always)
    static func hash(_ cell: Cell) -> UInt64 {
        let n = cell.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard let base = cell.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(cell[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
