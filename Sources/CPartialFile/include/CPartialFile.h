#ifndef C_PARTIAL_FILE_H
#define C_PARTIAL_FILE_H

/// Removes a half-written output file when the process is stopped by a signal that can be caught
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE), then lets the signal end the process as it would have.
///
/// Merit writes every output to a temporary file beside the destination and renames it into place
/// (docs: outputs). Interrupted, that temporary file used to stay behind, several megabytes of a
/// half-written workbook. A signal handler may only call async-signal-safe functions, so the path is
/// held in a fixed C buffer and the handler calls unlink(2) and raise(3): nothing that allocates.

/// Registers `path` (copied; at most 4095 bytes) as the file to remove on such a signal, installing the
/// handlers on first use. Returns 0, or -1 when the path is too long (nothing is registered then).
int merit_partial_file_register(const char *path);

/// Forgets the registered path (after the rename, or after removing the file normally).
void merit_partial_file_clear(void);

#endif
