//! Layers read through GDAL/OGR (feature `gdal`): GeoPackage, FlatGeobuf, KML, CSV, and any
//! format the manifest maps onto one of these drivers.
//!
//! Geometries come out of OGR as GeoJSON (OGR's own writer, coordinates in the file's CRS and
//! axis order easting/longitude first), attributes as JSON values; the layer's CRS is reported
//! as its EPSG code when OGR identifies one, else as WKT, and reprojection is then done like for
//! every other format (see [`crate::reproject`]).

use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geojson::{Feature, Geometry};
use serde_json::{Map, Value};

use super::{LayerSpec, RawLayer};
use crate::data_root::DataRoot;
use crate::manifest::LayerFormat;
use crate::problem::{Location, Problem};
use crate::reproject::CrsDef;

/// OGR drivers for a format, in order of preference (LIBKML reads `ExtendedData` attributes,
/// which the older KML driver drops; it is used when GDAL was built with it).
fn drivers(format: LayerFormat) -> &'static [&'static str] {
    match format {
        LayerFormat::Gpkg => &["GPKG"],
        LayerFormat::Flatgeobuf => &["FlatGeobuf"],
        LayerFormat::Kml => &["LIBKML", "KML"],
        LayerFormat::Csv => &["CSV"],
        LayerFormat::Shapefile => &["ESRI Shapefile"],
        LayerFormat::Geojson => &["GeoJSON"],
    }
}

/// CSV open options: geometry from a WKT column, or from lon/lat columns, by their usual names.
const CSV_OPTIONS: &[&str] = &[
    "GEOM_POSSIBLE_NAMES=WKT,wkt,geometry,geom,the_geom",
    "X_POSSIBLE_NAMES=lon,longitude,Longitude,LONGITUDE,x,X",
    "Y_POSSIBLE_NAMES=lat,latitude,Latitude,LATITUDE,y,Y",
    "KEEP_GEOM_COLUMNS=NO",
];

/// Opens the file (from disk, or from GDAL's in-memory file system for embedded data).
fn open(root: &DataRoot, spec: LayerSpec<'_>, file: &str) -> Result<Dataset, Problem> {
    let path = match root.path_on_disk(spec.file) {
        Some(p) => p,
        None => {
            let mem = std::path::PathBuf::from(format!("/vsimem/repere/{}", spec.file));
            let bytes = root.read(spec.file)?;
            gdal::vsi::create_mem_file(&mem, bytes).map_err(|e| {
                Problem::file(
                    file,
                    format!(
                        "GDAL ne peut pas garder le fichier en mémoire (message de GDAL : {e})"
                    ),
                )
            })?;
            mem
        }
    };
    let drivers = drivers(spec.format);
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR,
        allowed_drivers: Some(drivers),
        open_options: (spec.format == LayerFormat::Csv).then_some(CSV_OPTIONS),
        sibling_files: None,
    };
    Dataset::open_ex(&path, options).map_err(|e| {
        Problem::file(
            file,
            format!(
                "GDAL ne peut pas l'ouvrir comme {} (format `{}` du manifeste ; message de GDAL : {e})",
                drivers[0],
                spec.format.name()
            ),
        )
    })
}

/// Reads one layer with OGR.
///
/// # Errors
/// A [`Problem`] naming the file: unopenable file, a layer name not in the file (listing those
/// that are), several layers and none named, an unreadable geometry.
pub(crate) fn read(root: &DataRoot, spec: LayerSpec<'_>) -> Result<RawLayer, Problem> {
    let file = root.display(spec.file);
    let ds = open(root, spec, &file)?;
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let mut layer = match spec.layer {
        Some(name) => ds.layer_by_name(name).map_err(|_| {
            Problem::at(
                &file,
                Location::File,
                Some("layer"),
                format!("aucune couche « {name} » dans ce fichier ; ses couches sont : {} ; indiquez l'une d'elles dans `layer` du manifeste", names.join(", ")),
            )
        })?,
        None if names.len() == 1 => ds.layer(0).map_err(|e| Problem::file(&file, format!("GDAL ne peut pas lire sa couche (message de GDAL : {e})")))?,
        None => {
            return Err(Problem::at(
                &file,
                Location::File,
                Some("layer"),
                format!(
                    "le fichier contient {} couches ({}) : nommez celle à lire avec `layer = \"…\"` dans le manifeste",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
    };
    let declared = layer.spatial_ref().map(|srs| {
        let code = (srs.auth_name().as_deref() == Some("EPSG"))
            .then(|| srs.auth_code().ok())
            .flatten();
        let crs = match code.and_then(|c| u16::try_from(c).ok()) {
            Some(c) => CrsDef::from_epsg(c),
            None => srs
                .to_wkt()
                .ok()
                .and_then(|w| CrsDef::parse(&w).ok())
                .unwrap_or_else(|| CrsDef::Wkt(srs.to_wkt().unwrap_or_default())),
        };
        (crs, "le système de coordonnées de la couche (GDAL)")
    });
    let mut features = Vec::new();
    for (i, f) in layer.features().enumerate() {
        let geometry = match f.geometry() {
            None => None,
            Some(g) => {
                let json = g.json().map_err(|e| {
                    Problem::at(
                        &file,
                        Location::Feature(i),
                        Some("geometry"),
                        format!("GDAL ne peut pas exporter la géométrie (message de GDAL : {e})"),
                    )
                })?;
                let parsed: Geometry = serde_json::from_str(&json).map_err(|e| {
                    Problem::at(
                        &file,
                        Location::Feature(i),
                        Some("geometry"),
                        format!(
                            "type de géométrie {} non pris en charge (message de GDAL : {e}) ; convertissez-le en polygones ou en points",
                            g.geometry_name()
                        ),
                    )
                })?;
                Some(parsed)
            }
        };
        let mut properties = Map::new();
        for (name, value) in f.fields() {
            properties.insert(name, value.map_or(Value::Null, json_value));
        }
        features.push(Feature {
            geometry,
            properties: Some(properties),
            ..Feature::default()
        });
    }
    Ok(RawLayer {
        features,
        declared,
        encoding: None,
    })
}

fn json_value(v: FieldValue) -> Value {
    let number = |f: f64| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number);
    match v {
        FieldValue::IntegerValue(i) => Value::from(i),
        FieldValue::Integer64Value(i) => Value::from(i),
        FieldValue::RealValue(f) => number(f),
        FieldValue::StringValue(s) => Value::String(s),
        FieldValue::DateValue(d) => Value::String(d.to_string()),
        FieldValue::DateTimeValue(d) => Value::String(d.to_string()),
        FieldValue::IntegerListValue(l) => Value::from(l),
        FieldValue::Integer64ListValue(l) => Value::from(l),
        FieldValue::RealListValue(l) => Value::Array(l.into_iter().map(number).collect()),
        FieldValue::StringListValue(l) => Value::from(l),
    }
}
