#define _GNU_SOURCE
// The module is header-only (static inline functions); SwiftPM needs one source file.
#include "CCSVScan.h"

#include <sys/mman.h>

int merit_memfd(void) {
    return memfd_create("merit-workbook", MFD_CLOEXEC);
}
