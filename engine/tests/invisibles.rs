//! The invisibles on a second territory written by the test: the default data copied into a
//! temporary folder, with **synthetic** follow-up counts (made up by this test, named so) added
//! to its manifest. Checks the range, the secrecy of every output (diagnostics JSON, decoded
//! tiles, the communes layer the CSV reuses), the ranking component and the French errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use mvt_reader::Reader;
use mvt_reader::feature::Value as MvtValue;
use repere_engine::indicator::invisibles::InvisiblesBasis;
use repere_engine::indicator::secrecy::Disclosed;
use repere_engine::ranking::{Weights, rank};
use repere_engine::tiles::TileCoord;
use repere_engine::tiles::mercator::tile_of_lonlat;
use repere_engine::{Analysis, CommuneCode, QpvCode, Territory};

/// Synthetic counts of a mission locale (made up for this test).
const ML_SYNTHETIC: &str =
    "code_commune;jeunes_suivis\n76540;1 800\n76157;300\n76231;7\n76108;150\n";
/// Synthetic counts of France Travail jobseekers under 25 (made up for this test).
const FT_SYNTHETIC: &str = "commune,demandeurs\n76540,1200\n76157,500\n76108,185\n";
/// Synthetic counts per QPV (made up for this test).
const QPV_SYNTHETIC: &str = "qpv;suivis\nQN07610M;60\n";

const FOLLOWUP: &str = r#"
[[followup.counts]]
file = "suivis/ml_synthetique.csv"
source = "ML"
label = "Mission locale synthétique (test)"
age_band = "16-25"
date = "2024-12-31"
level = "commune"
code = "code_commune"
count = "jeunes_suivis"

[[followup.counts]]
file = "suivis/ft_synthetique.csv"
source = "FT"
label = "France Travail synthétique (test)"
age_band = "16-24"
date = "2024-09"
level = "commune"
code = "commune"
count = "demandeurs"

[[followup.counts]]
file = "suivis/qpv_synthetique.csv"
source = "ML"
label = "Mission locale synthétique par QPV (test)"
age_band = "16-25"
date = "2024-12-31"
level = "qpv"
code = "qpv"
count = "suivis"
"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The default data in a temp folder, its manifest extended with `extra`, and `files` written.
fn territory(extra: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    copy_dir(&data, dir.path());
    let manifest = dir.path().join("territory.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(extra);
    std::fs::write(&manifest, text).unwrap();
    std::fs::create_dir_all(dir.path().join("suivis")).unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn synthetic() -> tempfile::TempDir {
    territory(
        FOLLOWUP,
        &[
            ("suivis/ml_synthetique.csv", ML_SYNTHETIC),
            ("suivis/ft_synthetique.csv", FT_SYNTHETIC),
            ("suivis/qpv_synthetique.csv", QPV_SYNTHETIC),
        ],
    )
}

fn analysis(dir: &Path) -> Analysis {
    let t = Territory::from_path(&dir.join("territory.toml")).unwrap();
    let (ds, report) = repere_engine::load::load(&t).unwrap();
    Analysis::build_default(ds, report).unwrap()
}

fn code(c: &str) -> CommuneCode {
    CommuneCode::parse(c).unwrap()
}

/// Every JSON number under a key starting with `invisibles` or inside an `invisibles` object.
fn invisible_numbers(v: &serde_json::Value, inside: bool, out: &mut Vec<f64>) {
    match v {
        serde_json::Value::Number(n) if inside => out.extend(n.as_f64()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| invisible_numbers(x, inside, out)),
        serde_json::Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| invisible_numbers(x, inside || k.starts_with("invisibles"), out)),
        _ => {}
    }
}

#[test]
fn the_range_subtracts_the_sum_then_the_largest_source_rounded_once() {
    let dir = synthetic();
    let a = analysis(dir.path());
    let d = a.diagnostics();
    let rouen = d.commune(&code("76540")).unwrap();
    let neet = rouen.estimated_neet_count.value.unwrap();
    // The NEET estimate stays unrounded (share × young people, as computed): rounding happens
    // once, at disclosure, never before the counts are subtracted.
    let share = rouen.neet_share_2018_pct.value.unwrap();
    let youth = rouen.youth_15_29.value.unwrap();
    assert_eq!(neet, share / 100.0 * youth);
    assert_ne!(neet, neet.round(), "{neet} was rounded");
    let inv = &rouen.invisibles;
    assert_eq!(inv.basis, InvisiblesBasis::Local);
    // Low: no double counting (NEET − 1 800 − 1 200); high: largest overlap (NEET − 1 800).
    assert_eq!(inv.low_est, Some(Disclosed::estimate(neet - 3000.0)));
    assert_eq!(inv.high_est, Some(Disclosed::estimate(neet - 1800.0)));
    assert_eq!(
        inv.central_est,
        Some(Disclosed::estimate(neet - 2400.0)),
        "the middle of the unrounded range, rounded once"
    );
    assert!(inv.low_est <= inv.high_est);
    assert_eq!(inv.followed.len(), 2);
    assert_eq!(inv.followed[1].source, "ML");
    assert_eq!(inv.followed[1].count, Disclosed::Value(1800));
    assert_eq!(inv.followed[1].dates, ["2024-12-31"]);
    assert_eq!(inv.followed[0].age_bands, ["16-24"]);
    assert!(
        inv.text
            .contains("Mission locale synthétique (test) 1\u{202f}800 (16-25 ans, 2024-12-31)"),
        "{}",
        inv.text
    );
    // Canteleu: more followed than NEET estimated, the low end floors at zero, said "< 11".
    let canteleu = &d.commune(&code("76157")).unwrap().invisibles;
    assert_eq!(canteleu.low_est, Some(Disclosed::Secret));
    assert!(canteleu.high_est.unwrap().value().unwrap() >= 11);
    // Elbeuf: 7 followed is a secret count, the estimate still shows.
    let elbeuf = &d.commune(&code("76231")).unwrap().invisibles;
    assert_eq!(elbeuf.followed[0].count, Disclosed::Secret);
    assert!(elbeuf.text.contains("< 11"), "{}", elbeuf.text);
    // Bois-Guillaume: both ends under 11.
    let bg = &d.commune(&code("76108")).unwrap().invisibles;
    assert_eq!(
        (bg.low_est, bg.high_est),
        (Some(Disclosed::Secret), Some(Disclosed::Secret))
    );
    // A commune without counts in a territory that has some says so, with no national figure.
    let other = &d.commune(&code("76451")).unwrap().invisibles;
    assert_eq!(other.basis, InvisiblesBasis::Unavailable);
    // The QPV: NEET share of its communes × its young people, minus its own counts.
    let q = d.qpv(&QpvCode::parse("QN07610M").unwrap()).unwrap();
    let q_neet = q.neet_share_2018_pct_communes.value.unwrap() / 100.0 * q.youth_15_29_est.unwrap();
    assert_eq!(q.invisibles.basis, InvisiblesBasis::Local);
    assert_eq!(
        q.invisibles.low_est,
        Some(Disclosed::estimate(q_neet - 60.0))
    );
    // The method note explains both bounds.
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("bas de la fourchette") && n.contains("chevauchement maximal"))
    );
    assert_eq!(d.followup_sources.len(), 3);
}

#[test]
fn no_value_under_eleven_passes_through_the_json_the_tiles_or_the_csv_layer() {
    let dir = synthetic();
    let a = analysis(dir.path());
    // Diagnostics JSON (what the API serves).
    let json = serde_json::to_value(a.diagnostics()).unwrap();
    let mut numbers = Vec::new();
    invisible_numbers(&json, false, &mut numbers);
    assert!(numbers.len() > 10, "{numbers:?}");
    assert!(numbers.iter().all(|v| *v >= 11.0), "{numbers:?}");
    let text = json.to_string();
    assert!(text.contains("\"< 11\""));
    // The communes layer (tiles, CSV and GeoJSON exports).
    let layer = a.communes_layer();
    let mut seen = 0;
    for f in &layer.features {
        for (name, v) in &f.properties {
            if name.starts_with("invisibles") && name != "invisibles_range" {
                let n = match v {
                    repere_engine::tiles::schema::FieldValue::Int(i) => *i as f64,
                    repere_engine::tiles::schema::FieldValue::Double(d) => *d,
                    other => panic!("{name} is {other:?}"),
                };
                assert!(n >= 11.0 && n % 10.0 == 0.0, "{name} = {n}");
                seen += 1;
            }
        }
    }
    assert!(seen >= 6, "{seen} invisibles numbers");
    // Decoded tiles (an independent MVT decoder): Bois-Guillaume's range is "< 11" and carries
    // no number; Rouen's carries its disclosed bounds.
    let tiles = a.tiles();
    let sel = tiles.select("communes").unwrap();
    let (x, y) = tile_of_lonlat(1.09, 49.44, 9);
    let bytes = tiles
        .encode(&sel, TileCoord::new(9, x, y).unwrap())
        .unwrap()
        .unwrap();
    let reader = Reader::new(bytes).unwrap();
    let meta = reader.get_layer_metadata().unwrap();
    let communes = meta.iter().find(|m| m.name == "communes").unwrap();
    let features = reader.get_features_as::<f64>(communes.layer_index).unwrap();
    let mut found = 0;
    for f in features {
        let props = f.properties.unwrap_or_default();
        for (k, v) in &props {
            if k.starts_with("invisibles") {
                match v {
                    MvtValue::String(s) => assert!(
                        !s.chars().any(|c| c.is_ascii_digit())
                            || s.contains("< 11")
                            || s.split(" à ").all(|p| p == "< 11"
                                || p.replace('\u{202f}', "")
                                    .parse::<u32>()
                                    .is_ok_and(|n| n >= 11))
                    ),
                    MvtValue::Int(n) | MvtValue::SInt(n) => assert!(*n >= 11, "{k} = {n}"),
                    MvtValue::UInt(n) => assert!(*n >= 11, "{k} = {n}"),
                    MvtValue::Double(n) => assert!(*n >= 11.0, "{k} = {n}"),
                    MvtValue::Float(n) => assert!(*n >= 11.0, "{k} = {n}"),
                    other => panic!("{k}: {other:?}"),
                }
            }
        }
        match props.get("code") {
            Some(MvtValue::String(c)) if c == "76108" => {
                assert!(
                    matches!(props.get("invisibles_range"), Some(MvtValue::String(s)) if s == "< 11")
                );
                assert!(
                    !props.contains_key("invisibles_low_est")
                        && !props.contains_key("invisibles_central_est")
                );
                found += 1;
            }
            Some(MvtValue::String(c)) if c == "76540" => {
                let d = &a.diagnostics().commune(&code("76540")).unwrap().invisibles;
                let want = i64::from(d.central_est.unwrap().value().unwrap());
                let got = match props.get("invisibles_central_est") {
                    Some(MvtValue::Int(n) | MvtValue::SInt(n)) => *n,
                    Some(MvtValue::UInt(n)) => *n as i64,
                    other => panic!("{other:?}"),
                };
                assert_eq!(got, want);
                found += 1;
            }
            _ => {}
        }
    }
    assert_eq!(found, 2, "Rouen and Bois-Guillaume in the tile");
}

#[test]
fn the_ranking_component_reacts_to_its_weight_and_is_absent_without_counts() {
    let dir = synthetic();
    let a = analysis(dir.path());
    let off = rank(a.diagnostics(), &Weights::parse("invisibles=0").unwrap());
    let only = rank(
        a.diagnostics(),
        &Weights::parse("neet=0,neet_count=0,youth_qpv=0,access=0,distance=0,invisibles=5")
            .unwrap(),
    );
    let info = only
        .components
        .iter()
        .find(|c| c.key == "invisibles")
        .unwrap();
    assert!(info.available);
    // Ranked on invisibles alone, Rouen (the largest range) leads, then Elbeuf.
    let order: Vec<&str> = only
        .entries
        .iter()
        .take(2)
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(order, ["76540", "76231"]);
    assert_ne!(
        off.entries
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>(),
        only.entries
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>()
    );
    // Bois-Guillaume's secret middle is flagged, counted lowest, with no value.
    let bg = only
        .entries
        .iter()
        .find(|e| e.code.as_str() == "76108")
        .unwrap();
    let c = bg
        .components
        .iter()
        .find(|c| c.key == "invisibles")
        .unwrap();
    assert!(c.secret && c.value.is_none() && c.normalised == Some(0.0));
    // The default territory has no counts: the component is unavailable and says why.
    let default = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let d = repere_engine::diagnostic::Diagnostics::compute(&default.0, &Default::default());
    let r = rank(&d, &Weights::default());
    let info = r.components.iter().find(|c| c.key == "invisibles").unwrap();
    assert!(!info.available);
    assert!(
        info.note
            .as_deref()
            .unwrap()
            .contains("aucun comptage local")
    );
}

#[test]
fn the_default_territory_says_no_counts_and_no_national_figure_are_loaded() {
    let (ds, report) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    assert!(ds.followup.files.is_empty() && ds.followup.national.is_none());
    let text = report.to_string();
    assert!(
        text.contains("Jeunes suivis : aucun comptage local chargé"),
        "{text}"
    );
    assert!(text.contains("[[followup.counts]]"), "{text}");
    let d = repere_engine::diagnostic::Diagnostics::compute(&ds, &Default::default());
    let rouen = d.commune(&code("76540")).unwrap();
    assert_eq!(rouen.invisibles.basis, InvisiblesBasis::Unavailable);
    assert!(
        rouen
            .invisibles
            .text
            .contains("aucun ordre de grandeur national")
    );
}

#[test]
fn a_national_order_of_magnitude_is_shown_as_such_without_local_counts() {
    // A synthetic share (made up for this test, not a published figure).
    let dir = territory(
        "\n[followup.national]\nshare_pct = 30\nsource = \"part synthétique du test, pas une publication\"\n",
        &[],
    );
    let a = analysis(dir.path());
    let rouen = &a.diagnostics().commune(&code("76540")).unwrap();
    let inv = &rouen.invisibles;
    assert_eq!(inv.basis, InvisiblesBasis::NationalOrder);
    assert_eq!(
        inv.national_order_est,
        Some(Disclosed::estimate(
            rouen.estimated_neet_count.value.unwrap() * 0.3
        ))
    );
    assert_eq!((inv.low_est, inv.high_est), (None, None));
    assert!(
        inv.text
            .contains("ordre de grandeur national, pas une estimation locale"),
        "{}",
        inv.text
    );
    assert!(
        a.report()
            .to_string()
            .contains("ordre de grandeur national : 30 %")
    );
}

#[test]
fn a_bad_follow_up_line_is_refused_naming_file_line_and_field() {
    let dir = territory(
        FOLLOWUP,
        &[
            (
                "suivis/ml_synthetique.csv",
                "code_commune;jeunes_suivis\n76540;1800\n76157;douze\n76157;12\n",
            ),
            ("suivis/ft_synthetique.csv", FT_SYNTHETIC),
            ("suivis/qpv_synthetique.csv", QPV_SYNTHETIC),
        ],
    );
    let t = Territory::from_path(&dir.path().join("territory.toml")).unwrap();
    let e = repere_engine::load::load(&t).unwrap_err().to_string();
    assert!(
        e.contains("suivis/ml_synthetique.csv") && e.contains("ligne 3, champ `jeunes_suivis`"),
        "{e}"
    );
    let bad_date = territory(
        &FOLLOWUP.replace("2024-09", "sept. 2024"),
        &[
            ("suivis/ml_synthetique.csv", ML_SYNTHETIC),
            ("suivis/ft_synthetique.csv", FT_SYNTHETIC),
            ("suivis/qpv_synthetique.csv", QPV_SYNTHETIC),
        ],
    );
    let t = Territory::from_path(&bad_date.path().join("territory.toml")).unwrap();
    let e = repere_engine::load::load(&t).unwrap_err().to_string();
    assert!(
        e.contains("champ `followup.counts.date`") && e.contains("« sept. 2024 »"),
        "{e}"
    );
}
