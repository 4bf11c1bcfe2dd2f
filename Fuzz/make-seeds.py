#!/usr/bin/env python3
"""Writes the hand-made seeds of the fuzz corpora: Fuzz/Corpus/<target>/seed-*.

Run from the repository root: python3 Fuzz/make-seeds.py. The seeds come from
examples/seed-example, rubrics/*.yaml, the conformance-style CSV rows of the
fuzz fixture (Sources/merit-fuzz/Fixture.swift) and two XLSX test fixtures;
the rest of each corpus is what libFuzzer grew, minimised with -merge=1.
"""
import os, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")
DATASETS = ["employees", "surveys", "accounts", "complaints", "sales", "feedback", "quotas", "pools"]


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def csv(dataset, text, skip_invalid=False):
    """csv target input: a selector byte (dataset index, bit 3 = --skip-invalid), then the file."""
    return bytes([DATASETS.index(dataset) | (8 if skip_invalid else 0)]) + text.encode()


# csv: one valid and one odd file per dataset (the fixture roster is E1-E4, period 2026-Q3).
put("csv", "employees", csv("employees", "employee_id,name,team,role,hire_date,end_date,bonus_target,currency\n"
    "E1,Ann Lee,North,agent,2020-01-01,,1000.00,USD\nE2,Bo Chen,North,agent,2026-08-01,,1000,USD\n"
    "E3,Cy Diaz,South,agent,,2026-09-15,500,EUR\n"))
put("csv", "employees-bad", csv("employees", "\ufeffemployee_id;name;bonus_target;currency\r\nE1;\"Lee, Ann\";1e3;usd\r\nE1;Dup;;\r\n;\r\n", True))
put("csv", "surveys", csv("surveys", "employee_id,responded_at,score,recommend,dimension\n"
    "E1,2026-07-01T09:00:00Z,5,10,speed\nE2,2026-08-03T10:00:00+02:00,2,3,\nE3,2026-09-01,3,,\n"))
put("csv", "surveys-bad", csv("surveys", "employee_id\tresponded_at\tscore\nE1\t2026-13-01\t6\nE9\t2026-07-01\tx\n\"E1\t2026-07-01\t4\n", True))
put("csv", "accounts", csv("accounts", "customer_id,employee_id,since,until,end_reason,churn_reason\n"
    "K1,E1,2025-01-10,,,\nK2,E1,2025-03-01,2026-08-01,churn,price\nK3,E2,2026-08-05,,,\nK4,E3,2025-01-01,2026-07-15,transfer,\n"))
put("csv", "complaints", csv("complaints", "ticket_id,employee_id,opened_at,resolved_at,first_contact_resolved,escalated,severity\n"
    "T1,E1,2026-07-02T08:00:00Z,2026-07-02T10:00:00Z,true,false,low\nT2,E1,2026-07-03T08:00:00Z,,false,true,high\n"
    "T1,E2,2026-08-10T08:00:00Z,2026-08-09T08:00:00Z,no,yes,\n", True))
put("csv", "sales", csv("sales", "employee_id,date,amount,order_id\nE1,2026-04-10,1000.00,O1\nE1,2026-07-10,1100.00,O2\nE2,2026-08-10,-50.00,O3\n"))
put("csv", "sales-bad", csv("sales", "employee_id,date,amount,amount\nE1,2026-07-10,\"1,100.00\",\nE1,2026-07-10,99999999999999999999,\nE2,2026-02-30,0.001,\n", True))
put("csv", "feedback", csv("feedback", "employee_id,received_at,sentiment\nE1,2026-08-01,positive\nE1,2026-08-02,negative\nE2,2026-09-03,neutral\n"))
put("csv", "quotas", csv("quotas", "employee_id,period,quota\nE1,2026-Q3,1000.00\nE2,2026-Q3,0\nE3,2026-H2,5\nE1,2026-Q3,7\n", True))
put("csv", "pools", csv("pools", "pool,amount,currency\nNorth,1000.00,USD\nSouth,300.00,EUR\nEast,10000,JPY\n"))
for name in ["surveys", "feedback", "sales", "accounts"]:
    with open(os.path.join(ROOT, "examples", "seed-example", name + ".csv")) as f:
        put("csv", "example-" + name, csv(name, f.read().replace("E001", "E1"), True))

# rubric: the shipped rubrics, plus small valid and invalid ones.
for name in sorted(os.listdir(os.path.join(ROOT, "rubrics"))):
    with open(os.path.join(ROOT, "rubrics", name), "rb") as f:
        put("rubric", name, f.read())
put("rubric", "minimal.yaml", "id: r\nversion: 1\nmetrics:\n  - {id: m, kind: nps, weight: 1, scoring: {curve: identity}}\n"
    "bands:\n  - {id: A, min: 0, multiplier: 1}\n")
put("rubric", "bad.yaml", "id: Bad_Id\nversion: x\nmetrics:\n  - {id: m, kind: nope, weight: -1, scoring: {curve: linear, zero_at: 1, full_at: 1}}\n"
    "  - &a {id: m, kind: nps, weight: .inf, scoring: {curve: steps, steps: [{at: .nan, score: 101}]}}\n  - *a\n"
    "bands: [{id: A, min: 1e400, multiplier: 1e30}]\nbonus: {mode: pool}\nextra: [\n")

# mapping: the conformance case's Chinese headers, and a few wrong ones.
put("mapping", "chinese.yaml", "# CRM export\nemployees:\n  employee_id: 工号\n  name: 姓名\nsurveys:\n  employee_id: 坐席工号\n  score: 满意度\n")
put("mapping", "identity.yaml", "employees: {employee_id: employee_id, name: name}\nsales: {amount: amount}\npools:\n")
put("mapping", "bad.yaml", "surveys:\n  score: ''\nnope: {a: b}\n- x\n")
put("mapping", "anchors.yaml", "employees: &e {name: name, team: team}\nsurveys: {employee_id: employee_id}\nfeedback: {employee_id: [x]}\n")

# xlsx: two real workbooks (the ZIP layer) and sheet XML for the stored-ZIP builder (the XML layers).
for name in ["openpyxl.xlsx", "libxlsxwriter-constant-memory.xlsx"]:
    shutil.copyfile(os.path.join(ROOT, "Tests", "MeritInputTests", "Fixtures", name),
                    os.path.join(CORPUS, "xlsx", "seed-" + name.replace(".xlsx", ".zip")) if os.path.isdir(os.path.join(CORPUS, "xlsx"))
                    else (os.makedirs(os.path.join(CORPUS, "xlsx")) or os.path.join(CORPUS, "xlsx", "seed-" + name.replace(".xlsx", ".zip"))))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
put("xlsx", "sheet.xml", f'<worksheet {NS}><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c><c r="B2" s="2"><v>46204.5</v></c><c r="C2"><v>4</v></c></row>'
    '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" s="1"><v>46205</v></c><c r="C4" t="str"><f>2+3</f><v>5</v></c></row>'
    '</sheetData></worksheet>')
put("xlsx", "sheet-odd.xml", f'<worksheet {NS}><sheetData><row><c t="s"><v>0</v></c><c r="XFD1" t="b"><v>1</v></c>'
    '<c t="e"><v>#N/A</v></c></row><row r="3"><c r="A3" t="s"><v>99</v></c><c r="B3" s="7"><v>-1</v></c><c r="C3"><v>1e308</v></c></row>'
    '</sheetData></worksheet>')
put("xlsx", "parts.txt", f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>employee_id</t></is></c></row></sheetData></worksheet>\n'
    '@@ xl/workbook.xml\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/>'
    '<sheets><sheet name="Other" sheetId="2" r:id="rId9"/><sheet name="SURVEYS" sheetId="1" r:id="rId1"/></sheets></workbook>\n'
    f'@@ xl/sharedStrings.xml\n<sst {NS}><si><t xml:space="preserve"> a </t><rPh><t>x</t></rPh></si></sst>\n'
    f'@@ xl/styles.xml\n<styleSheet {NS}><numFmts><numFmt numFmtId="200" formatCode="[h]:mm"/></numFmts><cellXfs><xf numFmtId="200"/></cellXfs></styleSheet>\n')
