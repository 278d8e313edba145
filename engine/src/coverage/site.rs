//! Planned sites from GeoJSON points or CSV text (pure parsing, no I/O).
//!
//! GeoJSON: a FeatureCollection of Points (WGS84 lon/lat), optional properties `id`, `name`
//! (or `nom`), `group` (an [`ActorGroup`] code such as `ML`, or a data·inclusion typology such as
//! `PIJ_BIJ`), `days` (`"lun,mar,jeu"` or an array) and `hours` (`"09:00-17:00"`).
//! CSV: a header with `lon`/`lat` (or `longitude`/`latitude`) and the same optional columns,
//! comma or semicolon separated. Both are read by the one point-file reader,
//! [`crate::point_file`], so a file reads the same here and on `/api/lookup`.

use geo::Point;

use crate::crs::Lambert93;
use crate::model::actor::{ActorGroup, ActorKind};
use crate::point_file::{PointRow, read_points, read_points_csv, read_points_geojson};
use crate::problem::{Problem, ValueError};
use crate::transit::calendar::Weekday;

/// A planned site.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Site {
    /// Identifier (given, or `site-N` by position from 1).
    pub id: String,
    /// Name, when given.
    pub name: Option<String>,
    /// Group of actor the site would be, when given.
    pub group: Option<ActorGroup>,
    /// Opening days, when given.
    pub days: Option<Vec<Weekday>>,
    /// Opening hours (seconds after midnight, start and end), when given.
    pub hours: Option<(u32, u32)>,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Location, WGS84 lon/lat degrees.
    #[serde(skip)]
    pub point_wgs84: Point,
    /// Location, Lambert-93 metres.
    #[serde(skip)]
    pub point_l93: Point,
}

/// A site that could not be read: the file (`sites`), the line or feature and the field
/// (see [`crate::point_file`]).
pub type SiteError = Problem;

/// The name sites files and bodies carry in messages.
pub const SITES_FILE: &str = "sites";

/// Parses `HH:MM-HH:MM`.
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::coverage::site::parse_hours("09:00-17:30"), Ok((32400, 63000)));
/// assert!(repere_engine::coverage::site::parse_hours("17:00-09:00").is_err());
/// ```
///
/// # Errors
/// [`ValueError`] naming the text.
pub fn parse_hours(text: &str) -> Result<(u32, u32), ValueError> {
    let bad = || ValueError::new(text, "heures d'ouverture HH:MM-HH:MM attendues");
    let (a, b) = text.trim().split_once('-').ok_or_else(bad)?;
    let hm = |t: &str| -> Option<u32> {
        let (h, m) = t.trim().split_once([':', 'h'])?;
        let (h, m): (u32, u32) = (
            h.parse().ok()?,
            if m.is_empty() { 0 } else { m.parse().ok()? },
        );
        // `then`, not `then_some`: the product must not be computed for an hour like 99999999.
        (h <= 24 && m < 60).then(|| h * 3600 + m * 60)
    };
    let (a, b) = (hm(a).ok_or_else(bad)?, hm(b).ok_or_else(bad)?);
    if a >= b {
        return Err(bad());
    }
    Ok((a, b))
}

fn parse_days(text: &str) -> Result<Vec<Weekday>, ValueError> {
    let mut d: Vec<Weekday> = text
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(Weekday::parse)
        .collect::<Result<_, _>>()?;
    d.sort();
    d.dedup();
    Ok(d)
}

fn parse_group(text: &str) -> Result<ActorGroup, ValueError> {
    ActorGroup::parse(text).or_else(|e| ActorKind::parse(text).map(|k| k.group()).map_err(|_| e))
}

/// A site from one row of a point file: its optional `id`, `name`/`nom`,
/// `group`/`kind`/`type`, `days`/`jours` and `hours`/`horaires`.
fn site_of_row(file: &str, row: &PointRow, n: usize, l93: &Lambert93) -> Result<Site, SiteError> {
    let at = |field: &str, message: String| {
        Problem::at(file, row.location.clone(), Some(field), message)
    };
    let (lon, lat) = (row.point.lon(), row.point.lat());
    let p = l93
        .point_from_wgs84(row.point.point())
        .map_err(|e| at("lon", format!("projection en Lambert-93 impossible : {e}")))?;
    Ok(Site {
        id: row
            .field(&["id"])
            .map_or_else(|| format!("site-{n}"), str::to_owned),
        name: row.field(&["name", "nom"]).map(str::to_owned),
        group: row
            .field(&["group", "kind", "type"])
            .map(parse_group)
            .transpose()
            .map_err(|e| at("group", e.to_string()))?,
        days: row
            .field(&["days", "jours"])
            .map(parse_days)
            .transpose()
            .map_err(|e| at("days", e.to_string()))?,
        hours: row
            .field(&["hours", "horaires"])
            .map(parse_hours)
            .transpose()
            .map_err(|e| at("hours", e.to_string()))?,
        lon,
        lat,
        point_wgs84: row.point.point(),
        point_l93: p,
    })
}

fn sites_of_rows(file: &str, rows: Vec<PointRow>) -> Result<Vec<Site>, SiteError> {
    let l93 = Lambert93::new();
    rows.iter()
        .enumerate()
        .map(|(i, r)| site_of_row(file, r, i + 1, &l93))
        .collect()
}

/// Parses sites from a point file named `file` in messages, GeoJSON or CSV ([`read_points`]).
///
/// # Errors
/// A [`SiteError`] naming the file, the feature or line and the field.
pub fn parse_sites(file: &str, text: &str) -> Result<Vec<Site>, SiteError> {
    sites_of_rows(file, read_points(file, text)?)
}

/// Parses a GeoJSON FeatureCollection (or a single Feature) of points.
///
/// # Errors
/// A [`SiteError`] naming the feature (0-based) and the field.
pub fn parse_sites_geojson(text: &str) -> Result<Vec<Site>, SiteError> {
    sites_of_rows(SITES_FILE, read_points_geojson(SITES_FILE, text)?)
}

/// Parses CSV text with `lon` and `lat` columns.
///
/// # Errors
/// A [`SiteError`] naming the line (the header is line 1) and the column.
pub fn parse_sites_csv(text: &str) -> Result<Vec<Site>, SiteError> {
    sites_of_rows(SITES_FILE, read_points_csv(SITES_FILE, text)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Location;

    /// Found by the fuzz harness (`tests/fuzz_inputs.rs`): the hour was multiplied before it
    /// was checked, an overflow panic in debug builds.
    #[test]
    fn a_huge_hour_is_an_error_not_an_overflow() {
        assert!(parse_hours("99999999:00-10:00").is_err());
        assert!(parse_hours("09:00-4294967295:00").is_err());
        assert_eq!(parse_hours("09:00-10h"), Ok((9 * 3600, 10 * 3600)));
    }

    #[test]
    fn geojson_sites_carry_group_days_and_hours() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.113,49.4608]},"properties":{"name":"Antenne","group":"ML","days":["lun","mer"],"hours":"09:00-12:00"}}]}"#;
        let s = parse_sites_geojson(text).unwrap();
        assert_eq!(s[0].id, "site-1");
        assert_eq!(s[0].group, Some(ActorGroup::MissionLocale));
        assert_eq!(s[0].days, Some(vec![Weekday::Monday, Weekday::Wednesday]));
        assert_eq!(s[0].hours, Some((9 * 3600, 12 * 3600)));
        assert!((s[0].point_l93.x() - 563_000.0).abs() < 2000.0);
    }

    #[test]
    fn bad_geojson_names_the_feature_and_field() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.1,49.4]}},{"type":"Feature","geometry":{"type":"LineString","coordinates":[]}}]}"#;
        let e = parse_sites_geojson(text).unwrap_err();
        assert_eq!(
            (e.location, e.field.as_deref()),
            (Location::Feature(1), Some("geometry"))
        );
    }

    #[test]
    fn csv_sites_accept_semicolons_and_name_the_bad_line() {
        let s = parse_sites_csv("nom;lon;lat\nA;1,1130;49,4608\n").unwrap();
        assert_eq!(s[0].name.as_deref(), Some("A"));
        let e = parse_sites_csv("lon,lat\n1.1,49.4\n1.1,abc\n").unwrap_err();
        assert_eq!(
            (e.location, e.field.as_deref()),
            (Location::Line(3), Some("lat"))
        );
        assert_eq!(
            parse_sites_csv("x1,y1\n").unwrap_err().field.as_deref(),
            Some("lon")
        );
    }
}
