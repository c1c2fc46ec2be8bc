import OtwartySuppression

/// Exact rational number, enough for Gaussian elimination on small 0/±1 systems.
struct Fraction: Equatable {
    let numerator: Int
    let denominator: Int

    init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0)
        var g = Self.gcd(abs(numerator), abs(denominator))
        if g == 0 { g = 1 }
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / g
        self.denominator = sign * denominator / g
    }

    var isZero: Bool { numerator == 0 }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    static func + (a: Self, b: Self) -> Self { Self(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) }
    static func - (a: Self, b: Self) -> Self { Self(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    static func * (a: Self, b: Self) -> Self { Self(a.numerator * b.numerator, a.denominator * b.denominator) }
    static func / (a: Self, b: Self) -> Self { Self(a.numerator * b.denominator, a.denominator * b.numerator) }
}

/// The linear-algebra attacker, written independently of the library: unknowns are
/// the suppressed figures, equations are the table identities with the shown figures
/// moved to the right-hand side; reduce to row echelon form over the rationals. An
/// unknown is determined iff its pivot row has no entry in a free column.
struct RationalAttacker {
    let published: SuppressedTable

    /// Suppressed figures whose value follows from the shown ones, with that value.
    func determinedFigures() -> [Figure: Fraction] {
        let unknowns = published.figures.filter { $0.1 == .suppressed }.map(\.0)
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        let lookup = Dictionary(uniqueKeysWithValues: published.figures.map { ($0.0, $0.1) })
        let rows = published.cells.count, columns = published.columnLabels.count

        // Each identity as (figure, coefficient) terms summing to zero.
        var identities: [[(Figure, Int)]] = []
        for r in 0..<rows {
            identities.append((0..<columns).map { (.cell(r, $0), 1) } + [(.rowTotal(r), -1)])
        }
        for c in 0..<columns {
            identities.append((0..<rows).map { (.cell($0, c), 1) } + [(.columnTotal(c), -1)])
        }
        identities.append((0..<columns).map { (.columnTotal($0), 1) } + [(.grandTotal, -1)])
        identities.append((0..<rows).map { (.rowTotal($0), 1) } + [(.grandTotal, -1)])

        var matrix: [[Fraction]] = identities.map { terms in
            var row = [Fraction](repeating: Fraction(0), count: unknowns.count + 1)
            for (figure, coefficient) in terms {
                if let index = column[figure] {
                    row[index] = row[index] + Fraction(coefficient)
                } else if case .exact(let value)? = lookup[figure] {
                    row[unknowns.count] = row[unknowns.count] - Fraction(coefficient * value)
                }
            }
            return row
        }

        var pivotColumns: [Int] = []
        var pivotRow = 0
        for c in 0..<unknowns.count where pivotRow < matrix.count {
            guard let found = (pivotRow..<matrix.count).first(where: { !matrix[$0][c].isZero }) else { continue }
            matrix.swapAt(pivotRow, found)
            let pivot = matrix[pivotRow][c]
            matrix[pivotRow] = matrix[pivotRow].map { $0 / pivot }
            for other in 0..<matrix.count where other != pivotRow && !matrix[other][c].isZero {
                let factor = matrix[other][c]
                for k in 0...unknowns.count {
                    matrix[other][k] = matrix[other][k] - factor * matrix[pivotRow][k]
                }
            }
            pivotColumns.append(c)
            pivotRow += 1
        }

        let free = Set(0..<unknowns.count).subtracting(pivotColumns)
        var determined: [Figure: Fraction] = [:]
        for (row, c) in pivotColumns.enumerated() where free.allSatisfy({ matrix[row][$0].isZero }) {
            determined[unknowns[c]] = matrix[row][unknowns.count]
        }
        return determined
    }
}
