#!/usr/bin/env python3
"""The payroll file as a payroll team would load it (docs/payroll.md), checked by `make test`.

A workspace gets the demo company's data, reviews 2026-Q3, finalizes it and exports both the payroll file and the
workbooks. The payroll file is loaded into a pandas DataFrame with every column read as text (`dtype=str`), as the
docs tell loaders to; its ids must be the roster's ids exactly and its amounts, summed as exact decimals per currency,
must equal the Bonus Amount columns of the workbooks' Bonus sheets (read straight from the XLSX XML, no spreadsheet
library needed).

usage: check_payroll.py MERIT_BINARY DEMO_DATA_DIR
"""
import csv
import decimal
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
DATASETS = ["employees", "surveys", "accounts", "complaints", "sales", "feedback", "quotas", "pools"]


def run(merit, args, cwd):
    r = subprocess.run([merit] + args, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"check_payroll: merit {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r.stdout


def bonus_sheet(path):
    """The Bonus sheet's rows as lists of cell texts (shared strings resolved)."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(f"{{{'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}}}id")
                   for s in book.find("m:sheets", NS) if s.get("name") == "Bonus")
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        sheet = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
        rows = []
        for row in sheet.find("m:sheetData", NS):
            cells = {}
            for c in row:
                ref = c.get("r")
                col = 0
                for ch in ref:
                    if ch.isalpha():
                        col = col * 26 + ord(ch) - 64
                v = c.find("m:v", NS)
                is_ = c.find("m:is", NS)
                if c.get("t") == "s" and v is not None:
                    cells[col - 1] = shared[int(v.text)]
                elif c.get("t") == "inlineStr" and is_ is not None:
                    cells[col - 1] = "".join(t.text or "" for t in is_.iter(f"{{{NS['m']}}}t"))
                elif v is not None:
                    cells[col - 1] = v.text
            rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
        return rows


def main():
    merit, data = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        ws = os.path.join(tmp, "ws")
        run(merit, ["init", ws], tmp)
        for d in DATASETS:
            run(merit, ["import", d, os.path.join(data, f"{d}.csv")], ws)
        run(merit, ["review", "2026-Q3"], ws)
        run(merit, ["finalize", "2026-Q3"], ws)
        run(merit, ["export", "2026-Q3", "--payroll", "pay.csv", "--out", "review.xlsx"], ws)

        frame = pd.read_csv(os.path.join(ws, "pay.csv"), dtype=str, keep_default_na=False, encoding="utf-8")
        expected = ["employee_id", "name", "period", "review_version", "status", "rubric", "cost_center", "pool",
                    "currency", "amount"]
        if list(frame.columns) != expected:
            sys.exit(f"check_payroll: columns {list(frame.columns)}, expected {expected}")
        with open(os.path.join(data, "employees.csv"), newline="", encoding="utf-8") as f:
            roster = {row["employee_id"]: row for row in csv.DictReader(f)}
        for _, row in frame.iterrows():
            if row["employee_id"] not in roster:
                sys.exit(f"check_payroll: id {row['employee_id']!r} is not a roster id as written")
            if row["name"] != roster[row["employee_id"]]["name"]:
                sys.exit(f"check_payroll: name of {row['employee_id']} changed: {row['name']!r}")
        if set(frame["status"]) != {"final"} or set(frame["period"]) != {"2026-Q3"}:
            sys.exit("check_payroll: every row must say final and 2026-Q3")

        paid = {}
        for _, row in frame.iterrows():
            paid[row["currency"]] = paid.get(row["currency"], decimal.Decimal(0)) + decimal.Decimal(row["amount"])
        workbook = {}
        for rubric in sorted(set(frame["rubric"])):
            rows = bonus_sheet(os.path.join(ws, f"review-{rubric}.xlsx"))
            head = rows[0]
            ci, ai = head.index("Currency"), head.index("Bonus Amount")
            for r in rows[1:]:
                if len(r) > ai and r[ai] != "":
                    # The cell holds the double nearest the amount; its minor digits decide it exactly.
                    workbook[r[ci]] = workbook.get(r[ci], decimal.Decimal(0)) + decimal.Decimal(r[ai]).quantize(
                        decimal.Decimal(1).scaleb(-{"JPY": 0, "KWD": 3}.get(r[ci], 2)))
        if paid != workbook:
            sys.exit(f"check_payroll: payroll pays {paid}, the Bonus sheets {workbook}")
        print(f"check_payroll: {len(frame)} payments load into pandas as text and sum to the workbooks per currency "
              + ", ".join(f"{v} {k}" for k, v in sorted(paid.items())))


if __name__ == "__main__":
    main()
