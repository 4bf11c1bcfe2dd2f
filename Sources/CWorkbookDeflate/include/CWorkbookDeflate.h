#ifndef CWORKBOOKDEFLATE_H
#define CWORKBOOKDEFLATE_H

/// The zlib level every part of a workbook is deflated with, when this
/// module's `zipOpenNewFileInZip4_64` is the one libxlsxwriter calls.
#define MERIT_WORKBOOK_DEFLATE_LEVEL 1

/// How many zip entries were opened through this module since the process
/// started: > 0 proves the faster level is in force (tests check it).
long merit_workbook_deflated_entries(void);

#endif
