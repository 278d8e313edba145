//! Inputs that used to load or run silently: a negative margin, an actor file with a header and
//! no row.

mod common;

use common::SyntheticTerritory;
use repere_engine::Territory;

#[test]
fn a_negative_margin_is_a_manifest_error() {
    let t = SyntheticTerritory::new();
    for bad in ["margin_m = -5", "margin_m = nan", "margin_m = -inf"] {
        t.write(
            "territory.toml",
            &common::MANIFEST.replace("margin_m = 5000", bad),
        );
        let message = Territory::from_path(&t.manifest()).unwrap_err().to_string();
        assert!(message.contains("territory.toml"), "{bad}: {message}");
        assert!(message.contains("margin_m"), "{bad}: {message}");
        assert!(message.contains("positif ou nul"), "{bad}: {message}");
    }
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("margin_m = 5000", "margin_m = 0"),
    );
    assert!(Territory::from_path(&t.manifest()).is_ok());
}

#[test]
fn an_actor_file_with_a_header_and_no_row_is_a_warning_naming_it() {
    let t = SyntheticTerritory::new();
    t.write("actors.csv", "id;nom;type;lon;lat;insee\n");
    let (_, report) = t.load().expect("the other sources still load");
    let warning = report
        .warnings
        .iter()
        .find(|w| w.file.ends_with("actors.csv"))
        .unwrap_or_else(|| panic!("no warning names actors.csv: {:?}", report.warnings));
    assert!(warning.message.contains("aucun acteur"), "{warning}");
}
