//! RFC 3339 rendering of edit times (UTC), without a date library.

/// `2026-12-01T09:41:07.123Z` for a time in milliseconds since the Unix epoch.
///
/// # Examples
/// ```
/// assert_eq!(repere_store::time::rfc3339_utc(0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(repere_store::time::rfc3339_utc(1_764_582_067_123), "2025-12-01T09:41:07.123Z");
/// ```
pub fn rfc3339_utc(time_ms: i64) -> String {
    let secs = time_ms.div_euclid(1000);
    let ms = time_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
