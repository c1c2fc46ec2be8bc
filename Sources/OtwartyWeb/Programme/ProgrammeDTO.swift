import OtwartyCore

/// The public JSON shape of a programme (`GET /api/v1/programme`), kept apart from the domain
/// type so the domain can change without breaking API clients. Described in openapi.yaml.
struct ProgrammeDTO: Encodable {
    struct PeriodDTO: Encodable { var from: Int; var to: Int }
    struct ReportDueDTO: Encodable { var month: Int; var day: Int }
    struct MeasureDTO: Encodable { var code: String; var name: String }

    struct TaskDTO: Encodable {
        var number: Int
        var code: String
        var title: String
        var measures: [MeasureDTO]
        /// Always present: null means a continuous task.
        @Nullable var deadline: String?
        var products: [String]
        var implementers: [String]
        var partners: [String]
    }

    struct GoalDTO: Encodable {
        var number: Int
        var title: String
        var outcomes: [String]
        var tasks: [TaskDTO]
    }

    struct ResultDTO: Encodable {
        struct Baseline: Encodable { var value: Double; var year: Int }
        struct Target: Encodable { var value: Double; var comparison: String; var text: String? }
        var goal: Int
        var indicator: String
        var weight: Double
        var unit: String
        var baseline: Baseline
        var target: Target
    }

    struct RiskDTO: Encodable {
        var goal: Int
        var name: String
        var score: Int
        var level: String
        var response: String
        var responseDetail: String
    }

    struct PartnerAreaDTO: Encodable { var area: String; var partners: [String] }

    var slug: String
    var title: String
    var resolution: String
    var adopted: String
    var replaces: String?
    var language: String
    var period: PeriodDTO
    var reportDue: ReportDueDTO
    var mainGoal: String
    var goals: [GoalDTO]
    var results: [ResultDTO]
    var risks: [RiskDTO]
    var financingSources: [String]
    var partnerAreas: [PartnerAreaDTO]
    var cooperationBodies: [String]

    init(_ p: Programme) {
        slug = p.slug
        title = p.title
        resolution = p.resolution
        adopted = p.adopted.description
        replaces = p.replaces
        language = p.language
        period = .init(from: p.period.from, to: p.period.to)
        reportDue = .init(month: p.reportDue.month, day: p.reportDue.day)
        mainGoal = p.mainGoal
        goals = p.goals.map { goal in
            GoalDTO(number: goal.number, title: goal.title, outcomes: goal.outcomes, tasks: goal.tasks.map { task in
                TaskDTO(number: task.number, code: task.code, title: task.title,
                        measures: task.measures.map { MeasureDTO(code: $0.code, name: $0.name) },
                        deadline: task.deadline?.description, products: task.products,
                        implementers: task.implementers, partners: task.partners)
            })
        }
        results = p.results.map { r in
            ResultDTO(goal: r.goal, indicator: r.indicator, weight: r.weight, unit: r.unit.rawValue,
                      baseline: .init(value: r.baseline.value, year: r.baseline.year),
                      target: .init(value: r.target.value, comparison: r.target.comparison.rawValue, text: r.target.text))
        }
        risks = p.risks.map { r in
            RiskDTO(goal: r.goal, name: r.name, score: r.score,
                    level: (p.riskScale.level(forScore: r.score) ?? .low).rawValue,
                    response: r.response.rawValue, responseDetail: r.responseDetail)
        }
        financingSources = p.financingSources
        partnerAreas = p.partnerAreas.map { PartnerAreaDTO(area: $0.area, partners: $0.partners) }
        cooperationBodies = p.cooperationBodies
    }
}

struct ProgrammeListDTO: Encodable {
    struct Item: Encodable {
        var slug: String
        var title: String
        var resolution: String
        var period: ProgrammeDTO.PeriodDTO
        var href: String
    }
    var programmes: [Item]
}
