import CCSVScan
import MeritDemo
import MeritEngine
import XCTest

@testable import MeritInput

/// The byte-keyed lookups of the streaming readers: exact, whatever the hash does.
final class LookupTests: XCTestCase {
    func testEmployeeDirectoryFindsByBytesAndKeepsTheFirstEntry() {
        var directory = EmployeeDirectory(capacity: 2)
        for i in 0..<5_000 { directory.insert("E\(i)", currency: i % 2 == 0 ? .usd : Currency("JPY")!) }
        directory.insert("E1", currency: .usd)  // a duplicate: ignored
        directory.insert("王芳", currency: .usd)
        directory.setSlot(7, for: "E10")
        func find(_ id: String) -> (currency: Currency, slot: Int32)? {
            var bytes = Array(id.utf8)
            return bytes.withUnsafeMutableBufferPointer { directory.find(UnsafeBufferPointer($0)) }
                .map { (directory.currencies[$0], directory.slots[$0]) }
        }
        XCTAssertEqual(find("E1")?.currency.code, "JPY")
        XCTAssertEqual(find("E10")?.slot, 7)
        XCTAssertEqual(find("E4")?.slot, -1)
        XCTAssertNotNil(find("王芳"))
        XCTAssertNil(find("E5000"))
        XCTAssertNil(find("e1"), "ids compare exactly")
        XCTAssertNil(find(""))
    }

    /// Ids of one shape are found by number; answers are those of the hash table, for known and unknown keys alike.
    func testNumberedIdsAnswerLikeTheHashTable() {
        func directory(_ ids: [String], numbered: Bool) -> EmployeeDirectory {
            var d = EmployeeDirectory(capacity: ids.count)
            for (i, id) in ids.enumerated() { d.insert(id, currency: i % 3 == 0 ? Currency("JPY")! : .usd) }
            if numbered { d.indexByNumber() }
            for (i, id) in ids.enumerated() where i % 2 == 0 { d.setSlot(i / 2, for: id) }
            return d
        }
        func answer(_ d: EmployeeDirectory, _ key: String) -> String {
            var bytes = Array(key.utf8)
            let found = bytes.withUnsafeMutableBufferPointer { buffer in d.withLookup { $0.lookup(UnsafeBufferPointer(buffer)) } }
            return found.map { "\($0.entry)/\($0.slot)/\($0.minorDigits)" } ?? "unknown"
        }
        let shapes: [[String]] = [
            (1...500).map { String(format: "E%05d", $0) },  // E00001…: numbered
            (0..<300).map { String(format: "%07d", $0 * 3) },  // digits only, sparse: numbered
            (1...200).map { String(format: "ACME-%04d", $0) },  // a longer text
            ["E00001", "E00002", "X00003"],  // two texts: hash table only
            ["E00001", "E0002"],  // two lengths: hash table only
            ["E1", "E99999999"],  // too sparse: hash table only
            ["ABCDEFGHI1", "ABCDEFGHI2"],  // text longer than 8 bytes: hash table only
        ]
        let probes = [
            "", "E", "E0", "E00000", "E00001", "E00250", "E00500", "E00501", "E0001", "E000001", "e00001", "F00001",
            "E0000A", "E00:01", "E00/01", "0000000", "0000003", "0000004", "0000897", "0000900", "ACME-0007", "ACME-9999",
            "ACME_0007", "X00003", "E0002", "E99999999", "ABCDEFGHI2", "E 00001", "E00001 ", "王芳",
        ]
        for (s, ids) in shapes.enumerated() {
            let hashed = directory(ids, numbered: false), numbered = directory(ids, numbered: true)
            XCTAssertEqual(numbered.isIndexedByNumber, s < 3, "\(ids.prefix(2))")
            for key in probes + ids.prefix(20) {
                XCTAssertEqual(answer(numbered, key), answer(hashed, key), "\(ids.prefix(2)): \(key)")
            }
        }
        XCTAssertEqual(answer(directory(shapes[0], numbered: true), "E00003"), "2/1/2", "entry 2, slot 1, USD")
        XCTAssertEqual(answer(directory(shapes[0], numbered: true), "E00004"), "3/-1/0", "JPY: no minor digits")
        XCTAssertEqual(answer(directory(shapes[0], numbered: true), "E00002"), "1/-1/2", "known, not evaluated")
    }

    /// The CSV split's 16- and 32-byte block marks, against a byte-by-byte reference, for every delimiter and many blocks.
    func testBlockMarksMatchAByteByByteReading() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x2C, 0x3B, 0x09, 0x0A, 0x0D, 0x22, 0x20, 0x41, 0x7F, 0x80, 0xC3, 0xFF, 0x00]
        for size in [16, 32] {
            for _ in 0..<5_000 {
                let block = (0..<size).map { _ in
                    Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                }
                for delimiter: UInt8 in [0x2C, 0x3B, 0x09] {
                    let marks = block.withUnsafeBufferPointer {
                        size == 16 ? merit_mark_block16($0.baseAddress!, delimiter) : merit_mark_block32($0.baseAddress!, delimiter)
                    }
                    func mask(_ test: (UInt8) -> Bool) -> UInt32 {
                        block.enumerated().reduce(0) { $0 | (test($1.element) ? 1 << UInt32($1.offset) : 0) }
                    }
                    XCTAssertEqual(marks.delimiters, mask { $0 == delimiter })
                    XCTAssertEqual(marks.lineFeeds, mask { $0 == 0x0A })
                    XCTAssertEqual(marks.quotes, mask { $0 == 0x22 })
                    XCTAssertEqual(marks.nonASCII, mask { $0 >= 0x80 })
                    XCTAssertEqual(marks.blanks, mask { $0 <= 0x20 })
                    XCTAssertEqual(marks.stops, mask { $0 == 0x0D || $0 == 0x00 })
                }
            }
        }
    }

    func testPartialWordsReadExactlyTheirBytes() {
        // Every length 0...8 at every offset of a buffer that ends right after the key.
        let text = Array("ABCDEFGHIJ".utf8)
        for start in 0..<text.count {
            for count in 0...min(8, text.count - start) {
                var expected: UInt64 = 0
                for i in 0..<count { expected |= UInt64(text[start + i]) << UInt64(8 * i) }
                let slice = Array(text[start..<(start + count)])
                let got = slice.withUnsafeBytes { loadPartialWord($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: count) }
                XCTAssertEqual(got, expected, "start \(start) count \(count)")
            }
        }
    }

    func testSentimentsAreWordsCaseInsensitivelyAndNothingElse() {
        func parse(_ text: String) -> Sentiment? {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBufferPointer { SentimentParser.parse(UnsafeBufferPointer($0)) }
        }
        XCTAssertEqual(parse("positive"), .positive)
        XCTAssertEqual(parse("NEUTRAL"), .neutral)
        XCTAssertEqual(parse("NeGaTiVe"), .negative)
        for bad in ["", "neutra", "positives", "neutral ", " neutral", "negativ\u{0}", "p0sitive", "neutr@l", "posit\u{C9}ve", "neutr\u{7F}l"] {
            XCTAssertNil(parse(bad), bad)
        }
        // Bytes that differ from a letter only in bit 5 are not letters.
        XCTAssertNil(parse("neutr\u{01}l"))
        XCTAssertNil(parse("NEUTR\u{0C}L"))
    }

    func testUniqueKeySetFlagsARepeatedFingerprint() {
        var keys = UniqueKeySet(expected: 1)
        for f in 1..<20_000 { XCTAssertTrue(keys.insert(UInt64(f) * 2 + 1)) }
        XCTAssertFalse(keys.insert(5 * 2 + 1))
    }

    func testTheResolverSeparatesRealDuplicatesFromFingerprintCollisions() {
        // Four rows share one fingerprint: R7 on line 3 is another id (a collision), line 9 repeats line 2, line 12 repeats line 3.
        let occurrences: [(line: Int, fingerprint: UInt64, text: String)] = [
            (12, 77, "R7"), (2, 77, "R1"), (3, 77, "R7"), (9, 77, "R1"), (4, 5, "R1"),
        ]
        XCTAssertEqual(DuplicateResolver.resolve(occurrences), [9: 2, 12: 3])
    }

    func testSurveyDimensionsMatchCaseInsensitively() throws {
        let rubric = try RubricLoader.parse(
            bytes: Array(
                """
                id: d
                version: 1
                metrics: [{id: a, kind: satisfaction_mean, params: {scale: [1, 5], dimension: Attitude}, weight: 1, scoring: {curve: percent}}]
                bands: [{id: A, min: 0, multiplier: 1}]
                """.utf8), file: "d.yaml")
        let matcher = SurveyDimensionMatcher(rubric: rubric)
        func match(_ s: String) -> String? {
            var b = Array(s.utf8)
            return b.withUnsafeMutableBufferPointer { matcher.match(UnsafeBufferPointer($0)) }
        }
        XCTAssertEqual(match("ATTITUDE"), "attitude")
        XCTAssertEqual(match("attitude"), "attitude")
        XCTAssertEqual(match("speed"), "")
        XCTAssertNil(match(""))
    }
}

/// The after-the-file repeat check that keeps hash probes off the hot path.
final class FingerprintDuplicatesTests: XCTestCase {
    func testFindsARepeatAnywhereAndNothingInDistinctValues() {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<200_000).map { _ in UInt64.random(in: 1...UInt64.max, using: &generator) }
        values = Array(Set(values))
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(values))
        XCTAssertFalse(FingerprintDuplicates.containsRepeat([]))
        XCTAssertFalse(FingerprintDuplicates.containsRepeat([42]))
        var repeated = values
        repeated.append(values[values.count / 2])
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(repeated))
        XCTAssertTrue(FingerprintDuplicates.containsRepeat([7, 7]))
        XCTAssertTrue(FingerprintDuplicates.containsRepeat([UInt64.max, 3, UInt64.max]))
    }
}

extension FingerprintDuplicatesTests {
    /// The parts' fingerprint logs, as a file's reading leaves them.
    func logs(_ parts: [[UInt64]]) -> [FingerprintLog] {
        parts.map { values in
            let log = FingerprintLog(capacity: 1)
            for v in values { log.append(v) }
            return log
        }
    }

    func testRepeatsAcrossSeparateListsAreFound() {
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(in: logs([[1, 3], [5], [], [7, 9]])))
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(in: logs([[1, 3], [5], [3]])))
    }
}

extension FingerprintDuplicatesTests {
    func fingerprint(_ key: String) -> UInt64 {
        var bytes = Array(key.utf8)
        return bytes.withUnsafeMutableBufferPointer { UniqueKeySet.fingerprint(UnsafeBufferPointer($0)) }
    }

    /// Eight digits read at once give the number they spell.
    func testEightDigitsAreReadAsTheirNumber() {
        for text in ["00000000", "00000001", "12345678", "99999999", "10000000", "07060504"] {
            let word = Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            XCTAssertTrue(UniqueKeySet.isEightDigits(word), text)
            XCTAssertEqual(UniqueKeySet.eightDigitValue(word), UInt64(text)!, text)
        }
        for text in ["1234567a", "/1234567", ":1234567", "12 45678", "1234567\u{0}"] {
            let word = Array(text.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            XCTAssertFalse(UniqueKeySet.isEightDigits(word), text)
        }
    }

    /// Unpadded numbered ids rise too, across a change in their number of digits.
    func testUnpaddedNumberedIdsRiseWithTheirNumber() {
        let numbers = Array(0..<2_000) + [99_999, 100_000, 9_999_999, 10_000_000, 123_456_789, 999_999_999_999_999]
        for prefix in ["R", "resp-", ""] {
            let prints = numbers.map { fingerprint(prefix + String($0)) }
            XCTAssertTrue(zip(prints, prints.dropFirst()).allSatisfy { $0 < $1 }, prefix)
        }
    }

    /// Numbered ids of one shape give fingerprints that rise with the number, across a change in the leading digit.
    func testNumberedIdsRiseWithTheirNumber() {
        func padded(_ prefix: String, _ n: Int, _ width: Int) -> String {
            prefix + String(repeating: "0", count: width - String(n).count) + String(n)
        }
        for (prefix, width, numbers) in [
            ("R", 9, Array(0..<3_000) + [99_999_999, 100_000_000, 999_999_999]),
            ("TCK-", 8, Array(1..<3_000) + [10_000_000, 99_999_999]),
            ("", 12, [0, 1, 9, 10, 123_456_789_012, 999_999_999_999]),
            ("SO-2026-", 15, [5, 50, 500_000_000_000_000]),
        ] {
            let prints = numbers.map { fingerprint(padded(prefix, $0, width)) }
            XCTAssertTrue(zip(prints, prints.dropFirst()).allSatisfy { $0 < $1 }, "\(prefix)…\(width)")
            XCTAssertTrue(prints.allSatisfy { $0 != 0 })
        }
    }

    /// Equal keys share a fingerprint whatever their shape; different shapes of one number do not collide.
    func testFingerprintsAreEqualExactlyForEqualKeys() {
        let keys = [
            "R000000001", "R00000001", "R0000000001", "X000000001", "000000001", "R000000001 ", "r000000001",
            "R1", "R", "", "12345678", "1234567", "ABCDEFGH12345678", "ABCDEFGH123456789", "A1234567890123456789",
            "B1234567890123456789", "TCK-00000042", "TCK-0000042", "E00001\u{0}2026-Q3", "E00002\u{0}2026-Q3", "王00000001",
        ]
        for (i, a) in keys.enumerated() {
            XCTAssertEqual(fingerprint(a), fingerprint(String(a)), a)
            for b in keys[(i + 1)...] { XCTAssertNotEqual(fingerprint(a), fingerprint(b), "\(a) / \(b)") }
        }
    }

    /// The one-pass check: rising lists whose ranges do not overlap hold no repeat; anything else goes to the scatter.
    func testRisingListsApartAreClearedAndOthersAreCheckedInFull() {
        func withBuffers(
            _ parts: ArraySlice<[UInt64]>, _ lent: [UnsafeBufferPointer<UInt64>],
            _ body: ([UnsafeBufferPointer<UInt64>]) -> Bool
        ) -> Bool {
            guard let part = parts.first else { return body(lent) }
            return part.withUnsafeBufferPointer { withBuffers(parts.dropFirst(), lent + [$0], body) }
        }
        /// The answer from the logs (rising ones kept as steps) and from plain lists, which must agree.
        func rising(_ parts: [[UInt64]]) -> Bool {
            let fromLogs = FingerprintDuplicates.risingAndApart(logs(parts))
            XCTAssertEqual(fromLogs, withBuffers(parts[...], []) { FingerprintDuplicates.risingAndApart($0) }, "\(parts)")
            return fromLogs
        }
        XCTAssertTrue(rising([[1, 3, 5], [], [7, 9], [6]]))
        XCTAssertTrue(rising([[1, 100_000, 100_001], [200_000]]), "rising by more than a step can hold")
        XCTAssertFalse(rising([[1, 3], [3, 5]]), "ranges touch")
        XCTAssertFalse(rising([[1, 5], [3]]), "ranges overlap")
        XCTAssertFalse(rising([[1, 1]]), "a repeat within a list")
        XCTAssertFalse(rising([[3, 2]]), "not rising")
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(in: logs([[9, 4, 7], [1, 2]])), "falling but distinct")
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(in: logs([[1, 2, 3], [10, 11], [3]])))
        let numbered = (1...5_000).map { fingerprint("R" + String(100_000_000 + $0)) }
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(in: logs([Array(numbered[..<2_500]), Array(numbered[2_500...])])))
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(in: logs([numbered.reversed()])), "shuffled numbered ids still spread")
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(in: logs([numbered, [numbered[1_234]]])))
    }

    /// A log keeps rising fingerprints as steps and turns into a plain list at the first that does not fit,
    /// giving back exactly what was appended either way, through several growths.
    func testALogGivesBackWhatWasAppendedInEitherForm() {
        var rng = SplitMix64(seed: 7)
        var expected: [UInt64] = []
        var value: UInt64 = 1_000
        for _ in 0..<50_000 { value += 1 + rng.next() % 65_535; expected.append(value) }  // steps up to 2^16 - 1
        let log = FingerprintLog(capacity: 1)
        for f in expected { log.append(f) }
        XCTAssertTrue(log.isRising)
        XCTAssertEqual(log.withFingerprints { Array($0) }, expected)
        XCTAssertEqual([log.count, Int(log.first), Int(log.last)], [expected.count, Int(expected[0]), Int(expected.last!)])
        for f in [value + 65_536, 3, 3] + (0..<50_000).map({ _ in rng.next() }) { log.append(f); expected.append(f) }
        XCTAssertFalse(log.isRising)
        XCTAssertEqual(log.withFingerprints { Array($0) }, expected)
        XCTAssertEqual(log.last, expected.last!)
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(in: [log]), "3 follows 3")
        let empty = FingerprintLog(capacity: 0)
        XCTAssertEqual(empty.withFingerprints { $0.count }, 0)
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(in: [empty, empty]))
    }

    /// Thousands of fingerprints sharing their top two bytes land in one group of the second scatter.
    func testCrowdedGroupsAndNeighbouringValuesAreToldApart() {
        let crowded = (0..<5_000).map { 0xABCD_0000_0000_0000 | UInt64($0) }  // neighbours, as numbered ids give
        XCTAssertFalse(FingerprintDuplicates.containsRepeat(crowded))
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(crowded + [crowded[4_321]]))
        XCTAssertTrue(FingerprintDuplicates.containsRepeat(in: logs([crowded, [], [0xABCD_0000_0000_0000]])))
    }
}

extension LookupTests {
    /// Ids of up to eight bytes are matched inside the bucket; longer ones also against the stored text.
    func testEmployeeDirectoryTellsApartIdsThatShareTheirFirstEightBytes() {
        let long = String(repeating: "x", count: 70)
        let ids = ["E1", "E1\u{0}", "E1\u{0}\u{0}", "ABCDEFGH", "ABCDEFGH1", "ABCDEFGH2", long, long + "y", String(long.dropLast())]
        var directory = EmployeeDirectory(capacity: 1)
        for (i, id) in ids.enumerated() { directory.insert(id, currency: i == 3 ? Currency("KWD")! : Currency("JPY")!) }
        for (i, id) in ids.enumerated() { directory.setSlot(i, for: id) }
        func lookup(_ id: String) -> EmployeeDirectory.Found? {
            var bytes = Array(id.utf8)
            return bytes.withUnsafeMutableBufferPointer { directory.lookup(UnsafeBufferPointer($0)) }
        }
        for (i, id) in ids.enumerated() {
            XCTAssertEqual(lookup(id)?.slot, Int32(i), "id \(id.debugDescription)")
            XCTAssertEqual(lookup(id)?.entry, i)
        }
        XCTAssertEqual(lookup("ABCDEFGH")?.minorDigits, 3, "the bucket carries the currency's minor digits")
        XCTAssertEqual(lookup("E1")?.minorDigits, 0)
        XCTAssertNil(lookup("ABCDEFGH3"))
        XCTAssertNil(lookup(long + "z"))
        XCTAssertNil(lookup("E1\u{0}\u{0}\u{0}"))
    }

}
