/// A horizontal bar of a 0–100 score in eighths of a cell.
enum Bar {
    static func render(_ score: Double, width: Int) -> String {
        let eighths = Int((min(max(score, 0), 100) / 100 * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { bar += partials[eighths % 8] }
        let used = eighths / 8 + (eighths % 8 > 0 ? 1 : 0)
        return bar + String(repeating: "·", count: width - used)
    }
}

/// A one-line trend of official totals, scaled between the lowest and highest
/// shown (the numbers beside it give the size of the moves); all equal → a flat middle line.
enum Sparkline {
    static func render(_ tenths: [Int?]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let known = tenths.compactMap { $0 }
        guard let low = known.min(), let high = known.max() else { return "" }
        return String(
            tenths.map { t -> Character in
                guard let t else { return " " }
                return high == low ? blocks[3] : blocks[(t - low) * 7 / (high - low)]
            })
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
