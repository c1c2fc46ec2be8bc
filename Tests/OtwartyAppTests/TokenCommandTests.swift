import Foundation
import OtwartyApp
import Testing

/// `otwarty token create --days N`: the lifetime is checked before anything runs.
@Suite struct TokenCommandTests {
    @Test func daysOutsideOneToThreeHundredSixtyFiveAreRefused() throws {
        for days in ["0", "-1", "366", "99999999999999999999", "ninety", ""] {
            #expect(throws: (any Error).self, "\(days)") {
                _ = try OtwartyCommand.parseAsRoot(["token", "create", "--email", "a@example.org", "--days", days])
            }
        }
        for days in ["1", "90", "365"] {
            _ = try OtwartyCommand.parseAsRoot(["token", "create", "--email", "a@example.org", "--days", days])
        }
        _ = try OtwartyCommand.parseAsRoot(["token", "create", "--email", "a@example.org"])
    }
}
