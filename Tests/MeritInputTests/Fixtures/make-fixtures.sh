#!/usr/bin/env bash
# Regenerates the XLSX fixtures of XLSXWorkbookReaderTests into this folder.
#   libxlsxwriter.xlsx, libxlsxwriter-constant-memory.xlsx  <- make-fixtures.c (gcc, -lxlsxwriter)
#   openpyxl.xlsx, openpyxl-1904.xlsx                       <- make-openpyxl-fixtures.py (pip install openpyxl)
#   handmade.xlsx, not-a-zip.xlsx, no-workbook.xlsx         <- make-handmade-fixture.py (standard library)
#   libreoffice.xlsx                                        <- openpyxl.xlsx re-saved by LibreOffice, if soffice exists
# Needs: gcc, libxlsxwriter-dev, python3 with openpyxl; optionally LibreOffice.
# The files are committed: tests never run this script.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gcc -std=c11 -Wall -Wextra -o "$work/make-fixtures" "$here/make-fixtures.c" -lxlsxwriter
"$work/make-fixtures" "$here"
python3 "$here/make-openpyxl-fixtures.py" "$here"
python3 "$here/make-handmade-fixture.py" "$here"

if command -v soffice >/dev/null 2>&1; then
    cp "$here/openpyxl.xlsx" "$work/libreoffice.xlsx"
    mkdir -p "$work/out"
    soffice --headless --norestore "-env:UserInstallation=file://$work/profile" \
        --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$work/out" "$work/libreoffice.xlsx" >/dev/null 2>&1
    cp "$work/out/libreoffice.xlsx" "$here/libreoffice.xlsx"
else
    echo "soffice not found: libreoffice.xlsx left as it is" >&2
fi
ls -l "$here"/*.xlsx
