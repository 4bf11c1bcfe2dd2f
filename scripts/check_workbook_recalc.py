#!/usr/bin/env python3
"""Open a Merit workbook in LibreOffice, make it recalculate, and compare with the JSON.

  check_workbook_recalc.py MERIT DATA_DIR RUBRIC PERIOD [extra merit args...]

Runs `merit evaluate ... --format json --out W.xlsx`, removes every cached formula
value from the Scorecards sheet (so LibreOffice cannot just show them), converts the
workbook with LibreOffice in a throw-away profile told to recalculate on load, and
checks (docs/reference.md §14):
  - each recalculated Scorecards total equals the JSON total_exact to 1e-9, and the
    official total equals the JSON total;
  - the Bonus sheet's header row is exactly the contract, its rows follow the JSON
    employees in order, and each Bonus Amount equals the JSON bonus.
Exits 0 when everything matches; prints what differs otherwise.
"""
import csv, json, os, re, shutil, subprocess, sys, tempfile, zipfile
from decimal import Decimal

BONUS_HEADERS = ["Employee ID", "Name", "Team", "Cost Center", "Currency", "Bonus Target", "Band",
                 "Multiplier", "Proration", "Bonus Amount"]
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
# Scorecards has two header rows (docs/workbook.md "Scorecards"): titles and metric names, then the ids;
# the column titles this script looks up ("Total", "Official Total") are in the first.
SCORECARDS_HEADER_ROWS = 2


def sheet_part(archive, name):
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(name), workbook).group(1)
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid, rels)
    if target is None:
        target = re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
    t = target.group(1).lstrip("/")
    return t if t.startswith("xl/") else "xl/" + t


def strip_cached_values(src, dst, sheet):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        part = sheet_part(zin, sheet)
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text = data.decode()
                text, n = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", text)
                if n == 0:
                    raise SystemExit("no cached formula values found in %s" % part)
                data = text.encode()
            zout.writestr(item, data)


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 64
    merit, data, rubric, period, extra = argv[0], argv[1], argv[2], argv[3], argv[4:]
    work = tempfile.mkdtemp(prefix="merit-recalc-")
    try:
        book = os.path.join(work, "review.xlsx")
        p = subprocess.run([merit, "evaluate", "--data", data, "--rubric", rubric, "--period", period,
                            "--format", "json", "--out", book] + extra, capture_output=True, text=True)
        if p.returncode != 0:
            print("merit failed (%d): %s" % (p.returncode, p.stderr.strip()[:500]))
            return 1
        doc = json.loads(p.stdout)
        stripped = os.path.join(work, "stripped.xlsx")
        strip_cached_values(book, stripped, "Scorecards")
        profile = os.path.join(work, "profile", "user")
        os.makedirs(profile)
        with open(os.path.join(profile, "registrymodifications.xcu"), "w") as f:
            f.write(PROFILE_XCU)
        out = os.path.join(work, "csv")
        c = subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.join(work, "profile"), "--headless",
                            "--convert-to", CSV_FILTER, "--outdir", out, stripped], capture_output=True, text=True, timeout=300)
        if c.returncode != 0:
            print("LibreOffice failed: " + c.stderr[:500])
            return 1
        problems = []
        employees = doc["employees"]
        with open(os.path.join(out, "stripped-Scorecards.csv"), encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, cards = rows[0], rows[SCORECARDS_HEADER_ROWS:]
        it, io = header.index("Total"), header.index("Official Total")
        if [r[0] for r in cards] != [e["employee_id"] for e in employees]:
            problems.append("Scorecards rows are not the JSON employees in order")
        for r, e in zip(cards, employees):
            if e["total_exact"] is None:
                if r[it] != "":
                    problems.append("%s: unrated but Total is %r" % (e["employee_id"], r[it]))
                continue
            if r[it] == "" or abs(float(r[it]) - e["total_exact"]) > 1e-9:
                problems.append("%s: recalculated Total %r, JSON total_exact %r" % (e["employee_id"], r[it], e["total_exact"]))
            if r[io] == "" or abs(float(r[io]) - e["total"]) > 1e-9:
                problems.append("%s: recalculated Official Total %r, JSON total %r" % (e["employee_id"], r[io], e["total"]))
        with open(os.path.join(out, "stripped-Bonus.csv"), encoding="utf-8") as f:
            bonus = list(csv.reader(f))
        if bonus[0] != BONUS_HEADERS:
            problems.append("Bonus headers %r" % bonus[0])
        for r, e in zip(bonus[1:], employees):
            if r[0] != e["employee_id"]:
                problems.append("Bonus row %r is not %s" % (r[0], e["employee_id"]))
            elif (r[9] == "") != (e["bonus"] is None) or (e["bonus"] is not None and Decimal(r[9]) != Decimal(e["bonus"])):
                problems.append("%s: Bonus Amount %r, JSON bonus %r" % (e["employee_id"], r[9], e["bonus"]))
        if len(bonus) - 1 != len(employees):
            problems.append("Bonus has %d rows, JSON %d employees" % (len(bonus) - 1, len(employees)))
        name = "%s on %s" % (os.path.basename(rubric), os.path.basename(os.path.normpath(data)) if os.path.basename(os.path.normpath(data)) != "data" else os.path.basename(os.path.dirname(os.path.normpath(data))))
        if problems:
            print("FAIL %s: %d problem(s)" % (name, len(problems)))
            for p in problems[:20]:
                print("  " + p)
            return 1
        rated = sum(1 for e in employees if e["total_exact"] is not None)
        print("ok   %s: %d recalculated totals match the JSON, %d bonus rows match" % (name, rated, len(employees)))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
