import OtwartyCore

/// Turns a `Programme` into the page models, formatting numbers and dates for the reader.
struct ProgrammePageBuilder {
    let programme: Programme
    let language: String
    let localiser: Localiser

    var format: Formatting { Formatting(language: language) }
    var slug: String { programme.slug }

    /// The programme's glosses when the reader's language has them (never in the programme's
    /// own language: the original is shown alone there).
    var glosses: ProgrammeGlosses {
        let shipped = ProgrammeGlosses.bundled(slug: programme.slug)
        return shipped.covers(language) && language != programme.language ? shipped : .none
    }

    func gloss(_ element: ProgrammeGlosses.Element) -> String? { glosses.text(element, language) }

    /// A few sentences about the programme in the reader's language, else its main goal.
    var summary: (text: String, language: String) {
        if let text = ProgrammeGlosses.bundled(slug: programme.slug).summaries[language] { return (text, language) }
        return (programme.mainGoal, programme.language)
    }

    func header() -> ProgrammeHeader {
        ProgrammeHeader(
            slug: slug, title: programme.title, language: programme.language, resolution: programme.resolution,
            adopted: format.date(programme.adopted),
            period: "\(programme.period.from)–\(programme.period.to)", mainGoal: programme.mainGoal,
            href: SiteURL.programme(slug: slug).path(language),
            resultsHref: SiteURL.results(slug: slug).path(language),
            risksHref: SiteURL.risks(slug: slug).path(language),
            mainGoalGloss: gloss(.mainGoal), glossNotice: glosses.notice(language))
    }

    func summary(_ goal: Goal) -> GoalSummary {
        GoalSummary(
            number: goal.number, title: goal.title, outcomes: goal.outcomes,
            href: SiteURL.goal(slug: slug, number: goal.number).path(language),
            taskCount: localiser.plural("programme.task-count", count: goal.tasks.count, language),
            tasks: goal.tasks.map { Link(title: "\($0.code) \($0.title)", href: SiteURL.task(slug: slug, code: $0.code).path(language),
                                         gloss: gloss(.task($0.code))) },
            gloss: gloss(.goal(goal.number)))
    }

    func detail(_ task: ProgrammeTask) -> TaskDetail {
        TaskDetail(
            code: task.code, title: task.title, href: SiteURL.task(slug: slug, code: task.code).path(language),
            measures: task.measures.map {
                MeasureItem(code: $0.code, name: $0.name, gloss: gloss(.measure($0.code)),
                            howCounted: ValueExplainer(programme: programme, language: language, localiser: localiser).measure($0, value: nil))
            },
            deadline: task.deadline.map(format.date) ?? localiser.text("task.continuous", language),
            isContinuous: task.isContinuous, products: task.products, hasProducts: !task.products.isEmpty,
            implementers: task.implementers, partners: task.partners, hasPartners: !task.partners.isEmpty,
            gloss: gloss(.task(task.code)))
    }

    func resultRow(_ result: ResultIndicator) -> ResultRow {
        let unitSuffix = result.unit == .percent ? "%" : ""
        let comparison = localiser.text("results.comparison.\(result.target.comparison.rawValue)", language)
        return ResultRow(
            goal: result.goal, goalHref: SiteURL.goal(slug: slug, number: result.goal).path(language),
            indicator: result.indicator,
            weight: format.number(result.weight * 100) + "%",
            unit: localiser.text("unit.\(result.unit.rawValue)", language),
            baseline: format.number(result.baseline.value) + unitSuffix, baselineYear: result.baseline.year,
            target: "\(comparison) \(format.number(result.target.value))\(unitSuffix)",
            targetText: result.target.text,
            gloss: programme.results.firstIndex(of: result).flatMap { gloss(.result($0 + 1)) })
    }

    func riskRow(_ risk: Risk) -> RiskRow {
        let level = programme.riskScale.level(forScore: risk.score)
        return RiskRow(
            goal: risk.goal, goalHref: SiteURL.goal(slug: slug, number: risk.goal).path(language),
            name: risk.name, score: risk.score,
            level: level.map { localiser.text("risk.level.\($0.rawValue)", language) } ?? "—",
            levelCode: level?.rawValue ?? "unknown",
            response: localiser.text("risk.response.\(risk.response.rawValue)", language),
            responseDetail: risk.responseDetail)
    }

    func scaleRows() -> [ScaleRow] {
        programme.riskScale.bands.sorted { $0.from > $1.from }.map { band in
            ScaleRow(range: band.from == band.to ? "\(band.from)" : "\(band.from)–\(band.to)",
                     level: localiser.text("risk.level.\(band.level.rawValue)", language),
                     levelCode: band.level.rawValue)
        }
    }
}
