import Testing
@testable import OtwartyCore

// MARK: - Plural rules

private let polishRule = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
private let ukrainianRule = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
private let englishRule = "(n != 1)"

/// A minimal catalogue whose header declares `nplurals=count; plural=rule;`.
private func catalogue(nplurals count: Int, plural rule: String, language: String = "xx") throws -> POCatalogue {
    try POCatalogue(parsing: """
        msgid ""
        msgstr ""
        "Language: \(language)\\n"
        "Plural-Forms: nplurals=\(count); plural=\(rule);\\n"
        """)
}

@Suite("Plural-Forms rules")
struct PluralRuleTests {
    @Test("Polish", arguments: [
        (1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (22, 1), (25, 2), (112, 2), (0, 2),
    ])
    func polish(count: Int, form: Int) throws {
        let catalogue = try catalogue(nplurals: 3, plural: polishRule, language: "pl")
        #expect(catalogue.pluralForm(for: count) == form)
    }

    @Test("Ukrainian and Russian", arguments: [
        (1, 0), (11, 2), (21, 0), (3, 1), (14, 2), (5, 2), (0, 2), (111, 2), (101, 0), (22, 1),
    ])
    func ukrainian(count: Int, form: Int) throws {
        let catalogue = try catalogue(nplurals: 3, plural: ukrainianRule, language: "uk")
        #expect(catalogue.pluralForm(for: count) == form)
    }

    @Test("English", arguments: [(0, 1), (1, 0), (2, 1), (11, 1), (101, 1)])
    func english(count: Int, form: Int) throws {
        let catalogue = try catalogue(nplurals: 2, plural: englishRule, language: "en")
        #expect(catalogue.pluralForm(for: count) == form)
    }

    @Test func withoutHeaderTheRuleIsGettextsDefault() throws {
        let catalogue = try POCatalogue(parsing: "")
        #expect(catalogue.pluralCount == 2)
        #expect(catalogue.language == nil)
        #expect(catalogue.pluralForm(for: 1) == 0)
        #expect(catalogue.pluralForm(for: 0) == 1)
        #expect(catalogue.pluralForm(for: 7) == 1)
    }

    @Test func singleFormLanguages() throws {
        let catalogue = try catalogue(nplurals: 1, plural: "0", language: "ja")
        #expect(catalogue.pluralCount == 1)
        #expect(catalogue.pluralForm(for: 1) == 0)
        #expect(catalogue.pluralForm(for: 1000) == 0)
    }

    @Test func ruleResultOutsideTheFormsFallsBackToFormZero() throws {
        let catalogue = try catalogue(nplurals: 2, plural: "n")
        #expect(catalogue.pluralForm(for: 1) == 1)
        #expect(catalogue.pluralForm(for: 2) == 0)
        #expect(catalogue.pluralForm(for: 57) == 0)
    }

    @Test func negativeCountsUseTheirMagnitude() throws {
        let catalogue = try catalogue(nplurals: 3, plural: polishRule, language: "pl")
        #expect(catalogue.pluralForm(for: -1) == 0)
        #expect(catalogue.pluralForm(for: -22) == 1)
        #expect(catalogue.pluralForm(for: Int.min) == catalogue.pluralForm(for: Int.max))
    }
}

// MARK: - Expression language

@Suite("Plural-Forms expressions")
struct PluralFormsExpressionTests {
    @Test("C precedence and associativity", arguments: [
        ("n + 2 * 3", 4, 10),
        ("(n + 2) * 3", 4, 18),
        ("n - 2 - 1", 10, 7),
        ("n / 2 / 2", 16, 4),
        ("n % 7 % 4", 13, 2),
        ("n == 1 || n == 2 && n == 3", 1, 1),
        ("n < 5 == 1", 3, 1),
        ("!n", 0, 1),
        ("!n", 5, 0),
        ("!!n", 5, 1),
        ("n != 1", 1, 0),
        ("n >= 3 && n <= 4", 4, 1),
        ("n > 3", 3, 0),
        // Right-associative: n==1 ? 0 : (n==2 ? 1 : 2)
        ("n==1 ? 0 : n==2 ? 1 : 2", 2, 1),
        ("n==1 ? 0 : n==2 ? 1 : 2", 9, 2),
        ("n ? n==1 ? 10 : 20 : 30", 2, 20),
        ("n ? n==1 ? 10 : 20 : 30", 0, 30),
    ])
    func evaluates(source: String, n: Int, expected: Int) throws {
        #expect(try PluralFormsExpression(source).evaluate(n) == expected)
    }

    @Test func divisionByZeroIsZero() throws {
        #expect(try PluralFormsExpression("10 / (n - 1)").evaluate(1) == 0)
        #expect(try PluralFormsExpression("10 % (n - 1)").evaluate(1) == 0)
        #expect(try PluralFormsExpression("n / (0 - 1)").evaluate(Int.min) == Int.min)
    }

    @Test func arithmeticOverflowWraps() throws {
        #expect(try PluralFormsExpression("n * n + n").evaluate(Int.max) == Int.max &* Int.max &+ Int.max)
    }

    @Test func arabicRule() throws {
        let arabic = try PluralFormsExpression(
            "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"
        )
        #expect([0, 1, 2, 3, 11, 100, 102].map(arabic.evaluate) == [0, 1, 2, 3, 4, 5, 5])
    }

    @Test("syntax errors", arguments: [
        ("", 1, "expected 'n', a number or '(' but found end of expression"),
        ("n ==", 5, "expected 'n', a number or '(' but found end of expression"),
        ("(n == 1", 8, "expected ')' to match '(' at column 1 but found end of expression"),
        ("n == 1)", 7, "expected an operator but found )"),
        ("n = 1", 3, "unexpected character '='"),
        ("n & 1", 3, "unexpected character '&'"),
        ("x", 1, "unexpected character 'x'"),
        ("n ? 1", 6, "expected ':' but found end of expression"),
        ("n 1", 3, "expected an operator but found 1"),
        ("-n", 1, "expected 'n', a number or '(' but found -"),
        ("99999999999999999999", 1, "number is too large"),
    ])
    func syntaxErrors(source: String, column: Int, message: String) {
        #expect(throws: PluralFormsSyntaxError(message: message, column: column)) {
            try PluralFormsExpression(source)
        }
    }

    @Test func rejectsOverlongSource() throws {
        let long = "n" + String(repeating: " ", count: PluralFormsExpression.maximumSourceLength)
        #expect(throws: PluralFormsSyntaxError.self) { try PluralFormsExpression(long) }
        let limit = String(repeating: " ", count: PluralFormsExpression.maximumSourceLength - 1) + "n"
        #expect(try PluralFormsExpression(limit).evaluate(3) == 3)
    }

    @Test func rejectsDeepNestingInsteadOfOverflowingTheStack() {
        let parentheses = String(repeating: "(", count: 400) + "n" + String(repeating: ")", count: 400)
        #expect(throws: PluralFormsSyntaxError.self) { try PluralFormsExpression(parentheses) }
        let negations = String(repeating: "!", count: 900) + "n"
        #expect(throws: PluralFormsSyntaxError.self) { try PluralFormsExpression(negations) }
    }

    @Test func longFlatChainsNeedNoNesting() throws {
        let chain = Array(repeating: "n", count: 400).joined(separator: "+")
        #expect(try PluralFormsExpression(chain).evaluate(2) == 800)
    }
}

// MARK: - Catalogue parsing

@Suite("PO catalogue")
struct POCatalogueTests {
    static let polishFile = #"""
        # Polish translation of Otwarty.
        # Copyright (C) 2025
        #, fuzzy
        msgid ""
        msgstr ""
        "Project-Id-Version: otwarty 0.1\n"
        "Language: pl\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);\n"

        #. Button on the front page.
        #: Sources/OtwartyWeb/Templates/index.mustache:12
        msgid "Sign in"
        msgstr "Zaloguj się"

        #: Sources/OtwartyWeb/Templates/files.mustache:3
        #, c-format
        msgid "%d file"
        msgid_plural "%d files"
        msgstr[0] "%d plik"
        msgstr[1] "%d pliki"
        msgstr[2] "%d plików"

        msgctxt "menu"
        msgid "Open"
        msgstr "Otwórz"

        msgctxt "status"
        msgid "Open"
        msgstr "Otwarte"

        msgid ""
        "A long text "
        "split over lines."
        msgstr ""
        "Długi tekst "
        "podzielony na wiersze."

        msgid "Escapes"
        msgstr "tab:\t newline:\n quote:\" backslash:\\ end"

        #, fuzzy
        msgid "Guessed"
        msgstr "Zgadnięte"

        #| msgid "Old text"
        #, fuzzy, c-format
        msgid "Guessed %d"
        msgstr "Zgadnięte %d"

        msgid "Untranslated"
        msgstr ""

        msgid "%d folder"
        msgid_plural "%d folders"
        msgstr[0] "%d folder"
        msgstr[1] ""
        msgstr[2] "%d folderów"

        #~ msgid "Obsolete"
        #~ msgstr "Przestarzałe"
        """#

    @Test func readsHeaderEvenWhenFuzzy() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile, fileName: "pl.po")
        #expect(catalogue.language == "pl")
        #expect(catalogue.pluralCount == 3)
        #expect(catalogue.pluralForm(for: 22) == 1)
    }

    @Test func looksUpSingularTranslations() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.string("Sign in") == "Zaloguj się")
        #expect(catalogue.string("Missing") == nil)
        #expect(catalogue.string("") == nil, "the header is not a translation")
    }

    @Test func concatenatesMultiLineStrings() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.string("A long text split over lines.") == "Długi tekst podzielony na wiersze.")
    }

    @Test func decodesEscapes() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.string("Escapes") == "tab:\t newline:\n quote:\" backslash:\\ end")
        let more = try POCatalogue(parsing: #"msgid "a\"b\\c""# + "\n" + #"msgstr "\r\a\b\f\v""#)
        #expect(more.string("a\"b\\c") == "\r\u{07}\u{08}\u{0C}\u{0B}")
    }

    @Test func separatesContexts() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.string("Open", context: "menu") == "Otwórz")
        #expect(catalogue.string("Open", context: "status") == "Otwarte")
        #expect(catalogue.string("Open") == nil)
        #expect(catalogue.string("Open", context: "other") == nil)
    }

    @Test func choosesPluralForms() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.plural("%d file", count: 1) == "%d plik")
        #expect(catalogue.plural("%d file", count: 3) == "%d pliki")
        #expect(catalogue.plural("%d file", count: 5) == "%d plików")
        #expect(catalogue.plural("%d file", count: 22) == "%d pliki")
        #expect(catalogue.plural("%d file", count: 112) == "%d plików")
        #expect(catalogue.string("%d file") == "%d plik", "a singular lookup gets form 0")
        #expect(catalogue.plural("Sign in", count: 5) == "Zaloguj się", "an entry without plural forms has one")
        #expect(catalogue.plural("%d files", count: 5) == nil, "plural entries are keyed by their singular msgid")
    }

    @Test func skipsFuzzyAndUntranslatedEntries() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.string("Guessed") == nil)
        #expect(catalogue.string("Guessed %d") == nil)
        #expect(catalogue.string("Untranslated") == nil)
        #expect(catalogue.plural("%d folder", count: 1) == nil, "a plural with an empty form is untranslated")
        #expect(catalogue.string("Obsolete") == nil)
    }

    @Test func listsKeysWithGettextContextSeparator() throws {
        let catalogue = try POCatalogue(parsing: Self.polishFile)
        #expect(catalogue.keys == [
            "Sign in",
            "%d file",
            "menu\u{4}Open",
            "status\u{4}Open",
            "A long text split over lines.",
            "Escapes",
        ])
    }

    @Test func acceptsWindowsLineEndingsAndByteOrderMark() throws {
        let text = "\u{FEFF}msgid \"\"\r\nmsgstr \"Language: uk\\n\"\r\n\r\nmsgid \"Yes\"\r\nmsgstr \"Так\"\r\n"
        let catalogue = try POCatalogue(parsing: text)
        #expect(catalogue.language == "uk")
        #expect(catalogue.string("Yes") == "Так")
    }

    @Test func fuzzyFlagAppliesOnlyToItsOwnEntry() throws {
        let catalogue = try POCatalogue(parsing: """
            msgid "One"
            msgstr "Jeden"
            #, fuzzy
            msgid "Two"
            msgstr "Dwa"
            msgid "Three"
            msgstr "Trzy"
            """)
        #expect(catalogue.keys == ["One", "Three"])
    }

    @Test func headerMayComeAfterPluralEntries() throws {
        let catalogue = try POCatalogue(parsing: #"""
            msgid "day"
            msgid_plural "days"
            msgstr[0] "день"
            msgstr[1] "дні"
            msgstr[2] "днів"

            msgid ""
            msgstr "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
            """#)
        #expect(catalogue.plural("day", count: 21) == "день")
        #expect(catalogue.plural("day", count: 24) == "дні")
        #expect(catalogue.plural("day", count: 11) == "днів")
    }

    @Test func describesErrorsLikeACompiler() {
        let error = POParseError(fileName: "uk.po", line: 42, message: "msgstr without msgid")
        #expect(error.description == "uk.po:42: msgstr without msgid")
    }
}

// MARK: - Errors

struct POErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let source: String
    let line: Int
    let message: String

    var testDescription: String { name }
}

@Suite("PO catalogue errors")
struct POCatalogueErrorTests {
    static let cases: [POErrorCase] = [
        POErrorCase(
            name: "msgstr without msgid",
            source: """
                msgid "a"
                msgstr "b"

                msgstr "c"
                """,
            line: 4, message: "msgstr without msgid"),
        POErrorCase(
            name: "msgid without msgstr, followed by another msgid",
            source: """
                msgid "a"
                msgstr "b"
                msgid "c"
                msgid "d"
                msgstr "e"
                """,
            line: 3, message: "msgid without msgstr"),
        POErrorCase(
            name: "msgid without msgstr at the end",
            source: """
                msgid "a"
                msgstr "b"

                msgid "c"
                """,
            line: 4, message: "msgid without msgstr"),
        POErrorCase(
            name: "msgctxt without msgid",
            source: """
                msgctxt "menu"
                msgctxt "other"
                msgid "a"
                msgstr "b"
                """,
            line: 1, message: "msgctxt without msgid"),
        POErrorCase(
            name: "msgctxt at the end",
            source: "msgid \"a\"\nmsgstr \"b\"\nmsgctxt \"menu\"",
            line: 3, message: "msgctxt without msgid"),
        POErrorCase(
            name: "msgctxt straight before msgstr",
            source: "msgctxt \"menu\"\nmsgstr \"b\"",
            line: 2, message: "msgstr without msgid"),
        POErrorCase(
            name: "unterminated string",
            source: "msgid \"a\"\nmsgstr \"b",
            line: 2, message: "unterminated string"),
        POErrorCase(
            name: "unterminated string ending in a backslash",
            source: "msgid \"a\"\nmsgstr \"b\\",
            line: 2, message: "unterminated string"),
        POErrorCase(
            name: "unterminated continuation",
            source: "msgid \"a\"\nmsgstr \"\"\n\"b",
            line: 3, message: "unterminated string"),
        POErrorCase(
            name: "bad escape",
            source: "msgid \"a\"\nmsgstr \"b\\q\"",
            line: 2, message: "invalid escape sequence '\\q'"),
        POErrorCase(
            name: "octal escape",
            source: "msgid \"a\\101\"\nmsgstr \"b\"",
            line: 1, message: "invalid escape sequence '\\1'"),
        POErrorCase(
            name: "text after the string",
            source: "msgid \"a\" \"b\"\nmsgstr \"c\"",
            line: 1, message: "unexpected text after closing quote"),
        POErrorCase(
            name: "keyword without a string",
            source: "msgid \"a\"\nmsgstr",
            line: 2, message: "expected a quoted string after msgstr"),
        POErrorCase(
            name: "unknown keyword",
            source: "msgid \"a\"\nmsgtsr \"b\"",
            line: 2, message: "unknown keyword 'msgtsr'"),
        POErrorCase(
            name: "stray text",
            source: "msgid \"a\"\nmsgstr \"b\"\n= oops",
            line: 3, message: "expected a keyword, a comment or a string, found '= oops'"),
        POErrorCase(
            name: "continuation without a keyword",
            source: "\"orphan\"\nmsgid \"a\"\nmsgstr \"b\"",
            line: 1, message: "string continuation without a keyword before it"),
        POErrorCase(
            name: "continuation after a comment that closed the entry",
            source: "msgid \"a\"\nmsgstr \"b\"\n# note\n\"c\"",
            line: 4, message: "string continuation without a keyword before it"),
        POErrorCase(
            name: "malformed plural index",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[x] \"b\"",
            line: 3, message: "malformed plural index; expected msgstr[N] with N a number"),
        POErrorCase(
            name: "indexed msgstr without msgid_plural",
            source: "msgid \"a\"\nmsgstr[0] \"b\"",
            line: 2, message: "msgstr[0] without msgid_plural"),
        POErrorCase(
            name: "plain msgstr in a plural entry",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"b\"",
            line: 3, message: "msgstr without an index in an entry with msgid_plural; expected msgstr[0]"),
        POErrorCase(
            name: "plural indices out of order",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[2] \"c\"",
            line: 4, message: "expected msgstr[1] but found msgstr[2]"),
        POErrorCase(
            name: "repeated plural index",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[0] \"c\"",
            line: 4, message: "expected msgstr[1] but found msgstr[0]"),
        POErrorCase(
            name: "plural index beyond nplurals",
            source: #"""
                msgid ""
                msgstr ""
                "Plural-Forms: nplurals=2; plural=(n != 1);\n"

                msgid "a"
                msgid_plural "as"
                msgstr[0] "b"
                msgstr[1] "bs"
                msgstr[2] "bss"
                """#,
            line: 9, message: "msgstr[2] is out of range: nplurals=2"),
        POErrorCase(
            name: "plural index beyond the default nplurals",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[1] \"c\"\nmsgstr[2] \"d\"",
            line: 5,
            message: "msgstr[2] is out of range: nplurals=2 (gettext's default; there is no Plural-Forms header)"),
        POErrorCase(
            name: "fuzzy entries are still checked",
            source: "#, fuzzy\nmsgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[1] \"c\"\nmsgstr[2] \"d\"",
            line: 6,
            message: "msgstr[2] is out of range: nplurals=2 (gettext's default; there is no Plural-Forms header)"),
        POErrorCase(
            name: "msgid_plural without msgid",
            source: "msgid_plural \"as\"\nmsgstr[0] \"b\"",
            line: 1, message: "msgid_plural without msgid"),
        POErrorCase(
            name: "msgid_plural after msgstr",
            source: "msgid \"a\"\nmsgstr \"b\"\nmsgid_plural \"as\"",
            line: 3, message: "msgid_plural after msgstr"),
        POErrorCase(
            name: "duplicate msgid_plural",
            source: "msgid \"a\"\nmsgid_plural \"as\"\nmsgid_plural \"ass\"\nmsgstr[0] \"b\"",
            line: 3, message: "duplicate msgid_plural"),
        POErrorCase(
            name: "duplicate msgstr",
            source: "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"",
            line: 3, message: "duplicate msgstr"),
        POErrorCase(
            name: "duplicate message",
            source: "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"",
            line: 4, message: "duplicate message definition (first defined at line 1)"),
        POErrorCase(
            name: "duplicate message in the same context",
            source: "msgctxt \"x\"\nmsgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\nmsgctxt \"x\"\nmsgid \"a\"\nmsgstr \"d\"",
            line: 7, message: "duplicate message definition (first defined at line 2)"),
        POErrorCase(
            name: "bad Plural-Forms expression",
            source: #"""
                msgid ""
                msgstr ""
                "Language: pl\n"
                "Plural-Forms: nplurals=3; plural=(n = 1 ? 0 : 1);\n"
                "X-Generator: hand\n"
                """#,
            line: 4, message: "bad Plural-Forms expression '(n = 1 ? 0 : 1)': unexpected character '=' at column 4"),
        POErrorCase(
            name: "unbalanced Plural-Forms expression",
            source: #"""
                msgid ""
                msgstr "Plural-Forms: nplurals=2; plural=(n != 1;\n"
                """#,
            line: 2,
            message: "bad Plural-Forms expression '(n != 1': expected ')' to match '(' at column 1 but found end of expression at column 8"),
        POErrorCase(
            name: "Plural-Forms without nplurals",
            source: #"""
                msgid ""
                msgstr ""
                "Plural-Forms: plural=(n != 1);\n"
                """#,
            line: 3, message: "bad Plural-Forms header: missing nplurals="),
        POErrorCase(
            name: "Plural-Forms without plural",
            source: #"""
                msgid ""
                msgstr ""
                "Plural-Forms: nplurals=2;\n"
                """#,
            line: 3, message: "bad Plural-Forms header: missing plural="),
        POErrorCase(
            name: "Plural-Forms with zero forms",
            source: #"""
                msgid ""
                msgstr ""
                "Plural-Forms: nplurals=0; plural=0;\n"
                """#,
            line: 3, message: "bad Plural-Forms header: nplurals must be a positive integer, found '0'"),
    ]

    @Test(arguments: cases)
    func reportsLineAndMessage(_ errorCase: POErrorCase) {
        #expect(throws: POParseError(fileName: "uk.po", line: errorCase.line, message: errorCase.message)) {
            try POCatalogue(parsing: errorCase.source, fileName: "uk.po")
        }
    }

    @Test func defaultFileNameIsMemory() {
        #expect(throws: POParseError(fileName: "<memory>", line: 1, message: "msgstr without msgid")) {
            try POCatalogue(parsing: "msgstr \"x\"")
        }
    }
}
