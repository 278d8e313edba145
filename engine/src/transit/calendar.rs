//! Service calendars: which GTFS services run on a date or on a typical weekday.
//!
//! A service runs on a date when `calendar.txt` covers the date with that weekday set and
//! `calendar_dates.txt` does not remove it, or when `calendar_dates.txt` adds it (type 1).
//! A *typical weekday* is resolved to a real date of the feed: the date of that weekday, within
//! the feed's validity, with the most active trips (earliest on ties), so holidays and
//! exceptions weigh as they do on the ground.

use std::collections::{BTreeSet, HashMap};

use crate::date::{date_from_days, days_from_date, iso};
use crate::model::transport::Transport;

/// Days of the week, Monday first as in `calendar.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Weekday {
    /// Lundi.
    Monday,
    /// Mardi.
    Tuesday,
    /// Mercredi.
    Wednesday,
    /// Jeudi.
    Thursday,
    /// Vendredi.
    Friday,
    /// Samedi.
    Saturday,
    /// Dimanche.
    Sunday,
}

impl Weekday {
    /// All days, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses an English or French day name (`monday`, `lundi`, `lun`, case-insensitive).
    ///
    /// # Errors
    /// A message naming the text.
    pub fn parse(text: &str) -> Result<Self, crate::problem::ValueError> {
        let t = text.trim().to_lowercase();
        const NAMES: [[&str; 4]; 7] = [
            ["monday", "mon", "lundi", "lun"],
            ["tuesday", "tue", "mardi", "mar"],
            ["wednesday", "wed", "mercredi", "mer"],
            ["thursday", "thu", "jeudi", "jeu"],
            ["friday", "fri", "vendredi", "ven"],
            ["saturday", "sat", "samedi", "sam"],
            ["sunday", "sun", "dimanche", "dim"],
        ];
        NAMES
            .iter()
            .position(|n| n.contains(&t.as_str()))
            .map(|i| Self::ALL[i])
            .ok_or_else(|| {
                crate::problem::ValueError::new(
                    text,
                    "jour de la semaine attendu (lundi … dimanche)",
                )
            })
    }
}

/// The day a timetable is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ServiceDay {
    /// A date, `YYYYMMDD` as a number.
    Date(u32),
    /// A typical day of that weekday (see the module docs).
    Typical(Weekday),
}

impl Default for ServiceDay {
    fn default() -> Self {
        Self::Typical(Weekday::Tuesday)
    }
}

/// The weekday of a `YYYYMMDD` date.
///
/// # Examples
/// ```
/// use repere_engine::transit::{calendar::weekday_of, Weekday};
/// assert_eq!(weekday_of(20240301), Some(Weekday::Friday));
/// ```
pub fn weekday_of(date: u32) -> Option<Weekday> {
    // 1970-01-01 was a Thursday (index 3).
    days_from_date(date).map(|d| Weekday::ALL[(d + 3).rem_euclid(7) as usize])
}

/// Service ids running on a date.
pub fn services_on(t: &Transport, date: u32) -> BTreeSet<&str> {
    let Some(wd) = weekday_of(date) else {
        return BTreeSet::new();
    };
    let mut on: BTreeSet<&str> = t
        .calendars
        .iter()
        .filter(|c| c.weekdays[wd.index()] && c.start_date <= date && date <= c.end_date)
        .map(|c| c.service_id.as_str())
        .collect();
    for cd in t.calendar_dates.iter().filter(|cd| cd.date == date) {
        match cd.exception_type {
            1 => {
                on.insert(cd.service_id.as_str());
            }
            2 => {
                on.remove(cd.service_id.as_str());
            }
            _ => {}
        }
    }
    on
}

/// A service day the feed cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date lies outside every calendar and exception of the feed.
    #[error(
        "le {} est hors de la période de service du GTFS (du {} au {})",
        iso(*date),
        iso(*first),
        iso(*last)
    )]
    OutsideService {
        /// The date asked, `YYYYMMDD`.
        date: u32,
        /// First date of the feed.
        first: u32,
        /// Last date of the feed.
        last: u32,
    },
    /// Not a calendar date.
    #[error("date invalide : {text:?} (attendu AAAA-MM-JJ)")]
    NotADate {
        /// The text given.
        text: String,
    },
    /// The feed declares no service date at all.
    #[error("le GTFS ne déclare aucune date de service (calendar.txt et calendar_dates.txt vides)")]
    NoService,
    /// No date of that weekday has service.
    #[error("aucun jour de la semaine demandé n'a de service dans le GTFS (du {} au {})", iso(*first), iso(*last))]
    NoServiceOnWeekday {
        /// First date of the feed.
        first: u32,
        /// Last date of the feed.
        last: u32,
    },
}

/// Parses `YYYY-MM-DD` (or `YYYYMMDD`) into a `YYYYMMDD` number.
///
/// # Examples
/// ```
/// use repere_engine::transit::calendar::parse_date;
/// assert_eq!(parse_date("2014-06-03"), Ok(20140603));
/// assert!(parse_date("2014-02-30").is_err());
/// ```
///
/// # Errors
/// [`CalendarError::NotADate`] naming the text.
pub fn parse_date(text: &str) -> Result<u32, CalendarError> {
    let digits: String = text.trim().chars().filter(|c| *c != '-').collect();
    let bad = || CalendarError::NotADate {
        text: text.to_owned(),
    };
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let d: u32 = digits.parse().map_err(|_| bad())?;
    days_from_date(d).map(|_| d).ok_or_else(bad)
}

/// The first and last dates of the feed's service (calendars and exceptions); `None` when the
/// feed declares no date.
pub fn service_range(t: &Transport) -> Option<(u32, u32)> {
    let starts = t
        .calendars
        .iter()
        .map(|c| c.start_date)
        .chain(t.calendar_dates.iter().map(|c| c.date));
    let ends = t
        .calendars
        .iter()
        .map(|c| c.end_date)
        .chain(t.calendar_dates.iter().map(|c| c.date));
    Some((starts.min()?, ends.max()?))
}

/// Resolves a service day to a date of the feed.
///
/// # Errors
/// [`CalendarError::OutsideService`] for a date outside the feed's service range (the error
/// gives the range), [`CalendarError::NoService`] for a feed without dates,
/// [`CalendarError::NoServiceOnWeekday`] when no date of a typical weekday has service.
pub fn resolve_date(t: &Transport, day: ServiceDay) -> Result<u32, CalendarError> {
    let (first_date, last_date) = service_range(t).ok_or(CalendarError::NoService)?;
    match day {
        ServiceDay::Date(d) => {
            if days_from_date(d).is_none() {
                return Err(CalendarError::NotADate {
                    text: d.to_string(),
                });
            }
            if d < first_date || d > last_date {
                return Err(CalendarError::OutsideService {
                    date: d,
                    first: first_date,
                    last: last_date,
                });
            }
            Ok(d)
        }
        ServiceDay::Typical(wd) => {
            let none = CalendarError::NoServiceOnWeekday {
                first: first_date,
                last: last_date,
            };
            let first = days_from_date(first_date).ok_or(CalendarError::NoService)?;
            let last = days_from_date(last_date).ok_or(CalendarError::NoService)?;
            let mut trips_per_service: HashMap<&str, usize> = HashMap::new();
            for trip in &t.trips {
                *trips_per_service
                    .entry(trip.service_id.as_str())
                    .or_insert(0) += 1;
            }
            let offset = (wd.index() as i64 - (first + 3).rem_euclid(7)).rem_euclid(7);
            // Scan at most ~3 years of that weekday: feeds are valid for months.
            let mut best: Option<(usize, u32)> = None;
            let mut day = first + offset;
            while day <= last.min(first + 1100) {
                let date = date_from_days(day);
                let n = services_on(t, date)
                    .iter()
                    .map(|s| trips_per_service.get(s).copied().unwrap_or(0))
                    .sum::<usize>();
                if n > 0 && best.is_none_or(|(b, _)| n > b) {
                    best = Some((n, date));
                }
                day += 7;
            }
            best.map(|(_, d)| d).ok_or(none)
        }
    }
}

/// Per trip, whether it runs on `date`.
pub fn active_trips(t: &Transport, date: u32) -> Vec<bool> {
    let on = services_on(t, date);
    t.trips
        .iter()
        .map(|trip| on.contains(trip.service_id.as_str()))
        .collect()
}
