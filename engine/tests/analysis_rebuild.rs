//! `Analysis::rebuild` after an actor edit (what the server does after each committed edit)
//! gives what a full `Analysis::build` gives: the same dataset version, diagnostics, gap
//! summaries and byte-identical tiles of every layer, while reusing the gap grid's cells and
//! the prepared tile geometry of the layers whose geometry did not change.

use std::collections::BTreeMap;

use repere_engine::inventory::{ActorFields, ActorInput};
use repere_engine::{Analysis, Territory};

#[test]
fn a_rebuild_after_an_edit_equals_a_full_build() {
    let (ds, report) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let before = Analysis::build_default(ds.clone(), report.clone()).unwrap();
    // The Rouen mission locale placed at a position chosen by the test, and an actor retired.
    let input = ActorInput {
        name: "Mission locale (test)".into(),
        kind: "ML".into(),
        lon: Some(1.0938),
        lat: Some(49.43),
        ..Default::default()
    };
    let fields = ActorFields::validate(&ds, &input).unwrap();
    let retired = ds.actors[0].id.clone();
    let mut states = BTreeMap::new();
    states.insert(
        "missions_locales:mission_locale-76540-01".to_owned(),
        ("missions_locales".to_owned(), Some(fields)),
    );
    states.insert(retired, (ds.actors[0].source.clone(), None));
    let edited = ds.with_actor_states(&states).unwrap();

    let full = Analysis::build_default(edited.clone(), report.clone()).unwrap();
    let rebuilt = before.rebuild(edited, report).unwrap();
    assert_ne!(rebuilt.version(), before.version());
    assert_eq!(rebuilt.version(), full.version());
    assert_eq!(
        serde_json::to_value(rebuilt.diagnostics()).unwrap(),
        serde_json::to_value(full.diagnostics()).unwrap()
    );
    assert_eq!(
        rebuilt.access().gaps.grid.cells.len(),
        full.access().gaps.grid.cells.len()
    );
    assert_eq!(
        format!("{:?}", rebuilt.access().gaps.access),
        format!("{:?}", full.access().gaps.access),
        "access of every gap cell"
    );
    let (rt, ft) = (rebuilt.tiles(), full.tiles());
    assert_eq!(rt.layer_names(), ft.layer_names());
    let mut compared = 0;
    for name in ft.layer_names() {
        let sel = ft.select(name).unwrap();
        let zooms = ft.zooms(&sel);
        for z in [zooms.min, 10.max(zooms.min).min(zooms.max), zooms.max] {
            for coord in ft.tiles_covering(&sel, z).into_iter().take(40) {
                assert_eq!(
                    rt.encode(&sel, coord).unwrap(),
                    ft.encode(&sel, coord).unwrap(),
                    "{name} {coord:?}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 200, "{compared} tiles compared");
    // A rebuild with nothing changed is the same analysis.
    let again = full
        .rebuild(full.dataset().clone(), full.report().clone())
        .unwrap();
    assert_eq!(again.version(), full.version());
}

/// A small deterministic generator (64-bit LCG, fixed seed): the same edits on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / f64::from(1u32 << 31)
    }
}

/// One random edit of the default territory: an actor moved, retired, added, or known by
/// address only; its kind drawn among the diagnostic's groups.
fn random_edit(
    rng: &mut Lcg,
    ds: &repere_engine::Dataset,
    n: usize,
) -> repere_engine::inventory::EditedActor {
    use repere_engine::inventory::EditedActor;
    let base = ds.inventory();
    let kinds = ["ML", "FT", "RFS", "CS", "PIJ_BIJ", "ASSO", "E2C"];
    let e = ds.extent_wgs84.unwrap();
    // Inside the communes' extent, away from its margin.
    let (lon, lat) = (
        e.min().x + (0.2 + 0.6 * rng.unit()) * e.width(),
        e.min().y + (0.2 + 0.6 * rng.unit()) * e.height(),
    );
    let existing = &base[rng.below(base.len())];
    let input = ActorInput {
        name: format!("Acteur modifié {n} (test)"),
        kind: kinds[rng.below(kinds.len())].into(),
        lon: Some(lon),
        lat: Some(lat),
        ..Default::default()
    };
    match rng.below(4) {
        0 => EditedActor {
            id: existing.id.clone(),
            source: existing.source.clone(),
            edit: n as i64,
            state: Some(input),
        },
        1 => EditedActor {
            id: existing.id.clone(),
            source: existing.source.clone(),
            edit: n as i64,
            state: None,
        },
        2 => EditedActor {
            id: format!("edits:test-{n}"),
            source: "edits".into(),
            edit: n as i64,
            state: Some(input),
        },
        _ => EditedActor {
            id: existing.id.clone(),
            source: existing.source.clone(),
            edit: n as i64,
            state: Some(ActorInput {
                lon: None,
                lat: None,
                address: Some(format!("{n} rue de l'Essai (test)")),
                commune: Some(ds.communes[rng.below(ds.communes.len())].code.to_string()),
                ..input
            }),
        },
    }
}

/// Everything served from an analysis but the tiles, as JSON.
fn served_json(a: &Analysis) -> serde_json::Value {
    serde_json::json!({
        "version": a.version(),
        "report": a.report(),
        "diagnostics": a.diagnostics(),
        "ranking": a.default_ranking(),
        "extras": format!("{:?}", a.commune_extras()),
        "inventory": format!("{:?}", a.dataset().inventory()),
        "gap_access": format!("{:?}", a.access().gaps.access),
        "gap_cells": a.access().gaps.grid.cells.len(),
    })
}

/// Property: over random edit lists applied one after the other, as a server applies them
/// (each over the analysis served before, its tiles prepared), the analysis served equals the
/// one a full build of the base plus the same edits gives: report, diagnostics, ranking, gap
/// access, and the tiles of every layer byte for byte where any feature is.
#[test]
fn applying_random_edits_over_the_served_analysis_equals_a_full_build() {
    use repere_engine::inventory::apply_edits;
    let (base, report) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let params = repere_engine::AnalysisParams::default();
    let mut served = Analysis::build(base.clone(), report.clone(), &params).unwrap();
    served.tiles();
    let mut rng = Lcg(0x5eed_2028);
    let mut latest: BTreeMap<String, repere_engine::inventory::EditedActor> = BTreeMap::new();
    let mut n = 0;
    for round in 0..3 {
        for _ in 0..=round {
            n += 1;
            let e = random_edit(&mut rng, &base, n);
            latest.insert(e.id.clone(), e);
        }
        let edits: Vec<_> = latest.values().cloned().collect();
        let incremental = apply_edits(&base, &report, &edits, &params, Some(&served)).unwrap();
        let full = apply_edits(&base, &report, &edits, &params, None).unwrap();
        assert_ne!(incremental.version(), served.version(), "round {round}");
        assert_eq!(
            served_json(&incremental),
            served_json(&full),
            "round {round}"
        );
        let (it, ft) = (incremental.tiles(), full.tiles());
        assert_eq!(it.layer_names(), ft.layer_names());
        let mut compared = 0;
        for name in ft.layer_names() {
            let sel = ft.select(name).unwrap();
            let zooms = ft.zooms(&sel);
            for z in [zooms.min, 12.clamp(zooms.min, zooms.max), zooms.max] {
                let touched = ft.tiles_touched(&sel, z);
                // Every tile at the coarse zooms, a spread sample at the fine ones.
                let step = (touched.len() / 40).max(1);
                for coord in touched.into_iter().step_by(step) {
                    assert_eq!(
                        it.encode(&sel, coord).unwrap(),
                        ft.encode(&sel, coord).unwrap(),
                        "round {round}: {name} {coord:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 300, "{compared} tiles compared");
        served = incremental;
    }
    // A state that does not validate refuses the whole list, naming the actor and the edit.
    let mut bad = latest.values().cloned().collect::<Vec<_>>();
    bad.push(repere_engine::inventory::EditedActor {
        id: "edits:bad".into(),
        source: "edits".into(),
        edit: 99,
        state: Some(ActorInput {
            name: "  ".into(),
            kind: "ML".into(),
            lon: Some(1.09),
            lat: Some(49.44),
            ..Default::default()
        }),
    });
    let err = apply_edits(&base, &report, &bad, &params, Some(&served)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("modification 99 de edits:bad : champ `name`"),
        "{err}"
    );
}
