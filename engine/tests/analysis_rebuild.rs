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
