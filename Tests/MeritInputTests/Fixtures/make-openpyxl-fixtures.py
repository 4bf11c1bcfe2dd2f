#!/usr/bin/env python3
"""Writes openpyxl.xlsx and openpyxl-1904.xlsx (fixtures of XLSXWorkbookReaderTests).

Run through make-fixtures.sh; needs `pip install openpyxl` (3.1+).
"""
import datetime
import sys

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = sys.argv[1] if len(sys.argv) > 1 else "."

wb = openpyxl.Workbook()
# A first sheet that is *not* the dataset: the reader must pick "surveys" by name.
notes = wb.active
notes.title = "Notes"
notes["A1"] = "exported from the CRM"

ws = wb.create_sheet("surveys")
# Row 1: a Chinese header row (docs/reference.md §2.1 mapping example).
ws.append(["坐席工号", "满意度", "Survey Date", "Responded At", "Resolved", "Comment", "Total"])
# Row 2: numbers stored as text ('00042'), a date with a date number format,
# a date-time with seconds, a boolean, a string with XML specials.
ws.append(["00042", 4.5, datetime.date(2024, 3, 15), datetime.datetime(2024, 3, 15, 13, 45, 30),
           True, 'a < b & "c"', "=B2*2"])
ws["C2"].number_format = "yyyy-mm-dd"
ws["D2"].number_format = "yyyy-mm-dd hh:mm:ss"
# Row 3 stays empty (no cells): the reader must skip it and keep row numbers.
# Row 4: a second record, a false boolean, text with leading/trailing spaces,
# a 12-digit number stored as text, a custom date format with quoted text.
ws["A4"] = "007"
ws["B4"] = 3
ws["C4"] = datetime.date(1900, 1, 1)
ws["C4"].number_format = 'd "de" mmmm yyyy'
ws["E4"] = False
ws["F4"] = "  spaced  "
ws["G4"] = "=SUM(B2:B4)"
# Row 5: a number formatted as a percentage (not a date) and one with a
# quoted "d" and a bracketed colour (still not a date).
ws["A5"] = "123456789012"
ws["B5"] = 0.25
ws["B5"].number_format = "0.0%"
ws["C5"] = 7
ws["C5"].number_format = '[Red]0" days"'
# Row 6: rich text (written by openpyxl as an inline string with runs).
ws["F6"] = CellRichText([TextBlock(InlineFont(b=True), "bold"), " and plain"])
ws["A6"] = "008"

wb.properties.title = "Survey export"
wb.properties.creator = "CRM Bot"
wb.properties.subject = "满意度"
wb.save(f"{out}/openpyxl.xlsx")

# The 1904 date system: serial 0 is 1904-01-01.
wb2 = openpyxl.Workbook()
wb2.epoch = CALENDAR_MAC_1904
s = wb2.active
s.title = "dates"
s["A1"] = "when"
s["A2"] = datetime.date(2024, 3, 15)
s["A2"].number_format = "yyyy-mm-dd"
wb2.save(f"{out}/openpyxl-1904.xlsx")
