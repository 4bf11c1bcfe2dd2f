// The CSV scanner's block marks (`CSVScanner`, MeritInput): a module of their own, apart from the engine's
// CPU hint in CMeritHints, so that only the reader sees them (ARCHITECTURE.md "Module graph").
#ifndef CCSVSCAN_H
#define CCSVSCAN_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Where the CSV structure bytes of a 16-byte block are: bit i of each mask
/// is set when byte i is the delimiter, an LF, a quote, a byte >= 0x80, a
/// byte <= 0x20 (space, tab, CR, LF and other controls: a cell may need
/// trimming only where one of these is), or a CR or NUL (`stops`: a CR ends
/// a record too, docs/reference.md §15 "Line ends", and a NUL makes a cell the outputs
/// cannot hold; the split stops at either and looks at the byte).
typedef struct {
    uint32_t delimiters;
    uint32_t lineFeeds;
    uint32_t quotes;
    uint32_t nonASCII;
    uint32_t blanks;
    uint32_t stops;
} merit_block_marks;

/// Marks the 16 bytes at `p` (all readable) in one pass: three compares and
/// four mask extractions with SSE2, which every x86-64 CPU has; elsewhere a
/// plain loop that gives the same marks. The CSV scanner's split of an
/// unquoted record reads its bytes through this (issue: company scale): the
/// eight-byte arithmetic it replaces took about five times the instructions.
static inline merit_block_marks merit_mark_block16(const uint8_t *p, uint8_t delimiter) {
    merit_block_marks marks;
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    marks.delimiters = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8((char)delimiter)));
    marks.lineFeeds = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n')));
    marks.quotes = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')));
    marks.nonASCII = (uint32_t)_mm_movemask_epi8(bytes);
    marks.blanks = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x20)), bytes));
    marks.stops = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r')),
                                                           _mm_cmpeq_epi8(bytes, _mm_setzero_si128())));
#else
    marks.delimiters = 0;
    marks.lineFeeds = 0;
    marks.quotes = 0;
    marks.nonASCII = 0;
    marks.blanks = 0;
    marks.stops = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t b = p[i];
        marks.delimiters |= (uint32_t)(b == delimiter) << i;
        marks.lineFeeds |= (uint32_t)(b == '\n') << i;
        marks.quotes |= (uint32_t)(b == '"') << i;
        marks.nonASCII |= (uint32_t)(b >= 0x80) << i;
        marks.blanks |= (uint32_t)(b <= 0x20) << i;
        marks.stops |= (uint32_t)(b == '\r' || b == 0) << i;
    }
#endif
    return marks;
}

/// The marks of the 32 bytes at `p` (all readable): two 16-byte blocks, the
/// second's marks in the high half of each mask. The CSV split takes a
/// typical record in two steps instead of four.
static inline merit_block_marks merit_mark_block32(const uint8_t *p, uint8_t delimiter) {
    merit_block_marks low = merit_mark_block16(p, delimiter);
    merit_block_marks high = merit_mark_block16(p + 16, delimiter);
    merit_block_marks marks;
    marks.delimiters = low.delimiters | high.delimiters << 16;
    marks.lineFeeds = low.lineFeeds | high.lineFeeds << 16;
    marks.quotes = low.quotes | high.quotes << 16;
    marks.nonASCII = low.nonASCII | high.nonASCII << 16;
    marks.blanks = low.blanks | high.blanks << 16;
    marks.stops = low.stops | high.stops << 16;
    return marks;
}

/// An anonymous in-memory file (Linux memfd_create), close-on-exec; -1 when it cannot be made. Swift's Glibc module
/// does not export memfd_create: an XLSX workbook read once into memory is handed to the ZIP reader through it.
int merit_memfd(void);

/// Seals an in-memory file against any change (writes, growing, shrinking, further seals), so that the bytes handed on
/// through /proc/self/fd are the bytes that were hashed; 0 on success.
int merit_memfd_seal(int fd);

#endif
