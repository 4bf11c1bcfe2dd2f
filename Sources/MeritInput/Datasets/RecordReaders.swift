import MeritEngine

extension DatasetContext {
    /// Streams one record dataset into the tallies, validating every row
    /// whatever its date (spec §2.1), and folding only the valid rows of
    /// evaluated employees (spec §2.3).
    func readRecords(_ dataset: Dataset, path: String, into tallies: inout MetricTallies) throws {
        let file = directory.fileName(dataset)
        let (reader, binding) = try open(dataset, path: path)
        var v = RowValidator(binding: binding)
        let population = self.population!
        let log = self.log
        var seen: [String: Int] = [:]  // unique ids (ticket, response, order) or quota keys → first line
        func unique(_ key: String?, _ column: String, _ what: String, line: Int) {
            guard let key else { return }
            if let first = seen[key] { v.fail(column, "duplicate \(what) (first on line \(first))") } else { seen[key] = line }
        }
        try stream(reader, file: file) { record in
            v.reset()
            let line = record.line
            switch dataset {
            case .surveys:
                let id = v.text(record, "employee_id", required: true)
                let at = v.timestamp(record, "responded_at", required: true)
                let score = v.number(record, "score")
                var recommend: Int?
                if let r = v.number(record, "recommend") {
                    if r == r.rounded(), (0...10).contains(r) { recommend = Int(r) } else {
                        v.fail("recommend", "recommend must be an integer from 0 to 10, not \(record.string(binding.index("recommend")) ?? "")")
                    }
                }
                let dimension = v.text(record, "dimension")
                let responseID = v.text(record, "response_id")
                unique(responseID, "response_id", "response_id '\(responseID ?? "")'", line: line)
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let at, let slot = population.slot(of: id) else { break }
                let response = SurveyResponse(slot: slot, date: at.date(inZoneOffsetSeconds: zone), score: score,
                                              recommend: recommend, dimension: dimension)
                if let violation = tallies.scaleViolation(response) {
                    v.fail("score", "score \(record.string(binding.index("score")) ?? "") is outside the scale [\(plainNumber(violation.scale.lowerBound)), \(plainNumber(violation.scale.upperBound))] of metric '\(violation.metricID)'")
                } else {
                    tallies.add(response)
                }
            case .accounts:
                let customer = v.text(record, "customer_id", required: true)
                let id = v.text(record, "employee_id", required: true)
                let since = v.date(record, "since", required: true)
                let until = v.date(record, "until")
                var transfer = false
                if until != nil, let reason = v.text(record, "end_reason") {
                    switch reason.lowercased() {
                    case "churn": break
                    case "transfer": transfer = true
                    default: v.fail("end_reason", "end_reason must be churn or transfer, not '\(reason)'")
                    }
                }
                if let since, let until, until <= since { v.fail("until", "until \(until) must be after since \(since)") }
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let customer, let since else { break }
                tallies.add(AccountSpell(slot: population.slot(of: id), customerID: customer, since: since,
                                         until: until, endsByTransfer: transfer))
            case .complaints:
                let ticket = v.text(record, "ticket_id", required: true)
                let id = v.text(record, "employee_id", required: true)
                let opened = v.timestamp(record, "opened_at", required: true)
                let resolved = v.timestamp(record, "resolved_at")
                let fcr = v.bool(record, "first_contact_resolved")
                let escalated = v.bool(record, "escalated")
                let openedInstant = opened?.instant(zoneOffsetSeconds: zone)
                let resolvedInstant = resolved?.instant(zoneOffsetSeconds: zone)
                if let o = openedInstant, let r = resolvedInstant, r < o {
                    v.fail("resolved_at", "resolved_at is earlier than opened_at")
                }
                unique(ticket, "ticket_id", "ticket_id '\(ticket ?? "")'", line: line)
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let opened, let openedInstant, let slot = population.slot(of: id) else { break }
                tallies.add(ComplaintTicket(slot: slot, openedDate: opened.date(inZoneOffsetSeconds: zone), opened: openedInstant,
                                            resolved: resolvedInstant, firstContactResolved: fcr, escalated: escalated))
            case .sales:
                let id = v.text(record, "employee_id", required: true)
                let date = v.date(record, "date", required: true)
                let currency = id.flatMap { known[$0] } ?? rubric.currency
                let amount = v.money(record, "amount", currency: currency, required: true)
                let orderID = v.text(record, "order_id")
                unique(orderID, "order_id", "order_id '\(orderID ?? "")'", line: line)
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let date, let amount, let slot = population.slot(of: id) else { break }
                tallies.add(SaleLine(slot: slot, date: date, amountThousandths: amount))
            case .feedback:
                let id = v.text(record, "employee_id", required: true)
                let at = v.timestamp(record, "received_at", required: true)
                var sentiment: Sentiment?
                if let text = v.text(record, "sentiment", required: true) {
                    sentiment = Sentiment(rawValue: text.lowercased())
                    if sentiment == nil { v.fail("sentiment", "sentiment must be positive, neutral or negative, not '\(text)'") }
                }
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let at, let sentiment, let slot = population.slot(of: id) else { break }
                tallies.add(FeedbackItem(slot: slot, date: at.date(inZoneOffsetSeconds: zone), sentiment: sentiment))
            case .quotas:
                let id = v.text(record, "employee_id", required: true)
                var period: Period?
                if let text = v.text(record, "period", required: true) {
                    period = Period(text)
                    if period == nil { v.fail("period", "not a period id (YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM): '\(text)'") }
                }
                let currency = id.flatMap { known[$0] } ?? rubric.currency
                let quota = v.money(record, "quota", currency: currency, required: true)
                if let quota, quota <= 0 { v.fail("quota", "quota must be greater than 0") }
                if let id, let period {
                    unique("\(id)\u{0}\(period)", "period", "quota for employee '\(id)' in \(period)", line: line)
                }
                _ = knownEmployee(id, &v)
                guard v.isValid, let id, let period, let quota, let slot = population.slot(of: id) else { break }
                tallies.add(QuotaEntry(slot: slot, period: period, quotaThousandths: quota))
            case .employees, .pools:
                break
            }
            log.report(v.problems, dataset: dataset, file: file, line: line)
        }
    }
}
