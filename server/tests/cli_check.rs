//! `repere check` as a user runs it: on the embedded default, and on another territory.

use std::process::Command;

fn repere() -> Command {
    Command::new(env!("CARGO_BIN_EXE_repere"))
}

#[test]
fn check_reports_the_default_territory_from_any_directory() {
    let out = repere()
        .arg("check")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Communes : 71"), "{text}");
    assert!(text.contains("QPV 2024 : 16"), "{text}");
    assert!(
        text.contains("ML (Mission locale) : connue par adresse seulement : 2 à localiser"),
        "{text}"
    );
    assert!(
        text.contains("pas d'accès calculé sur les horaires"),
        "{text}"
    );
}

#[test]
fn check_lists_the_two_missions_locales_of_the_metropole_to_place() {
    let out = repere().arg("check").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Acteurs à localiser"), "{text}");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("ML ") && l.contains("[missions_locales:"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("commune 76540 Rouen") && l.contains("33 avenue Champlain"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("commune 76231 Elbeuf") && l.contains("Camille-Randoing"))
    );
    let json = repere()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ml = v["absent_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "ML")
        .unwrap();
    assert_eq!(ml["to_place"], 2);
    assert_eq!(v["actors_to_place"].as_array().unwrap().len(), 2);
}

#[test]
fn check_json_has_counts_per_kind_and_absent_groups() {
    let out = repere()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["communes"], 71);
    assert_eq!(v["qpv"]["2024"], 16);
    let kinds = v["actors_by_kind"].as_array().unwrap();
    assert!(
        kinds
            .iter()
            .any(|k| k["kind"] == "FT" && k["count"].as_u64().unwrap() > 0)
    );
    assert!(
        v["absent_groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["group"] == "ML")
    );
}

#[test]
fn check_fails_with_the_file_and_field_on_a_broken_territory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("communes.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"Sans code"},"geometry":{"type":"Polygon","coordinates":[[[2,48],[2.1,48],[2.1,48.1],[2,48]]]}}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.toml"),
        "[territory]\nname = \"Cassé\"\n[communes]\nboundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }\n",
    )
    .unwrap();
    let out = repere()
        .args(["check", "--territory"])
        .arg(dir.path().join("t.toml"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("le territoire ne s'est pas chargé")
            && err
                .contains("communes.geojson : entité 0, champ `code` : propriété absente ou vide"),
        "{err}"
    );
}
