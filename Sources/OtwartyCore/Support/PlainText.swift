import Foundation

/// Text as people type it without Polish or Ukrainian letters: lower case, diacritics removed,
/// `ł` read as `l` (Unicode gives `ł` no decomposition, so folding alone keeps it). One rule for
/// every place that compares typed text with stored names: the review queue's search
/// (`ActivityRecord.searchKey`, also the stored `search_text`), the CSV's names beside codes
/// (`ActivityCSVLabels.folded`) and district names.
public enum PlainText {
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
            .replacingOccurrences(of: "ł", with: "l")
    }
}
