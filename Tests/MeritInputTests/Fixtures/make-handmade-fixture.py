#!/usr/bin/env python3
"""Writes handmade.xlsx: an .xlsx whose XML is written by hand to hold what the
common writers do not (fixture of XLSXWorkbookReaderTests): a workbook part at
an unusual path found through _rels/.rels, absolute and relative relationship
targets, prefixed element names, rows and cells without `r`, rich-text and
phonetic shared strings, _xHHHH_ escapes, CDATA, ISO 8601 (t="d") cells,
shared formulas, styled empty cells, a redefined built-in number format, and
broken sheets. Also writes not-a-zip.xlsx (a CSV file with the wrong name) and
no-workbook.xlsx (a ZIP archive without a workbook part).

Run through make-fixtures.sh; uses only the standard library.
"""
import sys
import zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "."
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

parts = {}
parts["[Content_Types].xml"] = HEAD + """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/book.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
</Types>"""
parts["_rels/.rels"] = HEAD + f"""<Relationships xmlns="{PKG}">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="/xl/book.xml"/>
</Relationships>"""
parts["xl/book.xml"] = HEAD + f"""<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}">
  <x:workbookPr date1904="false"/>
  <x:sheets>
    <x:sheet name="Data" sheetId="1" r:id="rId1"/>
    <x:sheet name="客服" sheetId="2" r:id="rId2"/>
    <x:sheet name="Empty" sheetId="3" r:id="rId3"/>
    <x:sheet name="Broken" sheetId="4" r:id="rId4"/>
    <x:sheet name="Missing" sheetId="5" r:id="rId5"/>
    <x:sheet name="BadIndex" sheetId="6" r:id="rId6"/>
    <x:sheet name="BadNumber" sheetId="7" r:id="rId7"/>
  </x:sheets>
</x:workbook>"""
parts["xl/_rels/book.xml.rels"] = HEAD + f"""<Relationships xmlns="{PKG}">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="{REL}/worksheet" Target="./worksheets/../worksheets/empty.xml"/>
<Relationship Id="rId4" Type="{REL}/worksheet" Target="worksheets/broken.xml"/>
<Relationship Id="rId5" Type="{REL}/worksheet" Target="worksheets/missing.xml"/>
<Relationship Id="rId6" Type="{REL}/worksheet" Target="worksheets/badindex.xml"/>
<Relationship Id="rId7" Type="{REL}/worksheet" Target="worksheets/badnumber.xml"/>
<Relationship Id="rId8" Type="{REL}/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId9" Type="{REL}/styles" Target="/xl/styles.xml"/>
<Relationship Id="rId10" Type="{REL}/hyperlink" Target="https://example.invalid/" TargetMode="External"/>
</Relationships>"""
parts["xl/strings.xml"] = HEAD + f"""<sst xmlns="{MAIN}" count="9" uniqueCount="9">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t>a</t></r><r><t>b</t></r></si>
<si><t xml:space="preserve">  lead and trail  </t></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>&lt;&amp;&gt;&quot;&apos; &#x4E2D;&#25991; &#x1F600;</t></si>
<si><t>x_x000D_y _xD83D__xDE00_ _x005F_x0041_</t></si>
<si><t/></si>
<si><t>line1&#10;line2</t></si>
<si><t><![CDATA[<cdata & stuff>]]></t></si>
</sst>"""
parts["xl/styles.xml"] = HEAD + f"""<styleSheet xmlns="{MAIN}">
<numFmts count="9">
  <numFmt numFmtId="14" formatCode="0.00"/>
  <numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>
  <numFmt numFmtId="165" formatCode="&quot;Date: &quot;0"/>
  <numFmt numFmtId="166" formatCode="\\d0"/>
  <numFmt numFmtId="167" formatCode="[h]:mm:ss"/>
  <numFmt numFmtId="168" formatCode="0.00E+00"/>
  <numFmt numFmtId="169" formatCode="[$-F800]dddd, mmmm dd, yyyy"/>
  <numFmt numFmtId="170" formatCode="#,##0.00_);[Red]\\(#,##0.00\\)"/>
  <numFmt numFmtId="171" formatCode="General"/>
</numFmts>
<cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>
<cellXfs count="14">
  <xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="164"/><xf numFmtId="165"/>
  <xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="169"/><xf numFmtId="170"/>
  <xf numFmtId="171"/><xf numFmtId="31"/><xf numFmtId="45"/><xf numFmtId="49"/>
</cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="200" formatCode="yyyy"/></dxf></dxfs>
</styleSheet>"""
parts["xl/worksheets/data.xml"] = HEAD + f"""<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}"
    xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
    xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">
  <x:dimension ref="A1:N6"/>
  <x:sheetData>
    <x:row r="1">
      <x:c r="A1" t="s">
        <x:v>0</x:v>
      </x:c>
      <x:c r="B1" t="s"><x:v>1</x:v></x:c>
      <x:c r="C1" t="s"><x:v>2</x:v></x:c>
      <x:c r="D1" t="s"><x:v>3</x:v></x:c>
      <x:c r="E1" t="s"><x:v>4</x:v></x:c>
      <x:c r="F1" t="s"><x:v>5</x:v></x:c>
      <x:c r="G1" t="s"><x:v>6</x:v></x:c>
      <x:c r="H1" t="s"><x:v>7</x:v></x:c>
      <x:c r="I1" t="s"><x:v>8</x:v></x:c>
    </x:row>
    <x:row>
      <x:c><x:v>42</x:v></x:c>
      <x:c t="n"><x:v> 1.5E-3 </x:v></x:c>
      <x:c t="b"><x:v>1</x:v></x:c>
      <x:c t="b"><x:v>0</x:v></x:c>
      <x:c t="e"><x:v>#DIV/0!</x:v></x:c>
      <x:c t="inlineStr"><x:is><x:r><x:t>坐席</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve"> 工号 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ざせき</x:t></x:rPh></x:is></x:c>
      <x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>plainx</x:v></x:c>
      <x:c><x:f>=1+1</x:f><x:v>2</x:v></x:c>
      <x:c><x:f>SUM(A2:B2)</x:f></x:c>
    </x:row>
    <x:row r="4">
      <x:c r="B4" s="1"><x:v>45000</x:v></x:c>
      <x:c r="C4" s="2"><x:v>45000.5</x:v></x:c>
      <x:c s="3"><x:v>45366</x:v></x:c>
      <x:c s="4"><x:v>5</x:v></x:c>
      <x:c s="5"><x:v>6</x:v></x:c>
      <x:c s="6"><x:v>1.25</x:v></x:c>
      <x:c s="7"><x:v>7</x:v></x:c>
      <x:c s="8"><x:v>45366</x:v></x:c>
      <x:c s="9"><x:v>8</x:v></x:c>
      <x:c s="10"><x:v>9</x:v></x:c>
      <x:c s="11"><x:v>45366</x:v></x:c>
      <x:c s="12"><x:v>0.5</x:v></x:c>
      <x:c s="13"><x:v>10</x:v></x:c>
    </x:row>
    <x:row r="5">
      <x:c r="A5" t="d"><x:v>2024-03-15</x:v></x:c>
      <x:c r="B5" t="d"><x:v>2024-03-15T13:45:30Z</x:v></x:c>
      <x:c r="C5" t="d"><x:v>13:45:30</x:v></x:c>
      <x:c r="D5" t="d"><x:v>not a date</x:v></x:c>
      <x:c r="E5"><x:f t="shared" ref="E5:F5" si="0">B4+1</x:f><x:v>45001</x:v></x:c>
      <x:c r="F5"><x:f t="shared" si="0"/><x:v>45001.5</x:v></x:c>
    </x:row>
    <x:row r="6"><x:c r="A6" s="3"/><x:c r="C6" s="3" t="s"/></x:row>
    <x:row r="7"/>
    <x:row r="8" spans="1:2"></x:row>
  </x:sheetData>
  <x:extLst><x:ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}"><x14:sparklineGroups><x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>Data!A2:B2</xm:f><xm:sqref>N2</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></x:ext></x:extLst>
</x:worksheet>"""
parts["xl/worksheets/sheet2.xml"] = HEAD + f"""<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>0001</t></is></c><c r="B2" t="inlineStr"><is><t>李雷</t></is></c></row>
</sheetData><tableParts count="2"><tablePart r:id="rId1"/><tablePart r:id="rId2"/></tableParts></worksheet>"""
parts["xl/worksheets/_rels/sheet2.xml.rels"] = HEAD + f"""<Relationships xmlns="{PKG}">
<Relationship Id="rId1" Type="{REL}/table" Target="/xl/tables/t.xml"/>
<Relationship Id="rId2" Type="{REL}/table" Target="../tables/t2.xml"/>
</Relationships>"""
parts["xl/tables/t.xml"] = HEAD + f"""<table xmlns="{MAIN}" id="1" name="Table1" displayName="坐席表" ref="A1:B2"><autoFilter ref="A1:B2"/></table>"""
parts["xl/tables/t2.xml"] = HEAD + f"""<table xmlns="{MAIN}" id="2" name="Second" ref="D1:E3"/>"""
parts["xl/worksheets/empty.xml"] = HEAD + f"""<worksheet xmlns="{MAIN}"><sheetData/></worksheet>"""
parts["xl/worksheets/broken.xml"] = HEAD + f"""<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></row></sheetData></worksheet>"""
parts["xl/worksheets/badindex.xml"] = HEAD + f"""<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>99</v></c></row></sheetData></worksheet>"""
parts["xl/worksheets/badnumber.xml"] = HEAD + f"""<worksheet xmlns="{MAIN}"><sheetData><row r="3"><c r="C3"><v>1,5</v></c></row></sheetData></worksheet>"""

with zipfile.ZipFile(f"{out}/handmade.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))

with open(f"{out}/not-a-zip.xlsx", "w", encoding="utf-8") as f:
    f.write("employee_id,name\n0001,Ana\n")

with zipfile.ZipFile(f"{out}/no-workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("readme.txt", date_time=(2024, 1, 1, 0, 0, 0)), "not a workbook\n")
