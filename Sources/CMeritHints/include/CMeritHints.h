#ifndef CMERITHINTS_H
#define CMERITHINTS_H

/// Asks the CPU to start loading the cache line at `address` for writing.
/// A hint only: it changes no value and is safe on any address. The readers
/// call it as soon as a row's employee is known, so that the row's counters
/// are in cache by the time the row has been parsed (issue: company scale).
static inline void merit_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
