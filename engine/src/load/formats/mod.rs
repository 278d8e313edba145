//! Reading a geometry layer of any supported format and CRS into WGS84 GeoJSON features, the
//! form every loader consumes.
//!
//! The CRS is, in order: the manifest's `crs`; the file's own declaration (`.prj`, GeoPackage
//! or FlatGeobuf CRS, GeoJSON legacy `crs` member); else WGS84 (RFC 7946). The load report
//! records which one was used and the transformation applied ([`LayerCrs`]).
//!
//! - [`shapefile`]: ESRI shapefiles in pure Rust (`.shp`, `.shx`, `.dbf` code page, `.prj`).
//! - `ogr` (feature `gdal`): GeoPackage, FlatGeobuf, KML, CSV and GeoJSON through GDAL/OGR.

pub mod shapefile;

#[cfg(feature = "gdal")]
pub mod ogr;

use geojson::{Feature, GeometryValue};

use crate::error::{Location, Problem};
use crate::manifest::{FieldMap, LayerFormat, QpvSource};
use crate::report::LayerCrs;
use crate::reproject::{Backend, CrsDef, ToWgs84};
use crate::source::DataRoot;

/// What the manifest says about a geometry layer.
#[derive(Debug, Clone, Copy)]
pub struct LayerSpec<'a> {
    /// Path relative to the manifest.
    pub file: &'a str,
    /// Format.
    pub format: LayerFormat,
    /// Declared CRS, if any.
    pub crs: Option<&'a str>,
    /// Layer name in a multi-layer file.
    pub layer: Option<&'a str>,
}

impl<'a> From<&'a QpvSource> for LayerSpec<'a> {
    fn from(s: &'a QpvSource) -> Self {
        LayerSpec {
            file: &s.file,
            format: s.format,
            crs: s.crs.as_deref(),
            layer: s.layer.as_deref(),
        }
    }
}

impl<'a> From<&'a FieldMap> for LayerSpec<'a> {
    fn from(m: &'a FieldMap) -> Self {
        LayerSpec {
            file: &m.file,
            format: m.format,
            crs: m.crs.as_deref(),
            layer: m.layer.as_deref(),
        }
    }
}

/// A layer in WGS84, with how it got there.
#[derive(Debug)]
pub struct Layer {
    /// Features, geometries in WGS84 lon/lat degrees, in file order.
    pub features: Vec<Feature>,
    /// CRS found and transformation applied.
    pub crs: LayerCrs,
}

/// Features in the file's CRS, with the CRS the file declares and how attributes were decoded.
pub(crate) struct RawLayer {
    pub(crate) features: Vec<Feature>,
    pub(crate) declared: Option<(CrsDef, &'static str)>,
    pub(crate) encoding: Option<String>,
}

/// Reads a layer with the preferred reprojection backend (PROJ with the `proj` feature).
///
/// # Errors
/// A [`Problem`] naming the file: unreadable or malformed file, missing `.shx`/`.dbf`/`.prj`,
/// unknown CRS, unknown GeoPackage layer, a format that needs the `gdal` feature, or a vertex
/// that cannot be reprojected.
pub fn read_layer(root: &DataRoot, spec: LayerSpec<'_>) -> Result<Layer, Problem> {
    read_layer_with(root, spec, Backend::preferred())
}

/// Reads a layer, reprojecting with the given backend.
///
/// # Errors
/// As [`read_layer`].
pub fn read_layer_with(
    root: &DataRoot,
    spec: LayerSpec<'_>,
    backend: Backend,
) -> Result<Layer, Problem> {
    let file = root.display(spec.file);
    let declared = spec
        .crs
        .map(|c| {
            CrsDef::parse(c).map_err(|m| {
                Problem::at(
                    &file,
                    Location::File,
                    Some("crs"),
                    format!("in the manifest: {m}"),
                )
            })
        })
        .transpose()?;
    let raw = match spec.format {
        LayerFormat::Geojson => {
            let bytes = root.read(spec.file)?;
            let (features, crs_member) =
                crate::load::features::read_features_with_crs(&file, &bytes)?;
            let declared = crs_member
                .map(|name| {
                    CrsDef::parse(&name)
                        .map_err(|m| Problem::at(&file, Location::File, Some("crs"), m))
                })
                .transpose()?
                .map(|c| (c, "the GeoJSON `crs` member"));
            RawLayer {
                features,
                declared,
                encoding: None,
            }
        }
        LayerFormat::Shapefile => {
            let raw = shapefile::read(root, spec.file)?;
            let declared = match (&raw.prj, &declared) {
                (Some(prj), _) => Some((
                    CrsDef::parse(prj).map_err(|m| Problem::file(format!("{file} (.prj)"), m))?,
                    "the .prj file",
                )),
                (None, Some(_)) => None,
                (None, None) => {
                    return Err(Problem::file(
                        &file,
                        "the shapefile's .prj file is missing, so its CRS is unknown: copy the .prj beside the .shp, \
                         or declare the CRS on this source in the manifest (e.g. `crs = \"EPSG:2154\"` for Lambert-93)",
                    ));
                }
            };
            RawLayer {
                features: raw.features,
                declared,
                encoding: Some(raw.encoding),
            }
        }
        LayerFormat::Gpkg | LayerFormat::Flatgeobuf | LayerFormat::Kml | LayerFormat::Csv => {
            read_with_gdal(root, spec)?
        }
    };
    let (crs, found) = match (declared, raw.declared) {
        (Some(d), Some((f, origin))) if d != f => {
            let label = d.label();
            (
                d,
                format!(
                    "{label} (declared in the manifest; {origin} says {})",
                    f.label()
                ),
            )
        }
        (Some(d), _) => {
            let label = d.label();
            (d, format!("{label} (declared in the manifest)"))
        }
        (None, Some((f, origin))) => {
            let label = f.label();
            (f, format!("{label} (from {origin})"))
        }
        (None, None) => (
            CrsDef::Wgs84,
            format!("{} (none declared: WGS84 assumed)", CrsDef::Wgs84.label()),
        ),
    };
    let to_wgs84 = ToWgs84::new(&crs, backend).map_err(|m| Problem::file(&file, m))?;
    let mut features = raw.features;
    if !to_wgs84.is_identity() {
        for (i, f) in features.iter_mut().enumerate() {
            if let Some(g) = f.geometry.as_mut() {
                g.bbox = None;
                reproject_value(&mut g.value, &to_wgs84).map_err(|m| {
                    Problem::at(
                        &file,
                        Location::Feature(i),
                        Some("geometry"),
                        format!("cannot reproject from {} to WGS84: {m}", crs.label()),
                    )
                })?;
            }
        }
    }
    Ok(Layer {
        features,
        crs: LayerCrs {
            file,
            format: spec.format.name(),
            crs_found: found,
            transformation: to_wgs84.description().to_owned(),
            encoding: raw.encoding,
        },
    })
}

#[cfg(feature = "gdal")]
fn read_with_gdal(root: &DataRoot, spec: LayerSpec<'_>) -> Result<RawLayer, Problem> {
    ogr::read(root, spec)
}

#[cfg(not(feature = "gdal"))]
fn read_with_gdal(root: &DataRoot, spec: LayerSpec<'_>) -> Result<RawLayer, Problem> {
    Err(Problem::file(
        root.display(spec.file),
        format!(
            "format `{}` is read through GDAL, which this build of Repère does not include: rebuild with \
             `cargo build --features gdal` (Debian package libgdal-dev), or convert the file to GeoJSON or a shapefile",
            spec.format.name()
        ),
    ))
}

/// Reprojects every position of a geometry in place.
fn reproject_value(value: &mut GeometryValue, t: &ToWgs84) -> Result<(), String> {
    fn one(p: &mut geojson::Position, t: &ToWgs84) -> Result<(), String> {
        if p.len() < 2 {
            return Err(format!("position with {} value(s)", p.len()));
        }
        let c = t.transform(geo::Coord { x: p[0], y: p[1] })?;
        p[0] = c.x;
        p[1] = c.y;
        Ok(())
    }
    match value {
        GeometryValue::Point { coordinates } => one(coordinates, t),
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            coordinates.iter_mut().try_for_each(|p| one(p, t))
        }
        GeometryValue::MultiLineString { coordinates } | GeometryValue::Polygon { coordinates } => {
            coordinates.iter_mut().flatten().try_for_each(|p| one(p, t))
        }
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter_mut()
            .flatten()
            .flatten()
            .try_for_each(|p| one(p, t)),
        GeometryValue::GeometryCollection { geometries } => geometries
            .iter_mut()
            .try_for_each(|g| reproject_value(&mut g.value, t)),
    }
}
