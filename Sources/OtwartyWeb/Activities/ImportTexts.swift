import OtwartyCore

extension Localiser {
    /// The kinds' and audiences' labels in every language of the catalogues: what an import file
    /// may write instead of the codes (`ActivityCSVLabels`). The page, whatever its language, and
    /// the command line accept all four, so a file does not depend on who loads it.
    public func importLabels() -> ActivityCSVLabels {
        let codes = languages.map(\.code)
        func labels(_ key: String) -> [String] {
            codes.compactMap { catalogues[$0]?.string(key) }
        }
        return ActivityCSVLabels(
            kinds: Dictionary(uniqueKeysWithValues: ActivityKind.allCases.map { ($0, labels("activity.kind.\($0.rawValue)")) }),
            audiences: Dictionary(uniqueKeysWithValues: Audience.allCases.map { ($0, labels("activity.audience.\($0.rawValue)")) }))
    }

    /// One problem of an import file in the page's language, placed as the English one is:
    /// "wiersz 2 (linia 3), kolumna date: „10.05.2025” nie jest datą …". Column names stay as the
    /// file has them (they are the format's names, the same in every language).
    func importProblem(_ error: ActivityCSVError, _ language: String) -> String {
        func fill(_ key: String, _ values: [String: String]) -> String {
            values.reduce(text(key, language)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        var place: [String] = []
        switch (error.row, error.line) {
        case let (row?, line?): place.append(fill("import.place.row-line", ["row": String(row), "line": String(line)]))
        case let (row?, nil): place.append(fill("import.place.row", ["row": String(row)]))
        case let (nil, line?): place.append(fill("import.place.line", ["line": String(line)]))
        case (nil, nil): break
        }
        if let column = error.column { place.append(fill("import.place.column", ["column": column])) }
        let message = fill(error.problem.key, error.problem.parameters)
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}
