// The HR workbook's parts deflated at zlib level 1 instead of the default 6.
//
// libxlsxwriter 1.1.4 writes each XML part of the .xlsx through minizip
// (Debian links the system libminizip) and always asks for
// Z_DEFAULT_COMPRESSION; it has no option for another level. For a company of
// 20,000 people deflating ~27 MB of sheet XML was about half of the time spent
// writing the workbook (measured with perf, issue: company scale). Level 1
// (Z_BEST_SPEED) takes a fraction of that and the file is about a fifth
// larger — still a standard deflate stream that Excel and LibreOffice read.
//
// The executable defines minizip's entry point; the dynamic linker binds
// libxlsxwriter's call to it (an executable's definitions come first), and it
// forwards to the real function (the next definition, RTLD_NEXT) with only
// the level changed. Where libxlsxwriter carries its own copy of minizip the
// call never comes here and the workbook is simply written at level 6.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include "CWorkbookDeflate.h"

// minizip's zip.h (not installed with libxlsxwriter-dev): zipFile is void *,
// zip_fileinfo is only passed through, uInt/uLong are unsigned int/long.
typedef int (*merit_zip_open_fn)(void *file, const char *filename, const void *zipfi,
                                 const void *extrafield_local, unsigned int size_extrafield_local,
                                 const void *extrafield_global, unsigned int size_extrafield_global,
                                 const char *comment, int method, int level, int raw,
                                 int windowBits, int memLevel, int strategy,
                                 const char *password, unsigned long crcForCrypting,
                                 unsigned long versionMadeBy, unsigned long flagBase, int zip64);

#define MERIT_ZIP_INTERNALERROR (-104)
#define MERIT_Z_DEFLATED 8

static atomic_long deflated_entries;

long merit_workbook_deflated_entries(void) { return atomic_load(&deflated_entries); }

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
    if (method == MERIT_Z_DEFLATED) {
        level = MERIT_WORKBOOK_DEFLATE_LEVEL;
        atomic_fetch_add(&deflated_entries, 1);
    }
    return real(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy,
                password, crcForCrypting, versionMadeBy, flagBase, zip64);
}
