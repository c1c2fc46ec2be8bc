// The `plural=` expression language of a gettext `Plural-Forms` header: a small
// subset of C with one variable, `n`. See the gettext manual, section
// "Additional functions for plural forms".

/// A parsed `plural=` expression from a gettext `Plural-Forms` header, ready to
/// evaluate for any count.
///
/// Supported syntax: the variable `n`, non-negative integer literals,
/// parentheses, `?:`, `||`, `&&`, `==`, `!=`, `<`, `>`, `<=`, `>=`, `+`, `-`,
/// `*`, `/`, `%` and unary `!`, with C precedence and associativity.
/// Comparisons and logical operators yield 0 or 1, as in C.
///
/// Evaluation never traps, because the expression comes from a translation file
/// rather than from code we control: division or remainder by zero yields 0 and
/// arithmetic wraps on overflow.
///
/// `evaluate(_:)` returns the raw value of the expression. An expression can
/// produce a value outside `0..<nplurals` (nothing in its syntax prevents it);
/// `POCatalogue.pluralForm(for:)` maps such values to form 0, as GNU gettext does.
public struct PluralFormsExpression: Sendable {
    /// Longer input is rejected outright; real rules are well under 200 characters.
    public static let maximumSourceLength = 1000

    /// Bounds parser and evaluator recursion so that hostile input cannot
    /// exhaust a (possibly small, concurrency-pool) thread stack. The most
    /// deeply nested real rule (Arabic) needs about 7.
    static let maximumNestingDepth = 64

    /// The expression text as given.
    public let source: String
    private let root: PluralFormsNode

    public init(_ source: String) throws(PluralFormsSyntaxError) {
        let scalars = Array(source.unicodeScalars)
        guard scalars.count <= Self.maximumSourceLength else {
            throw PluralFormsSyntaxError(
                message: "expression is longer than \(Self.maximumSourceLength) characters",
                column: Self.maximumSourceLength + 1
            )
        }
        var parser = PluralFormsParser(tokens: try PluralFormsTokenizer.tokens(in: scalars))
        self.root = try parser.parseWholeExpression()
        self.source = source
    }

    /// The value of the expression with `n` set to `count`.
    public func evaluate(_ count: Int) -> Int {
        root.evaluate(n: count)
    }
}

/// A syntax error in a `plural=` expression.
public struct PluralFormsSyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    /// 1-based position in the expression source where the problem was found.
    public let column: Int

    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}

// MARK: - Syntax tree and evaluation

private indirect enum PluralFormsNode: Sendable {
    case variable
    case literal(Int)
    case not(PluralFormsNode)
    case binary(PluralFormsBinaryOperator, PluralFormsNode, PluralFormsNode)
    case conditional(PluralFormsNode, whenTrue: PluralFormsNode, whenFalse: PluralFormsNode)

    func evaluate(n: Int) -> Int {
        switch self {
        case .variable:
            return n
        case .literal(let value):
            return value
        case .not(let operand):
            return operand.evaluate(n: n) == 0 ? 1 : 0
        case .conditional(let condition, let whenTrue, let whenFalse):
            return condition.evaluate(n: n) != 0 ? whenTrue.evaluate(n: n) : whenFalse.evaluate(n: n)
        case .binary(.logicalOr, let left, let right):
            // Short-circuit, as in C.
            return left.evaluate(n: n) != 0 || right.evaluate(n: n) != 0 ? 1 : 0
        case .binary(.logicalAnd, let left, let right):
            return left.evaluate(n: n) != 0 && right.evaluate(n: n) != 0 ? 1 : 0
        case .binary(let op, let left, let right):
            return op.apply(left.evaluate(n: n), right.evaluate(n: n))
        }
    }
}

private enum PluralFormsBinaryOperator: Sendable {
    case logicalOr, logicalAnd
    case equal, notEqual
    case less, greater, lessOrEqual, greaterOrEqual
    case add, subtract
    case multiply, divide, remainder

    /// C precedence; higher binds tighter. All of these are left-associative.
    var precedence: Int {
        switch self {
        case .logicalOr: 1
        case .logicalAnd: 2
        case .equal, .notEqual: 3
        case .less, .greater, .lessOrEqual, .greaterOrEqual: 4
        case .add, .subtract: 5
        case .multiply, .divide, .remainder: 6
        }
    }

    func apply(_ left: Int, _ right: Int) -> Int {
        switch self {
        case .logicalOr: (left != 0 || right != 0) ? 1 : 0
        case .logicalAnd: (left != 0 && right != 0) ? 1 : 0
        case .equal: left == right ? 1 : 0
        case .notEqual: left != right ? 1 : 0
        case .less: left < right ? 1 : 0
        case .greater: left > right ? 1 : 0
        case .lessOrEqual: left <= right ? 1 : 0
        case .greaterOrEqual: left >= right ? 1 : 0
        case .add: left &+ right
        case .subtract: left &- right
        case .multiply: left &* right
        // `ReportingOverflow` also covers Int.min / -1, which would otherwise trap.
        case .divide: right == 0 ? 0 : left.dividedReportingOverflow(by: right).partialValue
        case .remainder: right == 0 ? 0 : left.remainderReportingOverflow(dividingBy: right).partialValue
        }
    }
}

// MARK: - Tokenizer

private struct PluralFormsToken {
    enum Kind: Equatable {
        case variable
        case literal(Int)
        case binary(PluralFormsBinaryOperator)
        case not
        case questionMark
        case colon
        case openParenthesis
        case closeParenthesis
        case end
    }

    let kind: Kind
    /// 1-based position in the source.
    let column: Int

    var spelling: String {
        switch kind {
        case .variable: "n"
        case .literal(let value): String(value)
        case .binary(let op): op.spelling
        case .not: "!"
        case .questionMark: "?"
        case .colon: ":"
        case .openParenthesis: "("
        case .closeParenthesis: ")"
        case .end: "end of expression"
        }
    }
}

extension PluralFormsBinaryOperator {
    fileprivate var spelling: String {
        switch self {
        case .logicalOr: "||"
        case .logicalAnd: "&&"
        case .equal: "=="
        case .notEqual: "!="
        case .less: "<"
        case .greater: ">"
        case .lessOrEqual: "<="
        case .greaterOrEqual: ">="
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .remainder: "%"
        }
    }
}

private enum PluralFormsTokenizer {
    static func tokens(in scalars: [Unicode.Scalar]) throws(PluralFormsSyntaxError) -> [PluralFormsToken] {
        var tokens: [PluralFormsToken] = []
        var index = 0

        func next(is expected: Unicode.Scalar) -> Bool {
            index + 1 < scalars.count && scalars[index + 1] == expected
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let column = index + 1
            var length = 1
            let kind: PluralFormsToken.Kind

            switch scalar {
            case " ", "\t", "\n", "\r":
                index += 1
                continue
            case "n":
                kind = .variable
            case "0"..."9":
                var value = 0
                var end = index
                while end < scalars.count, ("0"..."9").contains(scalars[end]) {
                    let digit = Int(scalars[end].value - ("0" as Unicode.Scalar).value)
                    let (shifted, overflowedShift) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflowedAdd) = shifted.addingReportingOverflow(digit)
                    guard !overflowedShift, !overflowedAdd else {
                        throw PluralFormsSyntaxError(message: "number is too large", column: column)
                    }
                    value = sum
                    end += 1
                }
                kind = .literal(value)
                length = end - index
            case "(": kind = .openParenthesis
            case ")": kind = .closeParenthesis
            case "?": kind = .questionMark
            case ":": kind = .colon
            case "+": kind = .binary(.add)
            case "-": kind = .binary(.subtract)
            case "*": kind = .binary(.multiply)
            case "/": kind = .binary(.divide)
            case "%": kind = .binary(.remainder)
            case "|" where next(is: "|"):
                kind = .binary(.logicalOr); length = 2
            case "&" where next(is: "&"):
                kind = .binary(.logicalAnd); length = 2
            case "=" where next(is: "="):
                kind = .binary(.equal); length = 2
            case "!" where next(is: "="):
                kind = .binary(.notEqual); length = 2
            case "!":
                kind = .not
            case "<" where next(is: "="):
                kind = .binary(.lessOrEqual); length = 2
            case "<":
                kind = .binary(.less)
            case ">" where next(is: "="):
                kind = .binary(.greaterOrEqual); length = 2
            case ">":
                kind = .binary(.greater)
            default:
                throw PluralFormsSyntaxError(message: "unexpected character '\(scalar)'", column: column)
            }
            tokens.append(PluralFormsToken(kind: kind, column: column))
            index += length
        }
        tokens.append(PluralFormsToken(kind: .end, column: scalars.count + 1))
        return tokens
    }
}

// MARK: - Parser

/// Recursive descent for `?:`, `!` and parentheses, precedence climbing for the
/// binary operators (so a long flat chain like `n+n+n+…` costs no extra depth).
private struct PluralFormsParser {
    private let tokens: [PluralFormsToken]
    private var position = 0
    private var nestingDepth = 0

    init(tokens: [PluralFormsToken]) {
        self.tokens = tokens
    }

    private var current: PluralFormsToken {
        // `tokens` always ends with `.end` and `position` never moves past it.
        tokens[position]
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func unexpected(_ token: PluralFormsToken, expecting expectation: String) -> PluralFormsSyntaxError {
        PluralFormsSyntaxError(
            message: "expected \(expectation) but found \(token.spelling)",
            column: token.column
        )
    }

    private mutating func enterNesting(at token: PluralFormsToken) throws(PluralFormsSyntaxError) {
        nestingDepth += 1
        guard nestingDepth <= PluralFormsExpression.maximumNestingDepth else {
            throw PluralFormsSyntaxError(message: "expression is nested too deeply", column: token.column)
        }
    }

    mutating func parseWholeExpression() throws(PluralFormsSyntaxError) -> PluralFormsNode {
        let node = try parseConditional()
        guard current.kind == .end else {
            throw unexpected(current, expecting: "an operator")
        }
        return node
    }

    /// conditional := binary ( '?' conditional ':' conditional )?
    private mutating func parseConditional() throws(PluralFormsSyntaxError) -> PluralFormsNode {
        let condition = try parseBinary(minimumPrecedence: 1)
        guard current.kind == .questionMark else { return condition }
        try enterNesting(at: current)
        defer { nestingDepth -= 1 }
        advance()
        let whenTrue = try parseConditional()
        guard current.kind == .colon else {
            throw unexpected(current, expecting: "':'")
        }
        advance()
        let whenFalse = try parseConditional()
        return .conditional(condition, whenTrue: whenTrue, whenFalse: whenFalse)
    }

    private mutating func parseBinary(minimumPrecedence: Int) throws(PluralFormsSyntaxError) -> PluralFormsNode {
        var left = try parseUnary()
        while case .binary(let op) = current.kind, op.precedence >= minimumPrecedence {
            advance()
            // `+ 1` makes operators of equal precedence associate to the left.
            let right = try parseBinary(minimumPrecedence: op.precedence + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    /// unary := '!' unary | primary
    private mutating func parseUnary() throws(PluralFormsSyntaxError) -> PluralFormsNode {
        guard current.kind == .not else { return try parsePrimary() }
        try enterNesting(at: current)
        defer { nestingDepth -= 1 }
        advance()
        return .not(try parseUnary())
    }

    /// primary := 'n' | integer | '(' conditional ')'
    private mutating func parsePrimary() throws(PluralFormsSyntaxError) -> PluralFormsNode {
        let token = current
        switch token.kind {
        case .variable:
            advance()
            return .variable
        case .literal(let value):
            advance()
            return .literal(value)
        case .openParenthesis:
            try enterNesting(at: token)
            defer { nestingDepth -= 1 }
            advance()
            let inner = try parseConditional()
            guard current.kind == .closeParenthesis else {
                throw unexpected(current, expecting: "')' to match '(' at column \(token.column)")
            }
            advance()
            return inner
        default:
            throw unexpected(token, expecting: "'n', a number or '('")
        }
    }
}
