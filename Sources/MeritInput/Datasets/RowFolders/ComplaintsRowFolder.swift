import MeritEngine

/// `complaints` rows (docs/reference.md §2.2): one ticket each, resolved no earlier than it was opened; a
/// `ticket_id` is required and may not repeat.
struct ComplaintsRowFolder: RowFolder {
    static let dataset = Dataset.complaints
    static let uniqueKey: UniqueKeyColumns? = UniqueKeyColumns(column: "ticket_id")

    let ticket, openedAt, resolvedAt, firstContact, escalated: Column
    let zone: Int32

    init(_ v: RowValidator, context: DatasetContext) {
        ticket = v.column("ticket_id"); openedAt = v.column("opened_at"); resolvedAt = v.column("resolved_at")
        firstContact = v.column("first_contact_resolved"); escalated = v.column("escalated")
        zone = context.zone
    }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        if record.isAbsent(ticket.index) { row.v.fail(ticket, "ticket_id is required but empty") }
        let who = row.employee(record)
        let opened = row.v.timestamp(record, openedAt, required: true)
        let resolved = row.v.timestamp(record, resolvedAt)
        let fcr = row.v.bool(record, firstContact)
        let escalated = row.v.bool(record, self.escalated)
        let openedInstant = opened?.instant(zoneOffsetSeconds: zone)
        let resolvedInstant = resolved?.instant(zoneOffsetSeconds: zone)
        if let o = openedInstant, let r = resolvedInstant, r < o {
            row.v.fail(resolvedAt, "resolved_at is earlier than opened_at")
        }
        guard row.v.isValid, let slot = row.slot(who), let opened, let openedInstant else { return }
        let complaint = ComplaintTicket(
            slot: slot, openedDate: opened.date(inZoneOffsetSeconds: zone), opened: openedInstant,
            resolved: resolvedInstant, firstContactResolved: fcr, escalated: escalated)
        if row.holding { row.hold(.complaint(complaint)) } else { tallies.add(complaint) }
    }
}
