//! Planned sites from GeoJSON points or CSV text (pure parsing, no I/O).
//!
//! GeoJSON: a FeatureCollection of Points (WGS84 lon/lat), optional properties `id`, `name`
//! (or `nom`), `group` (an [`ActorGroup`] code such as `ML`, or a data·inclusion typology such as
//! `PIJ_BIJ`), `days` (`"lun,mar,jeu"` or an array) and `hours` (`"09:00-17:00"`).
//! CSV: a header with `lon`/`lat` (or `longitude`/`latitude`) and the same optional columns,
//! comma or semicolon separated.

use geo::{Coord, Point};

use crate::crs::Lambert93;
use crate::model::actor::{ActorGroup, ActorKind};
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

/// A site that could not be read: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}, field `{field}`: {message}")]
pub struct SiteError {
    /// `feature 3`, `line 4` or `body`.
    pub location: String,
    /// The field or column.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn err(location: &str, field: &str, message: impl Into<String>) -> SiteError {
    SiteError {
        location: location.to_owned(),
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Parses `HH:MM-HH:MM`.
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::coverage::site::parse_hours("09:00-17:30"), Ok((32400, 63000)));
/// assert!(repere_engine::coverage::site::parse_hours("17:00-09:00").is_err());
/// ```
///
/// # Errors
/// A message naming the text.
pub fn parse_hours(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("not opening hours HH:MM-HH:MM: {text:?}");
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

fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let mut d: Vec<Weekday> = text
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(Weekday::parse)
        .collect::<Result<_, _>>()?;
    d.sort();
    d.dedup();
    Ok(d)
}

fn parse_group(text: &str) -> Result<ActorGroup, String> {
    ActorGroup::parse(text).or_else(|e| ActorKind::parse(text).map(|k| k.group()).map_err(|_| e))
}

struct Fields<'a> {
    id: Option<String>,
    name: Option<String>,
    group: Option<&'a str>,
    days: Option<String>,
    hours: Option<&'a str>,
}

fn make_site(
    loc: &str,
    n: usize,
    lon: f64,
    lat: f64,
    f: Fields<'_>,
    l93: &Lambert93,
) -> Result<Site, SiteError> {
    if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
        return Err(err(
            loc,
            "lon",
            format!(
                "longitude hors limites : {} (attendu entre -180 et 180)",
                crate::number::Shown(lon)
            ),
        ));
    }
    if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
        return Err(err(
            loc,
            "lat",
            format!(
                "latitude hors limites : {} (attendu entre -90 et 90)",
                crate::number::Shown(lat)
            ),
        ));
    }
    let p = l93
        .from_wgs84(Coord { x: lon, y: lat })
        .map_err(|e| err(loc, "lon", format!("cannot project to Lambert-93: {e}")))?;
    Ok(Site {
        id: f
            .id
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("site-{n}")),
        name: f.name.filter(|s| !s.is_empty()),
        group: f
            .group
            .filter(|s| !s.trim().is_empty())
            .map(parse_group)
            .transpose()
            .map_err(|m| err(loc, "group", m))?,
        days: f
            .days
            .filter(|s| !s.trim().is_empty())
            .map(|d| parse_days(&d))
            .transpose()
            .map_err(|m| err(loc, "days", m))?,
        hours: f
            .hours
            .filter(|s| !s.trim().is_empty())
            .map(parse_hours)
            .transpose()
            .map_err(|m| err(loc, "hours", m))?,
        lon,
        lat,
        point_wgs84: Point::new(lon, lat),
        point_l93: Point(p),
    })
}

/// Parses a GeoJSON FeatureCollection (or a single Feature) of points.
///
/// # Errors
/// A [`SiteError`] naming the feature (from 1) and the field.
pub fn parse_sites_geojson(text: &str) -> Result<Vec<Site>, SiteError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err("body", "geojson", format!("not JSON: {e}")))?;
    let features: Vec<&serde_json::Value> = match v.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => v
            .get("features")
            .and_then(|f| f.as_array())
            .ok_or_else(|| {
                err(
                    "body",
                    "features",
                    "a FeatureCollection needs a features array",
                )
            })?
            .iter()
            .collect(),
        Some("Feature") => vec![&v],
        other => {
            return Err(err(
                "body",
                "type",
                format!("expected a GeoJSON FeatureCollection of points, found type {other:?}"),
            ));
        }
    };
    let l93 = Lambert93::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let loc = format!("feature {}", i + 1);
        let g = f
            .get("geometry")
            .ok_or_else(|| err(&loc, "geometry", "missing geometry"))?;
        if g.get("type").and_then(|t| t.as_str()) != Some("Point") {
            return Err(err(&loc, "geometry", "a site must be a Point"));
        }
        let c = g
            .get("coordinates")
            .and_then(|c| c.as_array())
            .ok_or_else(|| err(&loc, "geometry", "missing coordinates"))?;
        let num = |k: usize, name: &str| {
            c.get(k)
                .and_then(|x| x.as_f64())
                .ok_or_else(|| err(&loc, name, "missing or non-numeric coordinate"))
        };
        let (lon, lat) = (num(0, "lon")?, num(1, "lat")?);
        let props = f.get("properties").filter(|p| p.is_object());
        let s = |k: &str| {
            props.and_then(|p| p.get(k)).and_then(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .or_else(|| x.as_number().map(|n| n.to_string()))
            })
        };
        let str_ref = |k: &str| props.and_then(|p| p.get(k)).and_then(|x| x.as_str());
        let days = props.and_then(|p| p.get("days")).and_then(|d| match d {
            serde_json::Value::Array(a) => Some(
                a.iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            serde_json::Value::String(s) => Some(s.clone()),
            _ => None,
        });
        let fields = Fields {
            id: s("id"),
            name: s("name").or_else(|| s("nom")),
            group: str_ref("group").or_else(|| str_ref("kind")),
            days,
            hours: str_ref("hours"),
        };
        out.push(make_site(&loc, i + 1, lon, lat, fields, &l93)?);
    }
    if out.is_empty() {
        return Err(err("body", "features", "no site given"));
    }
    Ok(out)
}

/// Parses CSV text with `lon` and `lat` columns.
///
/// # Errors
/// A [`SiteError`] naming the line (the header is line 1) and the column.
pub fn parse_sites_csv(text: &str) -> Result<Vec<Site>, SiteError> {
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap_or_default();
    let delim = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err("line 1", "header", e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let lon_c = col(&["lon", "longitude", "lng", "x"])
        .ok_or_else(|| err("line 1", "lon", "no lon (or longitude) column"))?;
    let lat_c = col(&["lat", "latitude", "y"])
        .ok_or_else(|| err("line 1", "lat", "no lat (or latitude) column"))?;
    let (id_c, name_c, group_c, days_c, hours_c) = (
        col(&["id"]),
        col(&["name", "nom"]),
        col(&["group", "kind", "type"]),
        col(&["days", "jours"]),
        col(&["hours", "horaires"]),
    );
    let l93 = Lambert93::new();
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let loc = format!("line {}", i + 2);
        let rec = rec.map_err(|e| err(&loc, "row", e.to_string()))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim);
        let num = |c: usize, name: &str| -> Result<f64, SiteError> {
            let t = get(Some(c)).unwrap_or_default();
            t.replace(',', ".")
                .parse::<f64>()
                .map_err(|_| err(&loc, name, format!("not a number: {t:?}")))
        };
        let (lon, lat) = (num(lon_c, "lon")?, num(lat_c, "lat")?);
        let fields = Fields {
            id: get(id_c).map(str::to_owned),
            name: get(name_c).map(str::to_owned),
            group: get(group_c),
            days: get(days_c).map(str::to_owned),
            hours: get(hours_c),
        };
        out.push(make_site(&loc, out.len() + 1, lon, lat, fields, &l93)?);
    }
    if out.is_empty() {
        return Err(err("body", "csv", "no site given"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (e.location.as_str(), e.field.as_str()),
            ("feature 2", "geometry")
        );
    }

    #[test]
    fn csv_sites_accept_semicolons_and_name_the_bad_line() {
        let s = parse_sites_csv("nom;lon;lat\nA;1,1130;49,4608\n").unwrap();
        assert_eq!(s[0].name.as_deref(), Some("A"));
        let e = parse_sites_csv("lon,lat\n1.1,49.4\n1.1,abc\n").unwrap_err();
        assert_eq!((e.location.as_str(), e.field.as_str()), ("line 3", "lat"));
        assert_eq!(parse_sites_csv("x1,y1\n").unwrap_err().field, "lon");
    }
}
