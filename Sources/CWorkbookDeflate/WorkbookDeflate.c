// The HR workbook's parts deflated at zlib level 1, on every core.
//
// libxlsxwriter 1.1.4 writes each XML part of the .xlsx through minizip
// (Debian links the system libminizip): it opens an entry, hands it the part
// in small blocks and closes it, and minizip deflates the blocks at
// Z_DEFAULT_COMPRESSION on the calling thread. There is no option for another
// level or for threads. For a company of 20,000 people that was ~30 MB of
// sheet XML, and deflating it was about half of writing the workbook
// (measured with perf, issue: company scale); at level 1 it was still about
// 0.2 s on one core.
//
// The executable defines four of minizip's entry points; the dynamic linker
// binds libxlsxwriter's calls to them (an executable's definitions come
// first), and they forward to the real functions (the next definition,
// RTLD_NEXT):
//
// - zipOpenNewFileInZip4_64 opens the entry in minizip's *raw* mode (the
//   caller supplies deflated bytes, the CRC and the size) and starts keeping
//   the part's bytes here, in blocks of PIECE bytes;
// - zipWriteInFileInZip copies the blocks libxlsxwriter hands over; as soon
//   as a part fills its first block a helper thread starts, and it deflates
//   each block as it fills, while libxlsxwriter goes on reading the part;
// - zipCloseFileInZip deflates what is left (the closing thread and the
//   helper share it), joins the pieces into one stream, writes it and closes
//   the entry with the CRC and size (zipCloseFileInZipRaw64);
// - zipClose drops what an entry left open by a failed write kept.
//
// Each piece is a raw deflate at level 1, primed with the 32 KB before it as
// its dictionary and ended by a sync flush (byte-aligned, not final); a last
// empty block with BFINAL ends the stream — the way pigz joins pieces, so the
// result is one standard deflate stream. The CRC is computed per piece and
// combined (crc32_combine).
//
// The bytes depend only on the part and PIECE, never on the number of cores,
// so a review written twice (SOURCE_DATE_EPOCH) is the same file everywhere.
// The entries' flags say level 1 ("super fast"), as they did when minizip
// deflated them. Where libxlsxwriter carries its own copy of minizip these
// functions are never called and the workbook is simply written by minizip at
// level 6.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "CWorkbookDeflate.h"

// minizip's zip.h (not installed with libxlsxwriter-dev): zipFile is void *,
// zip_fileinfo is only passed through, uInt/uLong are unsigned int/long,
// ZPOS64_T is unsigned long long.
typedef int (*merit_zip_open_fn)(void *file, const char *filename, const void *zipfi,
                                 const void *extrafield_local, unsigned int size_extrafield_local,
                                 const void *extrafield_global, unsigned int size_extrafield_global,
                                 const char *comment, int method, int level, int raw,
                                 int windowBits, int memLevel, int strategy,
                                 const char *password, unsigned long crcForCrypting,
                                 unsigned long versionMadeBy, unsigned long flagBase, int zip64);
typedef int (*merit_zip_write_fn)(void *file, const void *buf, unsigned int len);
typedef int (*merit_zip_close_fn)(void *file);
typedef int (*merit_zip_close_raw_fn)(void *file, unsigned long long uncompressed_size, unsigned long crc32);

#define MERIT_ZIP_OK 0
#define MERIT_ZIP_INTERNALERROR (-104)
#define MERIT_Z_DEFLATED 8

/// Bytes per independently deflated piece: big enough that the sync flush and
/// the restart cost nothing measurable (the file grows by well under 0.1 %),
/// small enough that a 20 MB sheet keeps two cores busy.
#define PIECE (1u << 20)
#define WINDOW 32768u

static atomic_long deflated_entries;

long merit_workbook_deflated_entries(void) { return atomic_load(&deflated_entries); }

// MARK: - The parts being kept, by zip file (a zip has at most one open entry)

/// One entry being written: its bytes in blocks of PIECE (never moved, so a
/// helper thread can deflate a full block while the next one fills), and the
/// deflated pieces as they are done.
typedef struct merit_capture {
    void *zip;
    struct merit_capture *next;

    pthread_mutex_t lock;
    pthread_cond_t wake;
    unsigned char **blocks;      // blocks[k] holds bytes [k * PIECE, (k + 1) * PIECE)
    unsigned char **deflated;    // deflated[k], deflated_count[k], crc[k]: piece k's result
    size_t *deflated_count;
    unsigned long *crc;
    size_t block_slots;          // allocated length of the four arrays above
    size_t count;                // bytes received
    size_t ready;                // pieces that may be deflated (full blocks; all of them once closing)
    size_t taken;                // pieces a thread has started on
    int closing;
    int failed;                  // memory or zlib trouble: the close reports it
    int has_helper;
    pthread_t helper;
} merit_capture;

static pthread_mutex_t captures_lock = PTHREAD_MUTEX_INITIALIZER;
static merit_capture *captures;

/// Unlinks and returns the capture of `zip`, or NULL.
static merit_capture *take_capture(void *zip) {
    pthread_mutex_lock(&captures_lock);
    merit_capture **link = &captures;
    while (*link && (*link)->zip != zip) link = &(*link)->next;
    merit_capture *found = *link;
    if (found) *link = found->next;
    pthread_mutex_unlock(&captures_lock);
    return found;
}

static merit_capture *find_capture(void *zip) {
    pthread_mutex_lock(&captures_lock);
    merit_capture *c = captures;
    while (c && c->zip != zip) c = c->next;
    pthread_mutex_unlock(&captures_lock);
    return c;
}

static void finish_helper(merit_capture *c);

static void free_capture(merit_capture *c) {
    if (!c) return;
    finish_helper(c);
    for (size_t k = 0; k < c->block_slots; k++) {
        free(c->blocks[k]);
        free(c->deflated[k]);
    }
    free(c->blocks);
    free(c->deflated);
    free(c->deflated_count);
    free(c->crc);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

// MARK: - Deflating in pieces

/// Deflates piece `k` (raw deflate at the workbook level, the 32 KB before it
/// as dictionary, ended by a sync flush) and stores it in the capture.
/// Called without the lock, with the block and its predecessor (both full,
/// no longer written; blocks never move); results are stored under the lock.
static int deflate_piece(merit_capture *c, size_t k, const unsigned char *input, const unsigned char *previous,
                         size_t length) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, MERIT_WORKBOOK_DEFLATE_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    if (previous && deflateSetDictionary(&z, previous + PIECE - WINDOW, WINDOW) != Z_OK) {
        deflateEnd(&z);
        return 0;
    }
    size_t capacity = deflateBound(&z, (uLong)length) + 64;
    unsigned char *out = malloc(capacity);
    if (!out) { deflateEnd(&z); return 0; }
    z.next_in = (Bytef *)input;
    z.avail_in = (uInt)length;
    z.next_out = out;
    z.avail_out = (uInt)capacity;
    int ok = 1;
    for (;;) {
        int status = deflate(&z, Z_SYNC_FLUSH);
        if (status == Z_STREAM_ERROR) { ok = 0; break; }
        if (z.avail_in == 0 && z.avail_out > 0) break;       // all in, and the flush fitted
        if (z.avail_out != 0) { ok = 0; break; }             // not done, yet not out of room: give up
        // Out of room (the bound makes this rare): double the buffer and go on.
        size_t used = capacity - z.avail_out;
        unsigned char *bigger = realloc(out, capacity * 2);
        if (!bigger) { ok = 0; break; }
        out = bigger;
        z.next_out = out + used;
        z.avail_out = (uInt)(capacity * 2 - used);
        capacity *= 2;
    }
    size_t produced = capacity - z.avail_out;
    deflateEnd(&z);
    if (!ok) { free(out); return 0; }
    unsigned long crc = crc32(0L, input, (uInt)length);
    pthread_mutex_lock(&c->lock);
    c->deflated[k] = out;
    c->deflated_count[k] = produced;
    c->crc[k] = crc;
    pthread_mutex_unlock(&c->lock);
    return 1;
}

/// Takes pieces as they become ready and deflates them, until the entry is
/// closing and none is left. Run by the helper as the part streams in, and by
/// the closing thread to share the rest.
static void deflate_ready_pieces(merit_capture *c, int wait_for_more) {
    pthread_mutex_lock(&c->lock);
    for (;;) {
        if (c->taken < c->ready && !c->failed) {
            size_t k = c->taken++;
            size_t length = c->count - k * (size_t)PIECE < PIECE ? c->count - k * (size_t)PIECE : PIECE;
            const unsigned char *input = c->blocks[k], *previous = k > 0 ? c->blocks[k - 1] : NULL;
            pthread_mutex_unlock(&c->lock);
            int ok = deflate_piece(c, k, input, previous, length);
            pthread_mutex_lock(&c->lock);
            if (!ok) c->failed = 1;
            continue;
        }
        if (c->closing || !wait_for_more || c->failed) break;
        pthread_cond_wait(&c->wake, &c->lock);
    }
    pthread_mutex_unlock(&c->lock);
}

static void *helper_main(void *argument) {
    deflate_ready_pieces(argument, 1);
    return NULL;
}

/// Tells the helper no more bytes come, and waits for it.
static void finish_helper(merit_capture *c) {
    pthread_mutex_lock(&c->lock);
    c->closing = 1;
    pthread_cond_broadcast(&c->wake);
    pthread_mutex_unlock(&c->lock);
    if (c->has_helper) {
        pthread_join(c->helper, NULL);
        c->has_helper = 0;
    }
}

/// Room for block `k` in the four per-piece arrays (grown under the lock: the helper reads them).
static int ensure_slot(merit_capture *c, size_t k) {
    if (k < c->block_slots) return 1;
    size_t slots = c->block_slots ? c->block_slots * 2 : 16;
    while (slots <= k) slots *= 2;
    pthread_mutex_lock(&c->lock);
    unsigned char **blocks = realloc(c->blocks, slots * sizeof *blocks);
    if (blocks) c->blocks = blocks;
    unsigned char **deflated = blocks ? realloc(c->deflated, slots * sizeof *deflated) : NULL;
    if (deflated) c->deflated = deflated;
    size_t *deflated_count = deflated ? realloc(c->deflated_count, slots * sizeof *deflated_count) : NULL;
    if (deflated_count) c->deflated_count = deflated_count;
    unsigned long *crc = deflated_count ? realloc(c->crc, slots * sizeof *crc) : NULL;
    if (crc) {
        c->crc = crc;
        for (size_t i = c->block_slots; i < slots; i++) {
            c->blocks[i] = NULL;
            c->deflated[i] = NULL;
            c->deflated_count[i] = 0;
            c->crc[i] = 0;
        }
        c->block_slots = slots;
    }
    pthread_mutex_unlock(&c->lock);
    return crc != NULL;
}

/// Appends bytes to the entry; hands each block that fills to the helper (started with the first).
static int capture_append(merit_capture *c, const unsigned char *bytes, size_t len) {
    while (len > 0) {
        size_t k = c->count / PIECE, at = c->count % PIECE;
        if (!ensure_slot(c, k)) return 0;
        unsigned char *block;
        if (at == 0) {
            if (!(block = malloc(PIECE))) return 0;
            pthread_mutex_lock(&c->lock);
            c->blocks[k] = block;
            pthread_mutex_unlock(&c->lock);
        } else {
            pthread_mutex_lock(&c->lock);
            block = c->blocks[k];
            pthread_mutex_unlock(&c->lock);
        }
        size_t n = PIECE - at < len ? PIECE - at : len;
        memcpy(block + at, bytes, n);
        bytes += n;
        len -= n;
        pthread_mutex_lock(&c->lock);
        if (c->failed) { pthread_mutex_unlock(&c->lock); return 0; }
        c->count += n;
        if (c->count % PIECE == 0) {
            c->ready = c->count / PIECE;
            pthread_cond_signal(&c->wake);
        }
        pthread_mutex_unlock(&c->lock);
        if (c->count == PIECE && !c->has_helper && sysconf(_SC_NPROCESSORS_ONLN) > 1) {
            // A part bigger than one piece: deflate it beside the rest of the writing.
            c->has_helper = pthread_create(&c->helper, NULL, helper_main, c) == 0;
        }
    }
    return 1;
}

/// Finishes the entry's deflate stream: the last pieces (shared with the
/// helper), then every piece in order and a final empty block; with the CRC.
static int capture_finish(merit_capture *c, unsigned char **stream, size_t *stream_count, unsigned long *crc) {
    size_t pieces = (c->count + PIECE - 1) / PIECE;
    pthread_mutex_lock(&c->lock);
    c->ready = pieces;
    c->closing = 1;
    pthread_cond_broadcast(&c->wake);
    pthread_mutex_unlock(&c->lock);
    deflate_ready_pieces(c, 0);
    finish_helper(c);
    if (c->failed) return 0;   // the helper has stopped: no lock needed from here
    // The pieces end in sync flushes; a final empty fixed block (BFINAL, then end of block) ends the stream.
    static const unsigned char last_block[2] = {0x03, 0x00};
    size_t total = sizeof last_block;
    for (size_t k = 0; k < pieces; k++) total += c->deflated_count[k];
    unsigned char *out = malloc(total);
    if (!out) return 0;
    size_t at = 0;
    unsigned long combined = 0;
    for (size_t k = 0; k < pieces; k++) {
        memcpy(out + at, c->deflated[k], c->deflated_count[k]);
        at += c->deflated_count[k];
        size_t length = c->count - k * (size_t)PIECE < PIECE ? c->count - k * (size_t)PIECE : PIECE;
        combined = k == 0 ? c->crc[k] : crc32_combine(combined, c->crc[k], (z_off_t)length);
    }
    memcpy(out + at, last_block, sizeof last_block);
    *stream = out;
    *stream_count = total;
    *crc = combined;
    return 1;
}

// MARK: - The entry points libxlsxwriter calls

__attribute__((visibility("default")))
int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw,
                            int windowBits, int memLevel, int strategy,
                            const char *password, unsigned long crcForCrypting,
                            unsigned long versionMadeBy, unsigned long flagBase, int zip64) {
    merit_zip_open_fn real = (merit_zip_open_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (real == 0) return MERIT_ZIP_INTERNALERROR;   // libxlsxwriter reports it; nothing is half-written
    free_capture(take_capture(file));                 // a previous workbook's leftovers at the same address
    int keep = method == MERIT_Z_DEFLATED && !raw && password == NULL;
    merit_capture *capture = NULL;
    if (keep) {
        capture = calloc(1, sizeof *capture);
        if (!capture) return MERIT_ZIP_INTERNALERROR;
        pthread_mutex_init(&capture->lock, NULL);
        pthread_cond_init(&capture->wake, NULL);
        level = MERIT_WORKBOOK_DEFLATE_LEVEL;   // only the entry's flags read it in raw mode
    }
    int status = real(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                      size_extrafield_global, comment, method, level, keep ? 1 : raw, windowBits, memLevel, strategy,
                      password, crcForCrypting, versionMadeBy, flagBase, zip64);
    if (!keep) return status;
    if (status != MERIT_ZIP_OK) { free_capture(capture); return status; }
    capture->zip = file;
    pthread_mutex_lock(&captures_lock);
    capture->next = captures;
    captures = capture;
    pthread_mutex_unlock(&captures_lock);
    atomic_fetch_add(&deflated_entries, 1);
    return status;
}

__attribute__((visibility("default")))
int zipWriteInFileInZip(void *file, const void *buf, unsigned int len) {
    merit_capture *c = find_capture(file);
    if (!c) {
        merit_zip_write_fn real = (merit_zip_write_fn)dlsym(RTLD_NEXT, "zipWriteInFileInZip");
        return real ? real(file, buf, len) : MERIT_ZIP_INTERNALERROR;
    }
    if (!capture_append(c, buf, len)) {
        pthread_mutex_lock(&c->lock);
        c->failed = 1;
        pthread_mutex_unlock(&c->lock);
        return MERIT_ZIP_INTERNALERROR;
    }
    return MERIT_ZIP_OK;
}

__attribute__((visibility("default")))
int zipCloseFileInZip(void *file) {
    merit_capture *c = take_capture(file);
    if (!c) {
        merit_zip_close_fn real = (merit_zip_close_fn)dlsym(RTLD_NEXT, "zipCloseFileInZip");
        return real ? real(file) : MERIT_ZIP_INTERNALERROR;
    }
    merit_zip_write_fn write_raw = (merit_zip_write_fn)dlsym(RTLD_NEXT, "zipWriteInFileInZip");
    merit_zip_close_raw_fn close_raw = (merit_zip_close_raw_fn)dlsym(RTLD_NEXT, "zipCloseFileInZipRaw64");
    unsigned char *stream = NULL;
    size_t stream_count = 0;
    unsigned long crc = 0;
    int status = MERIT_ZIP_INTERNALERROR;
    if (write_raw && close_raw && capture_finish(c, &stream, &stream_count, &crc)) {
        status = MERIT_ZIP_OK;
        // minizip takes an unsigned int per call: hand the stream over in slices below 2 GB.
        for (size_t at = 0; at < stream_count && status == MERIT_ZIP_OK; at += 1u << 30) {
            size_t slice = stream_count - at < (1u << 30) ? stream_count - at : (1u << 30);
            status = write_raw(file, stream + at, (unsigned int)slice);
        }
        if (status == MERIT_ZIP_OK) status = close_raw(file, (unsigned long long)c->count, crc);
    }
    free(stream);
    free_capture(c);
    return status;
}

__attribute__((visibility("default")))
int zipClose(void *file, const char *global_comment) {
    free_capture(take_capture(file));   // an entry left open by a failed write
    typedef int (*merit_zip_close_archive_fn)(void *, const char *);
    merit_zip_close_archive_fn real = (merit_zip_close_archive_fn)dlsym(RTLD_NEXT, "zipClose");
    return real ? real(file, global_comment) : MERIT_ZIP_INTERNALERROR;
}
