/*
 * Writes libxlsxwriter.xlsx (shared strings, ZIP64 option on) and
 * libxlsxwriter-constant-memory.xlsx (inline strings), fixtures of
 * XLSXWorkbookReaderTests. They mimic what Merit's HR workbook (docs/reference.md §14)
 * holds: a `Bonus` sheet whose range is the Excel table `BonusImport`, text
 * Employee IDs with leading zeros, money cells with a number format, an empty
 * styled cell, live formulas stored with their computed value, dates, booleans
 * and document properties.
 *
 * Build and run through make-fixtures.sh (gcc make-fixtures.c -lxlsxwriter).
 */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define CHECK(expr) do { lxw_error e_ = (expr); if (e_) { fprintf(stderr, "%s: %s\n", #expr, lxw_strerror(e_)); return 1; } } while (0)

static const char *bonus_headers[] = {
    "Employee ID", "Name", "Team", "Cost Center", "Currency", "Bonus Target",
    "Band", "Multiplier", "Proration", "Bonus Amount"
};

static int write_shared(const char *path) {
    /* ZIP64 extensions on, as Merit's XLSXWorkbook writes them. */
    lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb) { fprintf(stderr, "cannot create %s\n", path); return 1; }

    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = "Merit HR workbook";
    props.subject = "Performance review 2024-Q1";
    props.author = "Merit";
    props.keywords = "merit, bonus";
    props.comments = "rubric cx-2024 v3";
    CHECK(workbook_set_properties(wb, &props));

    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy-mm-dd hh:mm:ss");
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_format *yen = workbook_add_format(wb);
    format_set_num_format(yen, "#,##0");
    lxw_format *builtin_date = workbook_add_format(wb);
    format_set_num_format_index(builtin_date, 14); /* built-in m/d/yyyy */
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);

    /* Sheet 1: Summary — assorted cell types in rows 1..9. */
    lxw_worksheet *s = workbook_add_worksheet(wb, "Summary");
    CHECK(worksheet_write_string(s, 0, 0, "Period", bold));
    CHECK(worksheet_write_string(s, 0, 1, "2024-Q1", NULL));
    lxw_datetime d = {2024, 3, 15, 0, 0, 0.0};
    CHECK(worksheet_write_string(s, 1, 0, "Generated", NULL));
    CHECK(worksheet_write_datetime(s, 1, 1, &d, date));
    lxw_datetime dt = {2024, 3, 15, 13, 45, 30.0};
    CHECK(worksheet_write_datetime(s, 1, 2, &dt, stamp));
    CHECK(worksheet_write_datetime(s, 1, 3, &d, builtin_date));
    CHECK(worksheet_write_string(s, 2, 0, "Rated", NULL));
    CHECK(worksheet_write_number(s, 2, 1, 12, NULL));
    CHECK(worksheet_write_number(s, 2, 2, 2.25, NULL));
    CHECK(worksheet_write_formula_num(s, 2, 3, "=SUM(B3:C3)", NULL, 14.25));
    CHECK(worksheet_write_string(s, 3, 0, "Complete", NULL));
    CHECK(worksheet_write_boolean(s, 3, 1, 1, NULL));
    CHECK(worksheet_write_boolean(s, 3, 2, 0, NULL));
    CHECK(worksheet_write_formula_str(s, 3, 3, "=B1&\"-final\"", NULL, "2024-Q1-final"));
    /* Row 5 left empty. Row 6: input text that looks like formulas, XML
     * specials, CJK, spaces, a control character and a literal _xHHHH_. */
    CHECK(worksheet_write_string(s, 5, 0, "=1+2", NULL));
    CHECK(worksheet_write_string(s, 5, 1, "+SUM(A1)", NULL));
    CHECK(worksheet_write_string(s, 5, 2, "<a & \"b\" 'c'>", NULL));
    CHECK(worksheet_write_string(s, 5, 3, "张伟 (客服一组)", NULL));
    CHECK(worksheet_write_string(s, 5, 4, "  padded  ", NULL));
    CHECK(worksheet_write_string(s, 5, 5, "bell\x07here", NULL));
    CHECK(worksheet_write_string(s, 5, 6, "line1\nline2", NULL));
    CHECK(worksheet_write_string(s, 5, 7, "_x0041_", NULL));

    /* Sheet 2: Bonus — the HR import contract, an Excel table `BonusImport`. */
    lxw_worksheet *b = workbook_add_worksheet(wb, "Bonus");
    lxw_table_column cols[10];
    lxw_table_column *colp[11];
    memset(cols, 0, sizeof cols);
    for (int i = 0; i < 10; i++) { cols[i].header = (char *)bonus_headers[i]; colp[i] = &cols[i]; }
    colp[10] = NULL;
    lxw_table_options topt;
    memset(&topt, 0, sizeof topt);
    topt.name = "BonusImport";
    topt.columns = colp;
    CHECK(worksheet_add_table(b, 0, 0, 3, 9, &topt));
    const char *ids[] = {"00042", "00107", "01000"};
    const char *names[] = {"Ana Lima", "王芳", "O'Brien & Sons"};
    const char *cur[] = {"EUR", "CNY", "JPY"};
    double target[] = {1500.5, 20000, 300000};
    for (int r = 0; r < 3; r++) {
        int row = r + 1;
        CHECK(worksheet_write_string(b, row, 0, ids[r], NULL));
        CHECK(worksheet_write_string(b, row, 1, names[r], NULL));
        CHECK(worksheet_write_string(b, row, 2, "Support", NULL));
        CHECK(worksheet_write_string(b, row, 3, "CC-10", NULL));
        CHECK(worksheet_write_string(b, row, 4, cur[r], NULL));
        CHECK(worksheet_write_number(b, row, 5, target[r], r == 2 ? yen : money));
        CHECK(worksheet_write_string(b, row, 6, r == 1 ? "Unrated" : "Meets", NULL));
        CHECK(worksheet_write_number(b, row, 7, 1.0, NULL));
        CHECK(worksheet_write_number(b, row, 8, 0.5, NULL));
        if (r == 1)
            CHECK(worksheet_write_blank(b, row, 9, money)); /* unrated: an empty styled cell */
        else {
            char formula[64];
            snprintf(formula, sizeof formula, "=F%d*H%d*I%d", row + 1, row + 1, row + 1);
            CHECK(worksheet_write_formula_num(b, row, 9, formula, r == 2 ? yen : money, target[r] * 0.5));
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static int write_constant_memory(const char *path) {
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb) { fprintf(stderr, "cannot create %s\n", path); return 1; }
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_worksheet *s = workbook_add_worksheet(wb, "Scorecards");
    CHECK(worksheet_write_string(s, 0, 0, "Employee ID", NULL));
    CHECK(worksheet_write_string(s, 0, 1, "名前", NULL));
    CHECK(worksheet_write_string(s, 0, 2, "Score", NULL));
    CHECK(worksheet_write_string(s, 0, 3, "Total", NULL));
    CHECK(worksheet_write_string(s, 0, 4, "Since", NULL));
    CHECK(worksheet_write_string(s, 1, 0, "00042", NULL));
    CHECK(worksheet_write_string(s, 1, 1, "a & <b>", NULL));
    CHECK(worksheet_write_number(s, 1, 2, 87.5, NULL));
    CHECK(worksheet_write_formula_num(s, 1, 3, "=C2*2", NULL, 175));
    lxw_datetime d = {2023, 12, 31, 0, 0, 0.0};
    CHECK(worksheet_write_datetime(s, 1, 4, &d, date));
    /* row 3 skipped */
    CHECK(worksheet_write_string(s, 3, 0, "  00043 ", NULL));
    CHECK(worksheet_write_boolean(s, 3, 1, 1, NULL));
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/libxlsxwriter.xlsx", dir);
    if (write_shared(path)) return 1;
    snprintf(path, sizeof path, "%s/libxlsxwriter-constant-memory.xlsx", dir);
    if (write_constant_memory(path)) return 1;
    return 0;
}
