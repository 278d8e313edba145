//! The source layers of a [`Dataset`]: `communes`, `qpv`, `actors`, `stops`, `iris`, and the
//! label points `commune_labels`, `qpv_labels` ([`super::labels`]).
//!
//! Property names are stable (they are the style's vocabulary): codes and names as published,
//! units in the names (`area_km2`, `population`).

use std::collections::BTreeMap;

use crate::codes::CommuneCode;
use crate::dataset::Dataset;

use super::MAX_ZOOM;
use super::schema::FieldValue;
use super::source::{SourceFeature, SourceGeometry, SourceLayer, ZoomRange};

/// Extra properties per commune (the diagnostic's key indicators, priority score and rank),
/// appended after the commune's own.
pub type CommuneExtras = BTreeMap<CommuneCode, Vec<(String, FieldValue)>>;

/// Every layer of the dataset, in a fixed order; `iris` only when some IRIS have contours and
/// `stops` only when a transport feed is loaded.
pub fn dataset_layers(dataset: &Dataset, commune_extras: &CommuneExtras) -> Vec<SourceLayer> {
    let mut layers = vec![
        communes(dataset, commune_extras),
        qpv(dataset),
        actors(dataset),
    ];
    if let Some(stops) = stops(dataset) {
        layers.push(stops);
    }
    if let Some(iris) = iris(dataset) {
        layers.push(iris);
    }
    layers.push(super::labels::commune_labels(dataset));
    layers.push(super::labels::qpv_labels(dataset));
    layers
}

fn prop(name: &str, value: impl Into<FieldValue>) -> (String, FieldValue) {
    (name.to_owned(), value.into())
}

/// Member communes with their population and area, plus `extras`.
pub fn communes(dataset: &Dataset, extras: &CommuneExtras) -> SourceLayer {
    let features = dataset
        .communes
        .iter()
        .map(|c| {
            let mut properties = vec![prop("code", c.code.as_str()), prop("name", c.name.as_str())];
            if let Some(p) = c.population {
                properties.push(prop("population", p));
            }
            properties.push(prop("area_km2", (c.area_m2 / 1e4).round() / 100.0));
            if let Some(d) = &c.density_class {
                properties.push(prop("density_class", d.as_str()));
            }
            if let Some(extra) = extras.get(&c.code) {
                properties.extend(extra.iter().cloned());
            }
            SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(c.boundary_wgs84.clone()),
                properties,
            }
        })
        .collect();
    SourceLayer {
        name: "communes".into(),
        description: "Communes membres du territoire (code INSEE, nom, population, diagnostic)"
            .into(),
        zooms: ZoomRange::new(5, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    }
}

/// QPV of every loaded vintage (`vintage` tells them apart), with the communes the source lists.
pub fn qpv(dataset: &Dataset) -> SourceLayer {
    let features = dataset
        .qpv
        .iter()
        .map(|q| {
            let mut properties = vec![
                prop("code", q.code.as_str()),
                prop("name", q.name.as_str()),
                prop("vintage", u32::from(q.vintage)),
            ];
            if let Some(list) = &q.listed_communes {
                let codes: Vec<&str> = list.iter().map(CommuneCode::as_str).collect();
                properties.push(prop("communes", codes.join(",")));
            }
            properties.push(prop("area_ha", (q.area_m2 / 100.0).round() / 100.0));
            SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(q.boundary_wgs84.clone()),
                properties,
            }
        })
        .collect();
    SourceLayer {
        name: "qpv".into(),
        description:
            "Quartiers prioritaires de la politique de la ville (code, nom, millésime, communes)"
                .into(),
        zooms: ZoomRange::new(8, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    }
}

/// Actors as points: typology (`kind`), diagnostic group, name, source.
pub fn actors(dataset: &Dataset) -> SourceLayer {
    let features = dataset
        .actors
        .iter()
        .map(|a| {
            let mut properties = vec![
                prop("id", a.id.as_str()),
                prop("kind", a.kind.code()),
                prop("kind_label", a.kind.label()),
                prop("group", a.kind.group().code()),
                prop("name", a.name.as_str()),
                prop("source", a.source.as_str()),
            ];
            if let Some(c) = &a.commune {
                properties.push(prop("commune", c.as_str()));
            }
            SourceFeature {
                geometry_wgs84: SourceGeometry::Point(a.point_wgs84),
                properties,
            }
        })
        .collect();
    SourceLayer {
        name: "actors".into(),
        description:
            "Acteurs de l'insertion et de l'emploi (typologie data·inclusion, groupe, source)"
                .into(),
        zooms: ZoomRange::new(9, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    }
}

/// Public transport stops and stations (GTFS `location_type` 0 and 1).
pub fn stops(dataset: &Dataset) -> Option<SourceLayer> {
    let transport = dataset.transport.as_ref()?;
    let features = transport
        .stops
        .iter()
        .filter(|s| s.location_type <= 1)
        .map(|s| SourceFeature {
            geometry_wgs84: SourceGeometry::Point(s.point_wgs84),
            properties: vec![
                prop("id", s.id.as_str()),
                prop("name", s.name.as_str()),
                prop("location_type", u32::from(s.location_type)),
            ],
        })
        .collect();
    Some(SourceLayer {
        name: "stops".into(),
        description: "Arrêts et stations de transport en commun (GTFS)".into(),
        zooms: ZoomRange::new(11, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    })
}

/// IRIS that have contours, with their census population.
pub fn iris(dataset: &Dataset) -> Option<SourceLayer> {
    let features: Vec<SourceFeature> = dataset
        .youth
        .iris
        .iter()
        .filter_map(|i| {
            let boundary = i.boundary_wgs84.as_ref()?;
            Some(SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(boundary.clone()),
                properties: vec![
                    prop("code", i.code.as_str()),
                    prop("name", i.name.as_str()),
                    prop("commune", i.commune.as_str()),
                    prop("population", i.population.total.round()),
                    prop("age_15_29", i.population.age_15_29.round()),
                ],
            })
        })
        .collect();
    (!features.is_empty()).then(|| SourceLayer {
        name: "iris".into(),
        description: "IRIS (population par âge, recensement)".into(),
        zooms: ZoomRange::new(10, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    })
}
