#!/usr/bin/env python3
"""Print a Merit workbook to PDF with LibreOffice and check that it prints as docs/workbook.md "Printing" says.

  check_workbook_print.py WORKBOOK.xlsx
  check_workbook_print.py MERIT [RUBRICS_DIR]     (runs `merit demo` and checks its customer-service workbook)

Needs soffice (LibreOffice) and pdfinfo/pdftotext (poppler-utils); no third-party Python modules.

The page-count rule. Each sheet may take at most the pages its rows need at 100 %:
    pages(sheet) <= ceil(body height / (page rows height - repeated title rows height)) + manual page breaks
where
  - the body is every row below the repeated title rows down to the last used row (a row's height is its
    own `ht`, else the sheet's default; the Summary chart's rows count as used);
  - a page holds (paper height - 0.75 in top and bottom margins - 12 pt each for the page header and
    footer lines) / 15 pt rows: 44 on a portrait Letter page (11 in), 32 on a landscape one (8.5 in), the
    paper the workbook leaves to the OOXML default;
  - fitting a sheet to one page wide only ever shrinks it, so it never needs more pages than this.
The workbook in total may take at most the sum of its sheets' bounds.

One page wide: every printed page of a sheet with repeated title rows shows the first column's title
(its words: a title may wrap; a second page across would not show it), and every page of Bonus shows both its first and its last column's
titles ("Employee ID", "Bonus Amount"). Each page's orientation is the one the sheet's page setup names.
Pages are told apart by the footer, which names the sheet on every page.

Exits 0 when everything holds; prints the pages per sheet either way, and what failed.
"""
import math, os, re, shutil, subprocess, sys, tempfile, zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
LETTER = (612.0, 792.0)             # points, portrait
MARGINS = 2 * 0.75 * 72 + 2 * 12    # top and bottom margins, and a line each for the page header and footer
ROW = 15.0                          # the default row height, points
FIRST_TITLES = {"Scorecards": "Employee ID", "Bonus": "Employee ID", "Training": "Employee ID", "Data Quality": "File",
                "Audit": "When"}
BONUS_LAST = "Bonus Amount"


def sheets(book):
    """[(name, part, orientation, title rows, row heights {row: ht}, default height, last row, breaks)] in order."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    titles = {}
    for d in workbook.iter("{%s}definedName" % NS["m"]):
        if d.get("name") == "_xlnm.Print_Titles":
            m = re.search(r"\$(\d+):\$(\d+)$", d.text)
            titles[int(d.get("localSheetId"))] = (int(m.group(1)), int(m.group(2)))
    out = []
    for i, s in enumerate(workbook.iter("{%s}sheet" % NS["m"])):
        target = targets[s.get("{%s}id" % NS["r"])]
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        x = ET.fromstring(book.read(part))
        setup = x.find("m:pageSetup", NS)
        fmt = x.find("m:sheetFormatPr", NS)
        default = float(fmt.get("defaultRowHeight", ROW)) if fmt is not None else ROW
        heights, last = {}, 0
        for row in x.iter("{%s}row" % NS["m"]):
            r = int(row.get("r"))
            last = max(last, r)
            if row.get("ht"):
                heights[r] = float(row.get("ht"))
        last = max(last, drawing_last_row(book, part))
        breaks = [int(b.get("id")) for b in x.iter("{%s}brk" % NS["m"])]
        out.append((s.get("name"), part, setup.get("orientation") if setup is not None else None,
                    titles.get(i), heights, default, last, breaks))
    return out


def drawing_last_row(book, part):
    """The last row (1-based) a drawing on the sheet reaches, or 0."""
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    if rels not in book.namelist():
        return 0
    last = 0
    for r in ET.fromstring(book.read(rels)).findall("rel:Relationship", NS):
        if r.get("Type", "").endswith("/drawing"):
            drawing = os.path.normpath(os.path.join(os.path.dirname(part), r.get("Target")))
            for to in ET.fromstring(book.read(drawing)).iter("{%s}to" % NS["xdr"]):
                last = max(last, int(to.find("xdr:row", NS).text) + 1)
    return last


def bound(orientation, titles, heights, default, last, breaks):
    """The most pages the sheet may take (see the rule above)."""
    page = (LETTER[0] if orientation == "landscape" else LETTER[1]) - MARGINS
    page = math.floor(page / ROW) * ROW
    first = titles[1] + 1 if titles else 1
    title = sum(heights.get(r, default) for r in range(titles[0], titles[1] + 1)) if titles else 0
    body = sum(heights.get(r, default) for r in range(first, last + 1))
    return max(1, math.ceil(body / (page - title))) + len(breaks)


def pages_by_sheet(pdf, names):
    """[(sheet, width, height, text)] for every page, the sheet read from the footer (its first words)."""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", str(count), pdf], capture_output=True, text=True, check=True).stdout
    dims = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes, re.M)]
    out = []
    for p in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        footer = lines[-1] if lines else ""
        sheet = next((n for n in sorted(names, key=len, reverse=True) if footer.startswith(n)), None)
        out.append((sheet, dims[p - 1][0], dims[p - 1][1], text))
    return out


def main(argv):
    if not argv:
        print(__doc__)
        return 64
    work = tempfile.mkdtemp(prefix="merit-print-")
    try:
        if argv[0].endswith(".xlsx"):
            workbook = argv[0]
        else:
            demo = os.path.join(work, "demo")
            args = [argv[0], "demo", "--dir", demo] + (["--rubrics", argv[1]] if len(argv) > 1 else [])
            p = subprocess.run(args, capture_output=True, text=True)
            if p.returncode != 0:
                print("merit demo failed (%d): %s" % (p.returncode, p.stderr.strip()[:500]))
                return 1
            workbook = next(os.path.join(demo, f) for f in sorted(os.listdir(demo))
                            if f.startswith("review-customer-service-") and f.endswith(".xlsx"))
        with zipfile.ZipFile(workbook) as book:
            layout = sheets(book)
        profile = os.path.join(work, "profile")
        c = subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--convert-to", "pdf",
                            "--outdir", work, workbook], capture_output=True, text=True, timeout=300)
        pdf = os.path.join(work, os.path.splitext(os.path.basename(workbook))[0] + ".pdf")
        if c.returncode != 0 or not os.path.exists(pdf):
            print("LibreOffice failed: " + (c.stderr or c.stdout)[:500])
            return 1
        names = [s[0] for s in layout]
        pages = pages_by_sheet(pdf, names)
        problems = []
        unnamed = [i + 1 for i, p in enumerate(pages) if p[0] is None]
        if unnamed:
            problems.append("pages %s do not name their sheet in the footer" % unnamed)
        total_bound = 0
        print("%-14s %-10s %5s %6s %6s" % ("sheet", "pages", "rows", "bound", "actual"))
        for name, part, orientation, titles, heights, default, last, breaks in layout:
            mine = [p for p in pages if p[0] == name]
            limit = bound(orientation, titles, heights, default, last, breaks)
            total_bound += limit
            print("%-14s %-10s %5d %6d %6d" % (name, orientation, last, limit, len(mine)))
            if not mine:
                problems.append("%s: no printed page" % name)
            if len(mine) > limit:
                problems.append("%s: %d pages, its %d rows need at most %d" % (name, len(mine), last, limit))
            for i, (_, w, h, text) in enumerate(mine):
                if (w > h) != (orientation == "landscape"):
                    problems.append("%s page %d is %gx%g, the sheet's page setup says %s" % (name, i + 1, w, h, orientation))
                first = FIRST_TITLES.get(name)
                # (A title may wrap onto two lines: each of its words must be there.)
                if titles and first and not all(word in text for word in first.split()):
                    problems.append("%s page %d lacks the first column's title %r: more than one page wide" % (name, i + 1, first))
                if name == "Bonus" and BONUS_LAST not in text:
                    problems.append("Bonus page %d lacks %r: more than one page wide" % (i + 1, BONUS_LAST))
        print("%-14s %-10s %5s %6d %6d" % ("total", "", "", total_bound, len(pages)))
        if len(pages) > total_bound:
            problems.append("%d pages in all, the rows need at most %d" % (len(pages), total_bound))
        if problems:
            print("FAIL %s: %d problem(s)" % (os.path.basename(workbook), len(problems)))
            for p in problems[:20]:
                print("  " + p)
            return 1
        print("ok   %s prints on %d pages (at most %d), every table one page wide, Bonus on %d"
              % (os.path.basename(workbook), len(pages), total_bound, sum(1 for p in pages if p[0] == "Bonus")))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
