import OtwartyCore

/// "How each number is counted" in the report (issue 13, "methodology beside every number"): one
/// entry per result and measure — definition, unit, source, known limits — in the report's
/// language, and beside each value a short note (unit and source) linking to its entry.
extension AnnualReportPresenter {
    /// The glosses that translate the programme's methodology texts (none for another programme).
    var glosses: ProgrammeGlosses { ProgrammeGlosses.bundled(slug: report.titlePage.programmeSlug) }

    /// The document anchor of an element's methodology entry.
    static func methodAnchor(_ element: ProgrammeGlosses.Element) -> String {
        switch element {
        case .result(let row): return "method-result-\(row)"
        case .measure(let code): return "method-\(code)"
        default: return "method-\(element)"
        }
    }

    func method(_ entry: AnnualReport.MethodEntry) -> AnnualReportShow.Method {
        let localised = entry.method.localised(entry.element, language: language, programmeLanguage: programmeLanguage,
                                               glosses: glosses)
        let label: String
        if case .result = entry.element { label = "\(t("results.goal")) \(entry.code)" } else { label = entry.code }
        return AnnualReportShow.Method(
            anchor: Self.methodAnchor(entry.element), label: label, name: entry.name,
            definition: localised.definition, definitionLanguage: localised.definitionLanguage,
            unit: unitText(localised.unit), sources: sourcesText(localised.sources),
            limits: localised.limits, limitsLanguage: localised.limitsLanguage)
    }

    func unitText(_ unit: CountedUnit) -> String { t("methodology.unit.\(unit.rawValue)") }

    /// "approved activity records in Otwarty; a reference statistic entered each year with its source".
    func sourcesText(_ sources: [MethodSource]) -> String {
        sources.map { t("methodology.source.\($0.rawValue)") }.joined(separator: "; ")
    }

    /// "Unit: attendances (…) · source: approved activity records in Otwarty".
    func shortNote(_ method: Methodology) -> String {
        "\(t("methodology.label.unit")): \(unitText(method.unit)) · \(t("methodology.label.source")): \(sourcesText(method.sources))"
    }

    /// The model with the methodology section and the notes beside the results and measures.
    func withMethods(_ model: AnnualReportShow.Model) -> AnnualReportShow.Model {
        var model = model
        model.methods = report.methods.map(method)
        model.hasMethods = !model.methods.isEmpty
        let byElement = Dictionary(report.methods.map { ($0.element, $0.method) }, uniquingKeysWith: { first, _ in first })
        for index in model.results.indices {
            let element = ProgrammeGlosses.Element.result(index + 1)
            guard let method = byElement[element] else { continue }
            model.results[index].methodNote = shortNote(method)
            model.results[index].methodHref = "#" + Self.methodAnchor(element)
        }
        for g in model.goals.indices {
            for t in model.goals[g].tasks.indices {
                for m in model.goals[g].tasks[t].measures.indices {
                    let element = ProgrammeGlosses.Element.measure(model.goals[g].tasks[t].measures[m].code)
                    guard let method = byElement[element] else { continue }
                    model.goals[g].tasks[t].measures[m].methodNote = shortNote(method)
                    model.goals[g].tasks[t].measures[m].methodHref = "#" + Self.methodAnchor(element)
                }
            }
        }
        return model
    }
}
