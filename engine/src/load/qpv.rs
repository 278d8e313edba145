//! QPV layers of one or more vintages.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, BoundingRect, Intersects};
use rstar::{AABB, RTree};

use crate::codes::{CommuneCode, QpvCode};
use crate::crs::Lambert93;
use crate::dataset::{BoxEntry, box_tree};
use crate::geometry::{GeomSite, boundary_from_geojson};
use crate::load::extent::MisplacedPolygons;
use crate::load::features::{property_text, required_text};
use crate::load::formats::{LayerSpec, read_layer};
use crate::load_report::LayerCrs;
use crate::manifest::{QpvSource, Territory};
use crate::model::commune::Commune;
use crate::model::qpv::Qpv;
use crate::problem::{Location, Problem, Problems};
use crate::text::fold_name_without_article;

/// Resolves commune names or codes, as QPV sources list them, to codes.
///
/// Names are ambiguous across France (a dozen Saint-Ouen): a name resolves to the commune of the
/// QPV's own département when there is one, members first, then to a member, then to the lowest
/// code. Both a commune's current name and its name in the boundaries file are known.
pub struct CommuneResolver {
    by_code: BTreeSet<CommuneCode>,
    by_name: BTreeMap<String, Vec<CommuneCode>>,
    members: BTreeSet<CommuneCode>,
    merged_into: BTreeMap<CommuneCode, CommuneCode>,
}

impl CommuneResolver {
    /// Builds the resolver from every known commune and the members.
    pub fn new(members: &[Commune], known: &BTreeMap<CommuneCode, String>) -> Self {
        Self::with_merges(members, known, BTreeMap::new())
    }

    /// The same, where a former commune (name or code) resolves to the commune it was merged
    /// into (`merged_into`: former code → current code).
    pub fn with_merges(
        members: &[Commune],
        known: &BTreeMap<CommuneCode, String>,
        merged_into: BTreeMap<CommuneCode, CommuneCode>,
    ) -> Self {
        let mut by_name: BTreeMap<String, Vec<CommuneCode>> = BTreeMap::new();
        let names = known
            .iter()
            .chain(members.iter().map(|c| (&c.code, &c.name)));
        for (code, name) in names {
            let list = by_name.entry(fold_name_without_article(name)).or_default();
            if !list.contains(code) {
                list.push(code.clone());
            }
        }
        for list in by_name.values_mut() {
            list.sort();
        }
        Self {
            by_code: known.keys().cloned().collect(),
            by_name,
            members: members.iter().map(|c| c.code.clone()).collect(),
            merged_into,
        }
    }

    /// A code for a name or code, if known; `departement` is the listing QPV's.
    pub fn resolve(&self, token: &str, departement: Option<&str>) -> Option<CommuneCode> {
        let code = self.resolve_as_listed(token, departement)?;
        Some(self.merged_into.get(&code).cloned().unwrap_or(code))
    }

    fn resolve_as_listed(&self, token: &str, departement: Option<&str>) -> Option<CommuneCode> {
        if let Ok(code) = CommuneCode::parse(token) {
            return self.by_code.contains(&code).then_some(code);
        }
        let candidates = self.by_name.get(&fold_name_without_article(token))?;
        let in_dep = |c: &&CommuneCode| departement.is_none_or(|d| c.departement() == d);
        let is_member = |c: &&CommuneCode| self.members.contains(*c);
        candidates
            .iter()
            .find(|c| in_dep(c) && is_member(c))
            .or_else(|| candidates.iter().find(in_dep))
            .or_else(|| candidates.iter().find(is_member))
            .or_else(|| candidates.first())
            .cloned()
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
    // Candidate communes of a QPV come from an R-tree of their boxes, not a scan of them all
    // (35 000 communes × 1 300 QPV for France).
    let member_boxes = box_tree(members.iter().map(|c| &c.boundary_l93));
    for source in &t.manifest.qpv {
        let skipped = load_source(
            t,
            source,
            members,
            &member_boxes,
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
    member_boxes: &RTree<BoxEntry>,
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
            format!(
                "millésime de QPV {} non pris en charge (2015 ou 2024)",
                source.vintage
            ),
        ));
        return 0;
    }
    let (features, crs_found) = match read_layer(&t.root, LayerSpec::from(source)) {
        Ok(layer) => {
            let found = layer.crs.crs_found.clone();
            layers_crs.push(layer.crs);
            (layer.features, found)
        }
        Err(p) => {
            problems.error(p);
            return 0;
        }
    };
    let mut seen = BTreeSet::new();
    let mut skipped = 0;
    let mut misplaced =
        MisplacedPolygons::new(&file, "QPV", t.manifest.territory.departement.as_deref());
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
                format!("code de QPV {code} en double"),
            ));
            continue;
        }
        if code.vintage() != source.vintage {
            problems.warn(Problem::at(
                &file,
                location.clone(),
                Some(&source.code),
                format!(
                    "le code {code} a la forme du millésime {} mais le manifeste indique {}",
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
                match resolver.resolve(token, Some(code.departement())) {
                    Some(c) => codes.push(c),
                    None => unknown_communes.push(Problem::at(&file, location.clone(), Some(f), format!(
                        "le QPV {code} liste la commune « {token} », qui ne correspond à aucun nom ni code de commune connu"
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
        if !misplaced.check(&location, code.departement(), &boundary_wgs84) {
            continue;
        }
        let lists_member = listed_communes
            .as_ref()
            .is_some_and(|l| l.iter().any(|c| member_codes.contains(c)));
        let overlaps_member = !lists_member
            && boundary_l93.bounding_rect().is_some_and(|bb| {
                let env = AABB::from_corners([bb.min().x, bb.min().y], [bb.max().x, bb.max().y]);
                member_boxes
                    .locate_in_envelope_intersecting(&env)
                    .any(|e| members[e.data].boundary_l93.intersects(&boundary_l93))
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
    misplaced.report(Some(&crs_found), problems);
    skipped
}
