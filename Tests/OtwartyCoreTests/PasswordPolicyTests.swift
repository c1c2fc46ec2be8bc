import Testing
@testable import OtwartyCore

@Suite struct PasswordPolicyTests {
    let policy = try! PasswordPolicy.bundled()

    @Test func acceptsLongUncommonPassphrases() {
        #expect(policy.problem(with: "zielony rower nad Wisłą") == nil)
        #expect(policy.problem(with: "correct horse battery") == nil)
        #expect(policy.problem(with: "ąęłńóśźż1234") == nil)
    }

    @Test func refusesShortOnesWithoutCompositionRules() {
        #expect(policy.problem(with: "Sh0rt!pass") == .tooShort(minimum: 12))
        #expect(policy.problem(with: "alllowercaseletters") == nil)
    }

    @Test func refusesCommonAndGuessable() {
        #expect(policy.problem(with: "qwerty123456") == .common)
        #expect(policy.problem(with: "QWERTY123456") == .common)
        #expect(policy.problem(with: "password2024!") == .common)
        #expect(policy.problem(with: "aaaaaaaaaaaa") == .common)
        #expect(policy.problem(with: "abcabcabcabc") == .common)
        #expect(policy.problem(with: "123456789012") == .common)
        #expect(policy.problem(with: "abcdefghijkl") == .common)
        #expect(policy.problem(with: "anna.nowak2024", context: ["anna.nowak"]) == .containsContext)
        #expect(policy.problem(with: "otwartykrakow1", context: ["otwarty", "krakow"]) != nil)
    }

    @Test func refusesWhatBcryptWouldTruncate() {
        #expect(policy.problem(with: String(repeating: "ż", count: 40)) == .tooLong(maximumBytes: 72))
    }
}
