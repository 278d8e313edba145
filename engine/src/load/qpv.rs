//! QPV layers of one or more vintages.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, BoundingRect, Intersects};

use crate::codes::{CommuneCode, QpvCode};
use crate::crs::Lambert93;
use crate::error::{Location, Problem, Problems};
use crate::geometry::{GeomSite, boundary_from_geojson};
use crate::load::features::{property_text, required_text};
use crate::load::formats::{LayerSpec, read_layer};
use crate::manifest::{QpvSource, Territory};
use crate::model::commune::Commune;
use crate::model::qpv::Qpv;
use crate::report::LayerCrs;
use crate::text::fold_name_without_article;

/// Resolves commune names or codes, as QPV sources list them, to codes.
pub struct CommuneResolver {
    by_code: BTreeSet<CommuneCode>,
    by_name: BTreeMap<String, CommuneCode>,
}

impl CommuneResolver {
    /// Builds the resolver from every known commune (members win on name clashes).
    pub fn new(members: &[Commune], known: &BTreeMap<CommuneCode, String>) -> Self {
        let mut by_name = BTreeMap::new();
        for (code, name) in known {
            by_name.insert(fold_name_without_article(name), code.clone());
        }
        for c in members {
            by_name.insert(fold_name_without_article(&c.name), c.code.clone());
        }
        Self {
            by_code: known.keys().cloned().collect(),
            by_name,
        }
    }

    /// A code for a name or code, if known.
    pub fn resolve(&self, token: &str) -> Option<CommuneCode> {
        if let Ok(code) = CommuneCode::parse(token) {
            return self.by_code.contains(&code).then_some(code);
        }
        self.by_name.get(&fold_name_without_article(token)).cloned()
    }
}

/// QPV kept, and how many were outside the territory.
#[derive(Debug, Default)]
pub struct LoadedQpv {
    /// QPV overlapping the territory or listing one of its communes.
    pub qpv: Vec<Qpv>,
    /// Count of QPV of the files that lie outside the territory, by file.
    pub skipped_outside: Vec<(String, usize)>,
    /// CRS found and transformation applied, per file.
    pub layers_crs: Vec<LayerCrs>,
}

/// Loads every `[[qpv]]` source.
pub fn load(
    t: &Territory,
    members: &[Commune],
    resolver: &CommuneResolver,
    l93: &Lambert93,
    problems: &mut Problems,
) -> LoadedQpv {
    let mut out = LoadedQpv::default();
    let member_codes: BTreeSet<&CommuneCode> = members.iter().map(|c| &c.code).collect();
    for source in &t.manifest.qpv {
        let skipped = load_source(
            t,
            source,
            members,
            &member_codes,
            resolver,
            l93,
            &mut out.qpv,
            &mut out.layers_crs,
            problems,
        );
        out.skipped_outside
            .push((t.root.display(&source.file), skipped));
    }
    out.qpv
        .sort_by(|a, b| (a.vintage, &a.code).cmp(&(b.vintage, &b.code)));
    out
}

#[allow(clippy::too_many_arguments)]
fn load_source(
    t: &Territory,
    source: &QpvSource,
    members: &[Commune],
    member_codes: &BTreeSet<&CommuneCode>,
    resolver: &CommuneResolver,
    l93: &Lambert93,
    qpv: &mut Vec<Qpv>,
    layers_crs: &mut Vec<LayerCrs>,
    problems: &mut Problems,
) -> usize {
    let file = t.root.display(&source.file);
    if source.vintage != 2015 && source.vintage != 2024 {
        problems.error(Problem::file(
            &file,
            format!("unsupported QPV vintage {} (2015 or 2024)", source.vintage),
        ));
        return 0;
    }
    let features = match read_layer(&t.root, LayerSpec::from(source)) {
        Ok(layer) => {
            layers_crs.push(layer.crs);
            layer.features
        }
        Err(p) => {
            problems.error(p);
            return 0;
        }
    };
    let mut seen = BTreeSet::new();
    let mut skipped = 0;
    for (i, feature) in features.iter().enumerate() {
        let location = Location::Feature(i);
        let code = match required_text(&file, i, feature, &source.code).and_then(|c| {
            QpvCode::parse(&c)
                .map_err(|m| Problem::at(&file, location.clone(), Some(&source.code), m))
        }) {
            Ok(c) => c,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            problems.error(Problem::at(
                &file,
                location,
                Some(&source.code),
                format!("duplicate QPV code {code}"),
            ));
            continue;
        }
        if code.vintage() != source.vintage {
            problems.warn(Problem::at(
                &file,
                location.clone(),
                Some(&source.code),
                format!(
                    "code {code} has the form of the {} vintage but the manifest says {}",
                    code.vintage(),
                    source.vintage
                ),
            ));
        }
        let name = match required_text(&file, i, feature, &source.name) {
            Ok(n) => n,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        // Kept until the QPV is known to concern the territory: a national file lists
        // thousands of communes the territory's sources do not know, and that is no news.
        let mut unknown_communes = Vec::new();
        let listed_communes = source.communes.as_ref().and_then(|f| {
            let text = property_text(feature, f)?;
            let mut codes = Vec::new();
            for token in text.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()) {
                match resolver.resolve(token) {
                    Some(c) => codes.push(c),
                    None => unknown_communes.push(Problem::at(&file, location.clone(), Some(f), format!(
                        "QPV {code} lists the commune {token:?}, which matches no known commune name or code"
                    ))),
                }
            }
            codes.sort();
            codes.dedup();
            Some(codes)
        });
        let site = GeomSite {
            file: &file,
            location: &location,
            field: "geometry",
        };
        let Some((boundary_wgs84, boundary_l93)) =
            boundary_from_geojson(&site, feature.geometry.as_ref(), l93, problems)
        else {
            continue;
        };
        let lists_member = listed_communes
            .as_ref()
            .is_some_and(|l| l.iter().any(|c| member_codes.contains(c)));
        let overlaps_member = boundary_l93.bounding_rect().is_some_and(|bb| {
            members.iter().any(|c| {
                c.boundary_l93
                    .bounding_rect()
                    .is_some_and(|cb| cb.intersects(&bb))
                    && c.boundary_l93.intersects(&boundary_l93)
            })
        });
        if !lists_member && !overlaps_member {
            skipped += 1;
            continue;
        }
        unknown_communes.into_iter().for_each(|p| problems.warn(p));
        qpv.push(Qpv {
            area_m2: boundary_l93.unsigned_area(),
            code,
            name,
            vintage: source.vintage,
            listed_communes,
            boundary_wgs84,
            boundary_l93,
        });
    }
    skipped
}
