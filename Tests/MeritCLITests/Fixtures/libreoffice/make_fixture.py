#!/usr/bin/env python3
"""Builds the LibreOffice-saved survey workbook of the workspace import test (issue 5).

openpyxl writes `surveys-source.xlsx`: a Chinese header row, `responded_at` as
real date cells (the 1900 date system), `score` as numbers stored as text, and
`recommend` as numeric cells; LibreOffice then opens and saves it
(`soffice --headless --convert-to xlsx`), which is the file the test imports:
`surveys-libreoffice.xlsx`. The same records as plain CSV with the spec's
headers are `surveys-expected.csv`, for `merit evaluate` to compare with.

Run from this directory: python3 make_fixture.py (needs openpyxl and soffice).
"""
import datetime, os, shutil, subprocess, tempfile
import openpyxl

employees = ["E001", "E002", "E003"]
rows = []
for i in range(30):
    emp = employees[i % 3]
    day = datetime.date(2026, 7, 1) + datetime.timedelta(days=i * 3)
    score = ["4.5", "3", "5", "2.5", "4"][i % 5]
    recommend = [9, 7, 10, 4, 8][(i + 1) % 5]
    rows.append((emp, day, score, recommend, f"R{i:03d}"))

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "surveys"
ws.append(["坐席工号", "调查日期", "满意度", "推荐意愿", "问卷编号"])
for emp, day, score, recommend, rid in rows:
    ws.append([emp, day, score, recommend, rid])
    ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd"
    ws.cell(row=ws.max_row, column=3).data_type = "s"  # a number stored as text
wb.save("surveys-source.xlsx")

out = tempfile.mkdtemp()
subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", out, "surveys-source.xlsx"], check=True,
               stdout=subprocess.DEVNULL)
shutil.move(os.path.join(out, "surveys-source.xlsx"), "surveys-libreoffice.xlsx")
shutil.rmtree(out)

with open("surveys-expected.csv", "w", encoding="utf-8") as f:
    f.write("employee_id,responded_at,score,recommend,response_id\n")
    for emp, day, score, recommend, rid in rows:
        f.write(f"{emp},{day.isoformat()},{score},{recommend},{rid}\n")
with open("mapping.yaml", "w", encoding="utf-8") as f:
    f.write("surveys:\n  employee_id: 坐席工号\n  responded_at: 调查日期\n  score: 满意度\n  recommend: 推荐意愿\n  response_id: 问卷编号\n")
with open("employees.csv", "w", encoding="utf-8") as f:
    f.write("employee_id,name,team,role,bonus_target,currency\n")
    f.write("E001,李伟,North,agent,2000.00,USD\nE002,Ana Souza,North,agent,1800.00,USD\nE003,Tom Berg,South,agent,2200.00,USD\n")
