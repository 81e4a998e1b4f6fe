//! Spreadsheet-safe CSV cells: the one rule every CSV the site serves applies to its cells, so
//! a name written by an archivist (a village, an honour, a product) is read by Excel,
//! LibreOffice Calc or Google Sheets as text and never run as a formula (CSV injection,
//! DDE, `=HYPERLINK(…)`).
//!
//! The rule is OWASP's "CSV Injection" advice: a cell that begins with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with a single quote `'`, which spreadsheet programs
//! take as "text follows". Leading spaces do not protect a formula (spreadsheets trim them
//! before reading it), and some programs read the full-width signs `＝ ＋ － ＠` (and the
//! small and mathematical `﹦ ﹢ ﹣ − ＠`) as their ASCII forms, so those count as well. RFC 4180
//! quoting stays the CSV writer's business: this module only decides a cell's text.
//!
//! Numbers written by the site itself (counts, stars) and dates (`2027-03-15`) begin with a
//! digit and pass unchanged, so they stay numbers in the sheet.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula when they begin it (after any
/// leading white space): OWASP's `= + - @ TAB CR`, the line feed, and the full-width, small
/// and mathematical forms some programs fold to `= + - @`.
const FORMULA_STARTS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '−', '﹫',
];

/// `cell` made safe to open in a spreadsheet: unchanged, or with a single quote `'` in front
/// when its first character, or its first character after leading white space (any Unicode
/// white space, the no-break space included), is one of [`FORMULA_STARTS`].
///
/// Source of the rule: OWASP, "CSV Injection" (<https://owasp.org/www-community/attacks/CSV_Injection>).
/// Never fails; an empty cell stays empty.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let starts_formula = cell
        .chars()
        .find(|c| FORMULA_STARTS.contains(c) || !c.is_whitespace())
        .is_some_and(|c| FORMULA_STARTS.contains(&c));
    if starts_formula {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    /// Every way a cell can start a formula gets the quote; the rest pass unchanged.
    #[test]
    fn formula_cells_get_a_quote_and_others_do_not() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://evil.example/\",\"x\")",
                "'=HYPERLINK(\"http://evil.example/\",\"x\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("   =2+2", "'   =2+2"),
            ("\u{a0}@SUM(A1)", "'\u{a0}@SUM(A1)"),
            ("＝1+1", "'＝1+1"),
            ("＋1", "'＋1"),
            ("－1", "'－1"),
            ("＠SUM(A1)", "'＠SUM(A1)"),
            (" ＝1", "' ＝1"),
            ("Làng nghề trống Đọi Tam", "Làng nghề trống Đọi Tam"),
            ("a=b", "a=b"),
            ("lang-doi-tam", "lang-doi-tam"),
            ("12", "12"),
            ("2027-03-15", "2027-03-15"),
            ("'=already quoted", "'=already quoted"),
            ("   ", "   "),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }
}
