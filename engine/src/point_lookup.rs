//! Point lookup: which commune and QPV a WGS84 lon/lat point falls in, or the nearest QPV and its
//! distance (straight-line Lambert-93 metres).

use crate::codes::{CommuneCode, QpvCode};
use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::number::Shown;
use crate::overlay::planar::point_polygon_distance_m;
use crate::point::{PointError, Wgs84Point};

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LookupError {
    /// Not a WGS84 point (not finite, or lon/lat out of range).
    #[error(transparent)]
    Point(#[from] PointError),
    /// The projection failed.
    #[error(
        "projection de ({}, {}) en Lambert-93 impossible : {message}",
        Shown(*.lon),
        Shown(*.lat)
    )]
    Projection {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
        /// The projection's message.
        message: String,
    },
}

impl LookupError {
    /// The field at fault: `lon` or `lat`.
    pub fn field(&self) -> &'static str {
        match self {
            LookupError::Point(e) => e.field(),
            LookupError::Projection { .. } => "lon",
        }
    }
}

/// A commune found by a lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommuneHit {
    /// INSEE code.
    pub code: CommuneCode,
    /// Name.
    pub name: String,
}

/// A QPV found by a lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvHit {
    /// Code.
    pub code: QpvCode,
    /// Name.
    pub name: String,
    /// Vintage.
    pub vintage: u16,
    /// Straight-line Lambert-93 distance from the point to the QPV, metres (0 inside).
    pub distance_m: f64,
}

/// The answer to a lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lookup {
    /// Longitude given, WGS84 degrees.
    pub lon: f64,
    /// Latitude given, WGS84 degrees.
    pub lat: f64,
    /// Lambert-93 x, metres.
    pub x_l93: f64,
    /// Lambert-93 y, metres.
    pub y_l93: f64,
    /// The member commune containing the point (`null` outside the territory).
    pub commune: Option<CommuneHit>,
    /// The QPV (latest vintage) containing the point.
    pub qpv: Option<QpvHit>,
    /// The nearest QPV of the latest vintage (the containing one, at 0 m, when inside).
    pub nearest_qpv: Option<QpvHit>,
}

/// Looks up a WGS84 point.
///
/// # Examples
/// ```no_run
/// # let ds = repere_engine::load::load(&repere_engine::Territory::default_rouen().unwrap()).unwrap().0;
/// let hit = repere_engine::point_lookup::lookup(&ds, 1.0993, 49.4431).unwrap();
/// assert_eq!(hit.commune.unwrap().code.as_str(), "76540");
/// ```
///
/// # Errors
/// [`LookupError`] when lon or lat is out of range or not finite, or the projection fails.
pub fn lookup(ds: &Dataset, lon: f64, lat: f64) -> Result<Lookup, LookupError> {
    let point = Wgs84Point::new(lon, lat)?;
    let p = Lambert93::new()
        .point_from_wgs84(point.point())
        .map_err(|e| LookupError::Projection {
            lon,
            lat,
            message: e.message,
        })?;
    let commune = ds.commune_at_l93(p).map(|i| CommuneHit {
        code: ds.communes[i].code.clone(),
        name: ds.communes[i].name.clone(),
    });
    let vintage = ds.latest_qpv_vintage();
    let hit = |i: usize, distance_m: f64| {
        let q = &ds.qpv[i];
        QpvHit {
            code: q.code.clone(),
            name: q.name.clone(),
            vintage: q.vintage,
            distance_m,
        }
    };
    let qpv = vintage
        .and_then(|v| ds.qpv_at_l93(p, v))
        .map(|i| hit(i, 0.0));
    let nearest_qpv = qpv.clone().or_else(|| {
        (0..ds.qpv.len())
            .filter(|&i| Some(ds.qpv[i].vintage) == vintage)
            .map(|i| (i, point_polygon_distance_m(p, &ds.qpv[i].boundary_l93)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(i, d)| hit(i, d))
    });
    Ok(Lookup {
        lon,
        lat,
        x_l93: p.x(),
        y_l93: p.y(),
        commune,
        qpv,
        nearest_qpv,
    })
}
