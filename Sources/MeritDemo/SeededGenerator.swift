// The demo company must be reproducible byte for byte (same seed and scale →
// same files), on every platform and toolchain. That rules out
// `SystemRandomNumberGenerator` and also the standard library's
// `random(in:using:)` helpers, whose algorithms are not a stable contract.
// Everything random in MeritDemo goes through this generator and its own
// fixed integer arithmetic; floating point is limited to + − × ÷ and square
// root, which IEEE 754 defines exactly (no libm `exp`/`log`/`sin`).

/// SplitMix64 (Steele, Lea & Flood 2014): expands one 64-bit seed into
/// well-mixed state words for `SeededGenerator`, and derives independent
/// streams from a seed and a stream label. Public because tests across the
/// package use it for reproducible random data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(state: UInt64) { self.state = state }

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): the fast, seeded generator behind
/// every random choice of the demo company. Each dataset uses its own stream
/// (`stream(_:)`) so that adding rows to one file never changes another.
struct SeededGenerator: RandomNumberGenerator {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        var mix = SplitMix64(state: seed)
        s0 = mix.next()
        s1 = mix.next()
        s2 = mix.next()
        s3 = mix.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is a fixed point
    }

    /// A generator for one named purpose (a dataset, a phase), independent
    /// of how many numbers other purposes draw.
    init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a over the label
        for byte in stream.utf8 {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var mix = SplitMix64(state: seed ^ h)
        self.init(seed: mix.next())
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<n (n > 0), by Lemire's multiply-high reduction
    /// (bias below 2⁻³² for the sizes used here, and fully deterministic).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(n).multipliedFullWidth(by: next()).high)
    }

    /// Uniform integer in the closed range.
    @inline(__always)
    mutating func between(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    /// Uniform double in [lo, hi).
    @inline(__always)
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// True with probability p.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Approximately standard normal (Irwin–Hall: twelve uniforms − 6), which
    /// needs no transcendental functions and is bounded to ±6.
    mutating func normal() -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += unit() }
        return sum - 6
    }

    /// A count with mean `mean` (mean ≥ 0): the integer part plus a Bernoulli
    /// trial for the fraction, spread by a little binomial noise.
    mutating func count(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        // Binomial(2m, 1/2)-like spread without per-trial loops for large m.
        let spread = mean.squareRoot() * 0.5
        let x = mean + spread * normal()
        if x <= 0 { return 0 }
        let whole = Int(x)
        return whole + (chance(x - Double(whole)) ? 1 : 0)
    }

    /// An element of a non-empty array.
    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Vose's alias method: draws an index with probability proportional to its
/// weight in O(1), which keeps the ten-million-row scales fast.
struct AliasTable {
    private let threshold: [UInt64]
    private let alias: [Int32]
    /// Sum of the weights given (0 when nothing can be drawn).
    let total: Double

    init(weights: [Double]) {
        let n = weights.count
        var sum = 0.0
        for w in weights where w > 0 { sum += w }
        total = sum
        guard n > 0, sum > 0 else {
            threshold = []
            alias = []
            return
        }
        var scaled = [Double](repeating: 0, count: n)
        for i in 0..<n { scaled[i] = max(weights[i], 0) * Double(n) / sum }
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        var thr = [UInt64](repeating: UInt64.max, count: n)
        var ali = [Int32](repeating: 0, count: n)
        for i in 0..<n { ali[i] = Int32(i) }
        while let s = small.popLast() {
            guard let l = large.last else { break }
            thr[s] = Self.threshold(scaled[s])
            ali[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Whatever is left (rounding residue) keeps itself with certainty.
        threshold = thr
        alias = ali
    }

    private static func threshold(_ p: Double) -> UInt64 {
        if p <= 0 { return 0 }
        if p >= 1 { return UInt64.max }
        return UInt64(p * 18_446_744_073_709_549_568.0)  // largest double below 2⁶⁴
    }

    var isEmpty: Bool { threshold.isEmpty }

    @inline(__always)
    func draw(_ rng: inout SeededGenerator) -> Int {
        let i = rng.below(threshold.count)
        return rng.next() < threshold[i] ? i : Int(alias[i])
    }
}

/// A small categorical distribution (≤ a dozen outcomes) stored as
/// cumulative 64-bit thresholds: one random word and a short scan per draw.
struct CategoricalTable: Sendable {
    private let cumulative: [UInt64]

    /// `probabilities` need not sum to 1; they are normalised.
    init(_ probabilities: [Double]) {
        cumulative = Self.thresholds(probabilities)
    }

    /// The cumulative thresholds of all outcomes but the last.
    static func thresholds(_ probabilities: [Double]) -> [UInt64] {
        var sum = 0.0
        for p in probabilities { sum += max(p, 0) }
        var acc = 0.0
        var cum: [UInt64] = []
        for p in probabilities.dropLast() {
            acc += max(p, 0) / sum
            cum.append(acc >= 1 ? UInt64.max : UInt64(acc * 18_446_744_073_709_549_568.0))
        }
        return cum
    }

    @inline(__always)
    func draw(_ rng: inout SeededGenerator) -> Int {
        let u = rng.next()
        var k = 0
        while k < cumulative.count && u >= cumulative[k] { k += 1 }
        return k
    }
}

/// Many categorical distributions with the same outcomes, one per row (per
/// person and survey dimension, say), in one flat array: the hot loops draw
/// from them without reference counting.
struct CategoricalRows {
    private var thresholds: [UInt64]
    private let width: Int

    init(rows: Int, outcomes: Int) {
        width = outcomes - 1
        thresholds = [UInt64](repeating: UInt64.max, count: rows * width)
    }

    mutating func set(row: Int, _ probabilities: [Double]) {
        let t = CategoricalTable.thresholds(probabilities)
        for k in 0..<width { thresholds[row * width + k] = t[k] }
    }

    @inline(__always)
    func draw(row: Int, _ rng: inout SeededGenerator) -> Int {
        let u = rng.next()
        let base = row * width
        var k = 0
        while k < width && u >= thresholds[base + k] { k += 1 }
        return k
    }
}
