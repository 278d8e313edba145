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

use crate::data_root::DataRoot;
use crate::load_report::LayerCrs;
use crate::manifest::{FieldMap, LayerFormat, QpvSource};
use crate::problem::{Location, Problem};
use crate::reproject::{Backend, CrsDef, ToWgs84};

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
/// that cannot be reprojected; the first malformed feature otherwise.
pub fn read_layer(root: &DataRoot, spec: LayerSpec<'_>) -> Result<Layer, Problem> {
    read_layer_with(root, spec, Backend::preferred())
}

/// Reads a layer into memory, reprojecting with the given backend.
///
/// # Errors
/// As [`read_layer`].
pub fn read_layer_with(
    root: &DataRoot,
    spec: LayerSpec<'_>,
    backend: Backend,
) -> Result<Layer, Problem> {
    let mut features = Vec::new();
    let mut first_error = None;
    let crs = for_each_feature_with(root, spec, backend, |_, f| match f {
        Ok(f) => features.push(f),
        Err(p) => {
            first_error.get_or_insert(p);
        }
    })?;
    match first_error {
        Some(p) => Err(p),
        None => Ok(Layer { features, crs }),
    }
}

/// Streams a layer's features, in WGS84 and file order, to `each(index, feature or its
/// problem)`, with the preferred backend. A GeoJSON file is parsed feature by feature (memory
/// holds its bytes and one parsed feature); other formats are read whole, then handed over.
///
/// # Errors
/// As [`read_layer`] for the file as a whole; a malformed or unprojectable feature goes to
/// `each` and reading goes on.
pub fn for_each_feature(
    root: &DataRoot,
    spec: LayerSpec<'_>,
    each: impl FnMut(usize, Result<Feature, Problem>),
) -> Result<LayerCrs, Problem> {
    for_each_feature_with(root, spec, Backend::preferred(), each)
}

/// The CRS a layer is read in, how it was found, and the transformation to WGS84.
struct Resolved {
    crs: CrsDef,
    found: String,
    to_wgs84: ToWgs84,
}

fn resolve_crs(
    file: &str,
    declared: Option<&CrsDef>,
    in_file: Option<(CrsDef, &'static str)>,
    backend: Backend,
) -> Result<Resolved, Problem> {
    let (crs, found) = match (declared.cloned(), in_file) {
        (Some(d), Some((f, origin))) if d != f => {
            let label = d.label();
            (
                d,
                format!(
                    "{label} (déclaré dans le manifeste ; {origin} indique {})",
                    f.label()
                ),
            )
        }
        (Some(d), _) => {
            let label = d.label();
            (d, format!("{label} (déclaré dans le manifeste)"))
        }
        (None, Some((f, origin))) => {
            let label = f.label();
            (f, format!("{label} (d'après {origin})"))
        }
        (None, None) => (
            CrsDef::Wgs84,
            format!("{} (aucun déclaré : WGS84 supposé)", CrsDef::Wgs84.label()),
        ),
    };
    let to_wgs84 = ToWgs84::new(&crs, backend).map_err(|m| Problem::file(file, m))?;
    Ok(Resolved {
        crs,
        found,
        to_wgs84,
    })
}

impl Resolved {
    fn apply(&self, file: &str, i: usize, f: &mut Feature) -> Result<(), Problem> {
        if self.to_wgs84.is_identity() {
            return Ok(());
        }
        if let Some(g) = f.geometry.as_mut() {
            g.bbox = None;
            reproject_value(&mut g.value, &self.to_wgs84).map_err(|m| {
                Problem::at(
                    file,
                    Location::Feature(i),
                    Some("geometry"),
                    format!(
                        "reprojection de {} en WGS84 impossible : {m}",
                        self.crs.label()
                    ),
                )
            })?;
        }
        Ok(())
    }

    fn into_layer_crs(
        self,
        file: String,
        format: LayerFormat,
        encoding: Option<String>,
    ) -> LayerCrs {
        LayerCrs {
            file,
            format: format.name(),
            crs_found: self.found,
            transformation: self.to_wgs84.description().to_owned(),
            encoding,
        }
    }
}

/// Streams a layer, reprojecting with the given backend.
///
/// # Errors
/// As [`for_each_feature`].
pub fn for_each_feature_with(
    root: &DataRoot,
    spec: LayerSpec<'_>,
    backend: Backend,
    mut each: impl FnMut(usize, Result<Feature, Problem>),
) -> Result<LayerCrs, Problem> {
    let file = root.display(spec.file);
    let declared = spec
        .crs
        .map(|c| {
            CrsDef::parse(c).map_err(|m| {
                Problem::at(
                    &file,
                    Location::File,
                    Some("crs"),
                    format!("dans le manifeste : {m}"),
                )
            })
        })
        .transpose()?;
    let parse_member = |name: &str| {
        CrsDef::parse(name)
            .map(|c| (c, "le membre `crs` du GeoJSON"))
            .map_err(|m| Problem::at(&file, Location::File, Some("crs"), m))
    };
    let raw = match spec.format {
        LayerFormat::Geojson => {
            let bytes = root.read(spec.file)?;
            // The CRS is settled at the first feature, from the manifest or the `crs` member
            // read so far (the reader rejects a `crs` member written after the features).
            let mut resolved: Option<Result<Resolved, Problem>> = None;
            let crs_member =
                crate::load::features::stream_features(&file, &bytes, |i, f, member| {
                    let r = resolved.get_or_insert_with(|| {
                        let in_file = member.map(parse_member).transpose()?;
                        resolve_crs(&file, declared.as_ref(), in_file, backend)
                    });
                    let Ok(r) = r else { return };
                    each(i, f.and_then(|mut f| r.apply(&file, i, &mut f).map(|()| f)));
                })?;
            let resolved = match resolved {
                Some(r) => r?,
                None => {
                    let in_file = crs_member.as_deref().map(parse_member).transpose()?;
                    resolve_crs(&file, declared.as_ref(), in_file, backend)?
                }
            };
            return Ok(resolved.into_layer_crs(file, spec.format, None));
        }
        LayerFormat::Shapefile => {
            let raw = shapefile::read(root, spec.file)?;
            let in_file = match (&raw.prj, &declared) {
                (Some(prj), _) => Some((
                    CrsDef::parse(prj).map_err(|m| Problem::file(format!("{file} (.prj)"), m))?,
                    "le fichier .prj",
                )),
                (None, Some(_)) => None,
                (None, None) => {
                    return Err(Problem::file(
                        &file,
                        "le fichier .prj du shapefile est absent, son système de coordonnées est donc inconnu : copiez le .prj à côté du .shp, \
                         ou déclarez le système de cette source dans le manifeste (par ex. `crs = \"EPSG:2154\"` pour le Lambert-93)",
                    ));
                }
            };
            RawLayer {
                features: raw.features,
                declared: in_file,
                encoding: Some(raw.encoding),
            }
        }
        LayerFormat::Gpkg | LayerFormat::Flatgeobuf | LayerFormat::Kml | LayerFormat::Csv => {
            read_with_gdal(root, spec)?
        }
    };
    let resolved = resolve_crs(&file, declared.as_ref(), raw.declared, backend)?;
    for (i, mut f) in raw.features.into_iter().enumerate() {
        each(i, resolved.apply(&file, i, &mut f).map(|()| f));
    }
    Ok(resolved.into_layer_crs(file, spec.format, raw.encoding))
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
fn reproject_value(
    value: &mut GeometryValue,
    t: &ToWgs84,
) -> Result<(), crate::problem::ProjectionError> {
    fn one(p: &mut geojson::Position, t: &ToWgs84) -> Result<(), crate::problem::ProjectionError> {
        if p.len() < 2 {
            return Err(crate::problem::ProjectionError::new(format!(
                "position à {} valeur(s), longitude et latitude attendues",
                p.len()
            )));
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
