//! Loading a territory: parse → validate → repair or reject → project → index, into an
//! immutable [`Dataset`] and a [`LoadReport`]. Any error fails the whole load, with every error
//! found listed; nothing is half-loaded.

pub mod actors;
pub mod communes;
pub mod extent;
pub mod features;
pub mod followup;
pub mod formats;
pub mod gtfs;
pub mod qpv;
pub mod walking;
pub mod youth;

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use geo::{BoundingRect, Coord, Rect};

use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::load_report::{LoadReport, SourceCount};
use crate::manifest::Territory;
use crate::problem::{LoadError, Problems};

/// Loads a territory.
///
/// # Errors
/// [`LoadError::Invalid`] listing every problem found (file, feature or line, field), or
/// [`LoadError::Manifest`].
pub fn load(territory: &Territory) -> Result<(Dataset, LoadReport), LoadError> {
    let l93 = Lambert93::new();
    let mut problems = Problems::default();
    let m = &territory.manifest;

    let communes = communes::load(territory, &l93, &mut problems);
    if communes.members.is_empty() {
        if !problems.has_errors() {
            problems.error(crate::problem::Problem::file(
                territory.root.display(&m.communes.boundaries.file),
                "aucune commune membre n'a été chargée",
            ));
        }
        return Err(LoadError::Invalid(problems.into_parts().0));
    }
    let extent = extent_wgs84(&communes.members, m.territory.margin_m);
    let resolver = qpv::CommuneResolver::with_merges(
        &communes.members,
        &communes.known,
        communes.merged_into.clone(),
    );
    let loaded_qpv = qpv::load(territory, &communes.members, &resolver, &l93, &mut problems);
    let known: BTreeSet<_> = communes.known.keys().cloned().collect();
    let member_codes: BTreeSet<_> = communes.members.iter().map(|c| c.code.clone()).collect();
    let loaded_actors = actors::load(
        territory,
        &extent,
        &l93,
        &known,
        &member_codes,
        &mut problems,
    );
    let transport = m
        .transport
        .as_ref()
        .and_then(|t| gtfs::load(territory, &t.gtfs, &extent, &l93, &mut problems));
    let walk_network = m
        .walking
        .as_ref()
        .and_then(|w| walking::load(territory, w, &extent, &l93, &mut problems));
    let mut layers_crs: Vec<_> = communes.boundaries_crs.clone().into_iter().collect();
    layers_crs.extend(loaded_qpv.layers_crs.iter().cloned());
    let youth = youth::load(
        territory,
        &member_codes,
        &l93,
        &mut layers_crs,
        &mut problems,
    );

    let latest = loaded_qpv.qpv.iter().map(|q| q.vintage).max();
    let qpv_latest: BTreeSet<_> = loaded_qpv
        .qpv
        .iter()
        .filter(|q| Some(q.vintage) == latest)
        .map(|q| q.code.clone())
        .collect();
    let followup = followup::load(territory, &member_codes, &qpv_latest, &mut problems);

    let (errors, mut warnings) = problems.into_parts();
    if !errors.is_empty() {
        return Err(LoadError::Invalid(errors));
    }

    let mut ds = Dataset {
        name: m.territory.name.clone(),
        epci: m.territory.epci.clone(),
        departement: m.territory.departement.clone(),
        version: String::new(),
        population_vintage: m.communes.population_vintage,
        communes: communes.members,
        known_communes: communes.known,
        qpv: loaded_qpv.qpv,
        actors: loaded_actors.actors,
        actors_to_place: loaded_actors.to_place,
        extent_wgs84: Some(extent),
        transport,
        youth,
        followup,
        siting: m.siting.clone(),
        walk_network,
        index: Default::default(),
    };
    ds.build_index();
    // The commune of an actor is where its point lies; the source's code only fills in for
    // actors outside the member communes.
    let points: Vec<geo::Point> = ds.actors.iter().map(|a| a.point_l93).collect();
    let placed = crate::overlay::point_in_polygon::communes_at_l93(&ds, &points);
    for (i, c) in placed.into_iter().enumerate() {
        if let Some(c) = c {
            ds.actors[i].commune = Some(ds.communes[c].code.clone());
        }
    }
    ds.version = content_hash(&ds);
    warnings.extend(list_geometry_disagreements(territory, &ds));
    let sources = loaded_actors
        .skipped_outside
        .into_iter()
        .map(|(source, file, skipped, excluded)| SourceCount {
            kept: ds.actors.iter().filter(|a| a.source == source).count()
                + ds.actors_to_place
                    .iter()
                    .filter(|a| a.source == source)
                    .count(),
            excluded,
            label: m
                .actors
                .iter()
                .find(|s| s.source == source)
                .and_then(|s| s.label.clone()),
            excluded_reason: m
                .actors
                .iter()
                .find(|s| s.source == source)
                .and_then(|s| s.keep_only.as_ref())
                .map(|k| {
                    k.reason.clone().unwrap_or_else(|| {
                        format!("{} n'est pas {}", k.field, k.values.join(" ni "))
                    })
                }),
            source,
            file,
            skipped_outside: skipped,
        })
        .collect();
    let mut report = LoadReport::new(
        &ds,
        &territory.manifest_name,
        warnings,
        loaded_qpv.skipped_outside,
        sources,
    );
    report.layers_crs = layers_crs;
    Ok((ds, report))
}

/// Where a QPV source lists its communes and the geometry disagrees (a listed commune the
/// polygon does not reach, or a commune the polygon covers beyond the sliver rule but the list
/// omits), the load report says so; the list stays authoritative for membership.
fn list_geometry_disagreements(
    territory: &Territory,
    ds: &Dataset,
) -> Vec<crate::problem::Problem> {
    use crate::overlay::commune_qpv::{CommuneQpvOverlay, SliverRule};
    let overlay = CommuneQpvOverlay::compute(ds, SliverRule::default());
    overlay
        .warnings
        .into_iter()
        .map(|w| {
            let source = territory
                .manifest
                .qpv
                .iter()
                .find(|s| s.vintage == w.qpv_code.vintage());
            crate::problem::Problem::at(
                source
                    .map(|s| territory.root.display(&s.file))
                    .unwrap_or_default(),
                crate::problem::Location::Record(w.qpv_code.to_string()),
                source.and_then(|s| s.communes.as_deref()),
                w.message,
            )
        })
        .collect()
}

/// The communes' WGS84 bounding box grown by `margin_m` metres.
fn extent_wgs84(members: &[crate::model::commune::Commune], margin_m: f64) -> Rect {
    let mut rect: Option<Rect> = None;
    for c in members {
        if let Some(r) = c.boundary_wgs84.bounding_rect() {
            rect = Some(match rect {
                None => r,
                Some(acc) => Rect::new(
                    Coord {
                        x: acc.min().x.min(r.min().x),
                        y: acc.min().y.min(r.min().y),
                    },
                    Coord {
                        x: acc.max().x.max(r.max().x),
                        y: acc.max().y.max(r.max().y),
                    },
                ),
            });
        }
    }
    let r = rect.unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }));
    // Degrees per metre: 1/111 320 in latitude, divided by cos(latitude) in longitude.
    let dlat = margin_m / 111_320.0;
    let dlon = dlat / r.center().y.to_radians().cos().max(0.01);
    Rect::new(
        Coord {
            x: r.min().x - dlon,
            y: r.min().y - dlat,
        },
        Coord {
            x: r.max().x + dlon,
            y: r.max().y + dlat,
        },
    )
}

pub(crate) fn content_hash(ds: &Dataset) -> String {
    use geo::CoordsIter;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in &ds.communes {
        c.code.hash(&mut h);
        c.population.hash(&mut h);
        c.boundary_wgs84
            .coords_iter()
            .for_each(|p| (p.x.to_bits(), p.y.to_bits()).hash(&mut h));
    }
    for q in &ds.qpv {
        q.code.hash(&mut h);
        q.name.hash(&mut h);
        q.boundary_wgs84
            .coords_iter()
            .for_each(|p| (p.x.to_bits(), p.y.to_bits()).hash(&mut h));
    }
    for a in &ds.actors {
        (
            &a.id,
            &a.name,
            a.kind.code(),
            a.point_wgs84.x().to_bits(),
            a.point_wgs84.y().to_bits(),
        )
            .hash(&mut h);
    }
    for a in &ds.actors_to_place {
        (&a.id, &a.name, a.kind.code(), &a.address, &a.commune).hash(&mut h);
    }
    if let Some(t) = &ds.transport {
        (t.stops.len(), t.trips.len(), t.stop_times.len()).hash(&mut h);
    }
    for (code, y) in &ds.youth.by_commune {
        (code, y.age_15_29.to_bits()).hash(&mut h);
    }
    // Follow-up counts change the estimates (and the tiles' attributes).
    let f = &ds.followup;
    for (code, by) in &f.by_commune {
        code.hash(&mut h);
        by.iter().for_each(|(s, c)| (s, c.count).hash(&mut h));
    }
    for (code, by) in &f.by_qpv {
        code.hash(&mut h);
        by.iter().for_each(|(s, c)| (s, c.count).hash(&mut h));
    }
    for file in &f.files {
        (&file.source, &file.date, &file.age_band, &file.label).hash(&mut h);
    }
    if let Some(n) = &f.national {
        (n.share_pct.to_bits(), &n.source).hash(&mut h);
    }
    format!("{:016x}", h.finish())[..12].to_owned()
}
