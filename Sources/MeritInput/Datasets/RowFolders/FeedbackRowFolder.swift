import MeritEngine

/// `feedback` rows (docs/reference.md §2.2): one piece of unprompted feedback each, positive, neutral or negative.
struct FeedbackRowFolder: RowFolder {
    static let dataset = Dataset.feedback
    static let uniqueKey: UniqueKeyColumns? = nil

    let receivedAt, sentiment: Column
    let zone: Int32

    init(_ v: RowValidator, context: DatasetContext) {
        receivedAt = v.column("received_at"); sentiment = v.column("sentiment")
        zone = context.zone
    }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        let who = row.employee(record)
        let at = row.v.timestamp(record, receivedAt, required: true)
        let sentiment = SentimentParser.parse(record.bytes(self.sentiment.index))
        if sentiment == nil {
            if let text = record.string(self.sentiment.index) {
                row.v.fail(self.sentiment, "sentiment must be positive, neutral or negative, not '\(InputLimits.quoted(text))'")
            } else {
                row.v.fail(self.sentiment, "sentiment is required but empty")
            }
        }
        guard row.v.isValid, let slot = row.slot(who), let at, let sentiment else { return }
        tallies.add(FeedbackItem(slot: slot, date: at.date(inZoneOffsetSeconds: zone), sentiment: sentiment))
    }
}

/// `positive`, `neutral` or `negative`, ASCII case-insensitive, from cell bytes (docs/reference.md §2.2 feedback).
///
/// The cell is read as one word and lowered in a register, letters only (any
/// other byte rejects it), so a feedback row allocates nothing.
enum SentimentParser {
    private static let positive = word("positive"), neutral = word("neutral"), negative = word("negative")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Sentiment? {
        guard bytes.count == 7 || bytes.count == 8, let base = bytes.baseAddress else { return nil }
        let raw = loadPartialWord(UnsafeRawPointer(base), count: bytes.count)
        // Only letters may be folded: a byte must be A-Z or a-z for the lowered word to be trusted.
        var folded: UInt64 = 0
        for i in 0..<bytes.count {
            let b = UInt8(truncatingIfNeeded: raw >> UInt64(8 * i))
            let lower = b | 0x20
            guard lower >= 0x61, lower <= 0x7A else { return nil }
            folded |= UInt64(lower) << UInt64(8 * i)
        }
        switch folded {
        case positive: return .positive
        case neutral: return .neutral
        case negative: return .negative
        default: return nil
        }
    }

    private static func word(_ text: StaticString) -> UInt64 {
        loadPartialWord(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }
}
