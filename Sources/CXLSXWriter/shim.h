// libxlsxwriter (Debian: libxlsxwriter-dev), the C library that writes the HR workbook.
#include <xlsxwriter.h>
