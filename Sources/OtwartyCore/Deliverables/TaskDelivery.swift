/// Whether a task's products were delivered in time: the resolution's Table 1 gives each task a
/// deadline („termin realizacji”) and products („nazwa produktu”), so a dated task is met when
/// every product it names was delivered on or before the deadline — not when some record of the
/// task exists.
public enum TaskDelivery {
    /// Where `task` stands at the end of `day`, from its products' records (others are ignored;
    /// a product without a record is planned). Deliveries after `day` do not count yet.
    ///
    /// - continuous: no deadline (products are shown, "met" is not judged);
    /// - met: every product delivered, each on or before the deadline (also before it falls);
    /// - late: the deadline has passed (it is `day` or earlier) and every product is delivered,
    ///   some after the deadline;
    /// - overdue: the deadline has passed and not every product is delivered;
    /// - in progress: the deadline is still to come and some product is in progress or delivered;
    /// - due: the deadline is still to come and nothing has started.
    /// A dated task whose programme file lists no product has nothing to deliver: met.
    public static func status(of task: ProgrammeTask, endOf day: CalendarDate,
                              products recorded: [ProductRecord]) -> AnnualReport.DeadlineStatus {
        guard let deadline = task.deadline else { return .continuous }
        let products = Self.records(of: task, in: recorded)
        let deliveredDates = products.compactMap { $0.isDelivered(by: day) ? $0.deliveredOn : nil }
        let allDelivered = deliveredDates.count == products.count
        if allDelivered && deliveredDates.allSatisfy({ $0 <= deadline }) { return .met }
        if deadline <= day { return allDelivered ? .late : .overdue }
        let started = products.contains { $0.status == .inProgress || $0.isDelivered(by: day) }
        return started ? .inProgress : .due
    }

    /// The task's products in the programme's order, each as recorded or as planned when not.
    public static func records(of task: ProgrammeTask, in records: [ProductRecord]) -> [ProductRecord] {
        let mine = records.filter { $0.taskCode == task.code }
        let slug = mine.first?.programmeSlug ?? ""
        return task.products.indices.map { index in
            mine.first { $0.index == index } ?? .unrecorded(programmeSlug: slug, taskCode: task.code, index: index)
        }
    }
}
