//! French wording shared by the printable reports (the coverage report and the project report):
//! numbers, dates, travel modes, HTML escaping. One rule each, so both reports say the same.

use repere_engine::coverage::Mode;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    repere_engine::text::escape_xml(s)
}

/// A number in French notation (decimal comma, narrow no-break space between thousands).
pub fn fr(x: f64, decimals: usize) -> String {
    let t = format!("{x:.decimals$}");
    let (int, frac) = t
        .split_once('.')
        .map_or((t.as_str(), None), |(a, b)| (a, Some(b)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::from(sign);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// Today's date in French (`1er décembre 2026`), from the system clock (UTC), by [`date_fr`].
pub fn today_fr() -> String {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    date_fr(now_ms)
}

/// How the sites were reached, in French (also the project report's wording).
pub fn mode_fr(m: Mode) -> &'static str {
    match m {
        Mode::Walk => "à pied",
        Mode::Transit => "à pied et en transport en commun",
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A time (ms since the epoch) as a French date (`7 décembre 2026`, UTC), on the engine's one
/// civil-date rule.
pub fn date_fr(time_ms: i64) -> String {
    let date = repere_engine::date::date_from_days(time_ms.div_euclid(86_400_000));
    let (y, m, d) = (date / 10000, (date / 100 % 100) as usize, date % 100);
    let day = if d == 1 {
        "1er".to_owned()
    } else {
        d.to_string()
    };
    format!("{day} {} {y}", MONTHS[m.clamp(1, 12) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_engine_civil_date_rule() {
        assert_eq!(date_fr(0), "1er janvier 1970");
        assert_eq!(date_fr(1_764_582_067_123), "1er décembre 2025");
        // 2024-02-29 12:00 UTC, a leap day; the day before the epoch.
        assert_eq!(date_fr(1_709_208_000_000), "29 février 2024");
        assert_eq!(date_fr(-1), "31 décembre 1969");
        assert_eq!(
            repere_store::time::rfc3339_utc(1_709_208_000_000),
            "2024-02-29T12:00:00.000Z"
        );
    }

    #[test]
    fn numbers_and_modes_read_french() {
        assert_eq!(fr(1234567.891, 1), "1\u{202f}234\u{202f}567,9");
        assert_eq!(fr(-1000.0, 0), "-1\u{202f}000");
        assert_eq!(mode_fr(Mode::Walk), "à pied");
        assert_eq!(esc("a<b&c"), "a&lt;b&amp;c");
    }
}
