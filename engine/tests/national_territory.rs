//! `territory new` on the real national files (`<repo>/../shared/data`, or `REPERE_NATIONAL_DIR`):
//! the Métropole Rouen Normandie generated from them is the default territory, and another EPCI
//! with QPV 2015 loads and diagnoses with no code change. Skipped, saying so, when the files are
//! absent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use repere_engine::diagnostic::{DiagnosticParams, Diagnostics};
use repere_engine::national::{NationalError, NationalFiles, Selection, new_territory};
use repere_engine::{Dataset, Territory};

mod common;

/// The national folder: `REPERE_NATIONAL_DIR`, else `shared/data/national` beside the
/// repository or one of its parents (CI clones beside `shared/`, worktrees sit one level down).
fn national_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("REPERE_NATIONAL_DIR") {
        return Some(PathBuf::from(d));
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    repo.ancestors()
        .skip(1)
        .take(3)
        .map(|b| b.join("shared/data/national"))
        .find(|d| d.join("communes_france_2018.geojson").is_file())
}

fn files() -> Option<NationalFiles> {
    let Some(dir) = national_dir() else {
        eprintln!(
            "SKIPPED: national files not found (../shared/data/national beside the repository, or set REPERE_NATIONAL_DIR)"
        );
        return None;
    };
    Some(NationalFiles::locate(&dir, None).expect("national files"))
}

fn load_epci(files: &NationalFiles, siren: &str) -> (Dataset, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let t = new_territory(files, &Selection::Epci(siren.into()), out.path()).unwrap();
    let territory = Territory::from_path(&t.manifest).unwrap();
    let (ds, _) = repere_engine::load::load(&territory).unwrap_or_else(|e| panic!("{e}"));
    (ds, out)
}

fn qpv2015(ds: &Dataset) -> BTreeSet<(String, Vec<String>)> {
    ds.qpv_of_vintage(2015)
        .map(|q| {
            (
                q.code.to_string(),
                q.listed_communes
                    .iter()
                    .flatten()
                    .map(ToString::to_string)
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn rouen_from_national_files_is_the_default_territory_and_grand_paris_sud_diagnoses() {
    let Some(files) = files() else { return };
    let (generated, _dir) = load_epci(&files, "200023414");
    let default = common::default_dataset();
    let codes =
        |ds: &Dataset| -> Vec<String> { ds.communes.iter().map(|c| c.code.to_string()).collect() };
    assert_eq!(codes(&generated).len(), 71);
    assert_eq!(codes(&generated), codes(default));
    // Same QPV 2015, each with the same listed communes, from the national shapefile as from
    // the Seine-Maritime GeoJSON of the default.
    assert_eq!(qpv2015(&generated), qpv2015(default));
    assert_eq!(generated.qpv_of_vintage(2015).count(), 16);
    // France Travail: only agencies open to the public.
    assert!(!generated.actors.is_empty());

    // Another EPCI with QPV 2015, with a commune merged since 2018 (Évry-Courcouronnes).
    let (gps, _dir) = load_epci(&files, "200059228");
    assert_eq!(gps.communes.len(), 23);
    let evry = gps
        .commune(&repere_engine::CommuneCode::parse("91228").unwrap())
        .unwrap();
    // Évry (8.3 km²) and Courcouronnes (5.5 km²) unioned: Évry alone would be under 9 km².
    assert!((12.5e6..15.0e6).contains(&evry.area_m2), "{}", evry.area_m2);
    let d = Diagnostics::compute(&gps, &DiagnosticParams::default());
    assert_eq!(d.communes.len(), 23);
    let with_qpv = d.communes.iter().filter(|c| !c.qpv.is_empty()).count();
    assert!(
        with_qpv >= 7,
        "{with_qpv} communes with a QPV 2015: {:?}",
        d.communes
            .iter()
            .map(|c| (c.code.to_string(), c.qpv.len()))
            .collect::<Vec<_>>()
    );
    assert!(gps.qpv_of_vintage(2015).count() >= 15);
    // QPV listing the former Courcouronnes (91182) count for Évry-Courcouronnes.
    assert!(gps.qpv_of_vintage(2015).all(|q| {
        q.listed_communes
            .iter()
            .flatten()
            .all(|c| c.as_str() != "91182")
    }));
}

#[test]
fn bad_selections_and_missing_files_are_french_errors_naming_them() {
    let Some(files) = files() else { return };
    let out = tempfile::tempdir().unwrap();
    let e = new_territory(&files, &Selection::Epci("123456789".into()), out.path()).unwrap_err();
    assert!(matches!(e, NationalError::UnknownEpci { .. }));
    assert!(e.to_string().contains("EPCI inconnu") && e.to_string().contains("123456789"));
    let e = new_territory(&files, &Selection::Departement("99".into()), out.path()).unwrap_err();
    assert!(e.to_string().starts_with("département inconnu") && e.to_string().contains("99"));
    let e = new_territory(
        &files,
        &Selection::Communes(vec!["76540".into(), "00000".into()]),
        out.path(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("00000"), "{e}");
    let e = NationalFiles::locate(out.path(), None).unwrap_err();
    assert!(
        e.to_string().contains("communes_france_2018.geojson"),
        "{e}"
    );
}
