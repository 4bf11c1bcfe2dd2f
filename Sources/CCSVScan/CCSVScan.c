#define _GNU_SOURCE
// The module is header-only (static inline functions); SwiftPM needs one source file.
#include "CCSVScan.h"

#include <fcntl.h>
#include <sys/mman.h>

int merit_memfd(void) {
    return memfd_create("merit-workbook", MFD_CLOEXEC | MFD_ALLOW_SEALING);
}

int merit_memfd_seal(int fd) {
    return fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
}
