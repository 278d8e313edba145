//! CSV cells safe to open in a spreadsheet: the OWASP defence against formula (CSV) injection.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
//! Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)` in an actor's name becomes a link in the
//! public export). Such a cell gets a leading `'`, which spreadsheets show as text; a number
//! such as `-3.2` (or `-3,2`) stays a number.

use std::borrow::Cow;

/// The text of one CSV cell, neutralised when a spreadsheet would read it as a formula.
///
/// # Examples
/// ```
/// use repere_engine::csv_cell::neutralised;
/// assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralised("-3.2"), "-3.2");
/// assert_eq!(neutralised("Mission locale"), "Mission locale");
/// ```
pub fn neutralised(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A neutralised cell, quoted for a comma-separated file when it holds a separator, a quote or
/// a line break (RFC 4180).
pub fn csv_field(text: &str) -> String {
    let cell = neutralised(text);
    if cell.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.into_owned()
    }
}

/// A plain decimal number (sign, digits, one `.` or `,`, an exponent): no formula.
fn is_number(text: &str) -> bool {
    text.len() > 1
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | ',' | 'e' | 'E'))
        && text
            .replacen(',', ".", 1)
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_and_numbers_do_not() {
        for bad in [
            "=1+1",
            "+33 1 23",
            "-cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "+",
        ] {
            assert_eq!(neutralised(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["-3.2", "-3,2", "+4", "-1e5", "12", "Rouen", "", "a=b"] {
            assert_eq!(neutralised(ok), ok, "{ok:?}");
        }
        assert_eq!(csv_field("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
    }
}
