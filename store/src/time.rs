//! RFC 3339 rendering of edit times (UTC), on the engine's one civil-date rule
//! ([`repere_engine::date`]).

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
    let date = repere_engine::date::iso(repere_engine::date::date_from_days(days));
    format!(
        "{date}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
