//! Opening hours of an actor: for each French weekday, one or more `HH:MM-HH:MM` ranges.
//!
//! One parser for every way the hours reach the engine: the edit form and the API
//! (`09:00-12:00, 14:00-17:00`), the files the loader reads (France services publishes
//! `09:30 - 12:00 / 13:30 - 16:00`) and data·inclusion's `horaires_accueil`
//! (`Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00`, as OpenStreetMap writes opening hours, or
//! `lundi : 09:00-12:00 ; mardi : …` as Repère's export writes it). A validated day is written
//! back in one canonical form: ranges `HH:MM-HH:MM` in order, separated by `, `.

use std::collections::BTreeMap;

/// The weekdays, Monday first, as the keys of [`super::actor::OpeningHours`].
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// Why opening hours were refused (French, shown to users as is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// A key that is no weekday.
    #[error(
        "jour inconnu {0:?} : attendu lundi, mardi, mercredi, jeudi, vendredi, samedi ou dimanche"
    )]
    UnknownDay(String),
    /// A range that is not `HH:MM-HH:MM`.
    #[error(
        "plage horaire illisible {0:?} : attendu HH:MM-HH:MM, plusieurs plages séparées par des virgules (ex. 09:00-12:00, 14:00-17:00)"
    )]
    Range(String),
    /// A range that ends before it starts.
    #[error("plage horaire {0:?} : l'heure de fin doit suivre l'heure de début")]
    Order(String),
    /// Two ranges of one day that overlap.
    #[error("plages horaires qui se chevauchent : {0} et {1}")]
    Overlap(String, String),
    /// A weekly text whose rule names no day.
    #[error(
        "règle d'horaires sans jour {0:?} : attendu par exemple « lundi : 09:00-12:00 » ou « Mo-Fr 09:00-12:00 »"
    )]
    Rule(String),
}

/// One opening range, minutes since midnight (`end_min` ≤ 1440, after `start_min`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// Opening, minutes since midnight.
    pub start_min: u16,
    /// Closing, minutes since midnight (1440 for `24:00`).
    pub end_min: u16,
}

impl std::fmt::Display for TimeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start_min), hm(self.end_min))
    }
}

/// `9:30`, `09:30`, `9h30`, `9h` → minutes since midnight (`24:00` allowed).
fn clock_min(text: &str) -> Option<u16> {
    let t = text.trim().to_lowercase();
    let (h, m) = match t.split_once([':', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => return None,
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// Parses the ranges of one day, in order and not overlapping (touching is allowed).
///
/// # Examples
/// ```
/// use repere_engine::model::opening_hours::parse_day;
/// let r = parse_day("09:30 - 12:00 / 13:30 - 16:00").unwrap();
/// assert_eq!((r.len(), r[1].start_min), (2, 810));
/// assert!(parse_day("9h-12h, 14h-17h30").is_ok());
/// assert!(parse_day("12:00-09:00").is_err());
/// assert!(parse_day("matin").is_err());
/// ```
///
/// # Errors
/// [`HoursError::Range`], [`HoursError::Order`] or [`HoursError::Overlap`].
pub fn parse_day(text: &str) -> Result<Vec<TimeRange>, HoursError> {
    let mut out: Vec<TimeRange> = Vec::new();
    let normalised = text.replace(" et ", ",").replace(['/', ';'], ",");
    for part in normalised
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let bad = || HoursError::Range(part.to_owned());
        let (a, b) = part.split_once(['-', '–', '—']).ok_or_else(bad)?;
        let (start_min, end_min) = (clock_min(a).ok_or_else(bad)?, clock_min(b).ok_or_else(bad)?);
        let range = TimeRange { start_min, end_min };
        if end_min <= start_min {
            return Err(HoursError::Order(part.to_owned()));
        }
        if let Some(prev) = out.last()
            && prev.end_min > start_min
        {
            return Err(HoursError::Overlap(prev.to_string(), range.to_string()));
        }
        out.push(range);
    }
    if out.is_empty() {
        return Err(HoursError::Range(text.trim().to_owned()));
    }
    Ok(out)
}

/// One day's ranges in the canonical form `09:00-12:00, 14:00-17:00`.
///
/// # Errors
/// As [`parse_day`].
pub fn normalize_day(text: &str) -> Result<String, HoursError> {
    Ok(parse_day(text)?
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", "))
}

/// The weekday key (`lundi` …) of a French name or abbreviation, or an OpenStreetMap code.
///
/// # Examples
/// ```
/// use repere_engine::model::opening_hours::weekday;
/// assert_eq!(weekday("Mardi"), Some("mardi"));
/// assert_eq!(weekday("Th"), Some("jeudi"));
/// assert_eq!(weekday("lun."), Some("lundi"));
/// assert_eq!(weekday("férié"), None);
/// ```
pub fn weekday(name: &str) -> Option<&'static str> {
    const OSM: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];
    let n = name.trim().trim_end_matches('.').to_lowercase();
    if n.is_empty() {
        return None;
    }
    WEEKDAYS
        .iter()
        .zip(OSM)
        .find(|(fr, osm)| **fr == n || *osm == n || (n.len() >= 3 && fr.starts_with(&n)))
        .map(|(fr, _)| *fr)
}

/// Parses a weekly text: rules separated by `;`, each a day, a day range (`Mo-Fr`,
/// `lundi-vendredi`) or a list (`Mo,We`), then the ranges (`:` between them optional).
///
/// # Examples
/// ```
/// use repere_engine::model::opening_hours::parse_week;
/// let w = parse_week("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00").unwrap();
/// assert_eq!(w.len(), 6);
/// assert_eq!(w["samedi"], "09:00-12:00");
/// assert_eq!(parse_week("lundi : 9h-12h ; mardi : 14h-17h").unwrap()["mardi"], "14:00-17:00");
/// ```
///
/// # Errors
/// [`HoursError::Rule`] for a rule without a day, or the day's error.
pub fn parse_week(text: &str) -> Result<BTreeMap<String, String>, HoursError> {
    let mut out = BTreeMap::new();
    for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let split = rule
            .find(|c: char| c.is_ascii_digit())
            .ok_or_else(|| HoursError::Rule(rule.to_owned()))?;
        let (days_text, hours) = rule.split_at(split);
        let days_text = days_text.trim().trim_end_matches(':').trim();
        let mut days: Vec<&'static str> = Vec::new();
        for item in days_text.split(',').map(str::trim) {
            let bad = || HoursError::Rule(rule.to_owned());
            match item.split_once(['-', '–']) {
                Some((a, b)) => {
                    let index = |d: &str| WEEKDAYS.iter().position(|w| Some(*w) == weekday(d));
                    let (from, to) = (index(a).ok_or_else(bad)?, index(b).ok_or_else(bad)?);
                    if to < from {
                        return Err(bad());
                    }
                    days.extend(&WEEKDAYS[from..=to]);
                }
                None => days.push(weekday(item).ok_or_else(bad)?),
            }
        }
        let hours = normalize_day(hours)?;
        for d in days {
            out.insert(d.to_owned(), hours.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_published_by_france_services_in_the_default_data_is_read() {
        let csv = include_str!("../../../data/actors/france_services_76_2024.csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let days: Vec<usize> = (0..headers.len())
            .filter(|i| headers[*i].starts_with("h_"))
            .collect();
        let mut read = 0;
        for r in reader.records() {
            let r = r.unwrap();
            for &i in &days {
                if !r[i].trim().is_empty() {
                    normalize_day(&r[i]).unwrap_or_else(|e| panic!("{:?}: {e}", &r[i]));
                    read += 1;
                }
            }
        }
        assert!(read > 150, "{read}");
    }

    #[test]
    fn bad_hours_say_what_is_wrong() {
        assert_eq!(
            parse_day("09:00-12:00, 11:00-14:00").unwrap_err(),
            HoursError::Overlap("09:00-12:00".into(), "11:00-14:00".into())
        );
        assert!(matches!(
            parse_day("25:00-26:00"),
            Err(HoursError::Range(_))
        ));
        assert!(matches!(
            parse_day("09:60-10:00"),
            Err(HoursError::Range(_))
        ));
        assert!(matches!(parse_day(""), Err(HoursError::Range(_))));
        assert_eq!(
            normalize_day("08:30 - 13:30 / 13:30 - 17:30").unwrap(),
            "08:30-13:30, 13:30-17:30"
        );
        assert_eq!(normalize_day("14:00-24:00").unwrap(), "14:00-24:00");
        assert!(matches!(
            parse_week("09:00-12:00"),
            Err(HoursError::Rule(_))
        ));
        assert!(matches!(
            parse_week("Fr-Mo 09:00-12:00"),
            Err(HoursError::Rule(_))
        ));
    }
}
