//! Civil dates (proleptic Gregorian, UTC): `YYYYMMDD` numbers ↔ days since 1970-01-01, and
//! their ISO text. The one date rule of the workspace: GTFS calendars, report dates and the
//! store's edit times (RFC 3339) all go through it.

/// Days since 1970-01-01 of a `YYYYMMDD` date (proleptic Gregorian), `None` if not a date.
///
/// # Examples
/// ```
/// use repere_engine::date::days_from_date;
/// assert_eq!(days_from_date(19700101), Some(0));
/// assert_eq!(days_from_date(20240301), Some(19783));
/// assert_eq!(days_from_date(20230229), None);
/// ```
pub fn days_from_date(date: u32) -> Option<i64> {
    let (y, m, d) = (i64::from(date / 10000), date / 100 % 100, date % 100);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d == 0 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let (m, d) = (i64::from(m), i64::from(d));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYYMMDD` date of a day count since 1970-01-01.
///
/// # Examples
/// ```
/// use repere_engine::date::date_from_days;
/// assert_eq!(date_from_days(19783), 20240301);
/// ```
pub fn date_from_days(days: i64) -> u32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y * 10000 + m * 100 + d) as u32
}

/// `YYYY-MM-DD` of a `YYYYMMDD` date.
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::date::iso(20140603), "2014-06-03");
/// ```
pub fn iso(date: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date / 10000,
        date / 100 % 100,
        date % 100
    )
}
