//! `repere diagnose`, `repere rank` and `repere lookup` as a user runs them on the default data.

use std::process::{Command, Output};

fn repere(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn diagnose_commune_json_has_the_documented_fields() {
    let text = stdout(&repere(&[
        "diagnose",
        "--commune",
        "76575",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["code"], "76575");
    let qpv: Vec<&str> = v["qpv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    assert_eq!(qpv, ["QN07621M", "QN07622M", "QN07623M", "QN07624M"]);
    assert!(v["neet_share_2018_pct"]["value"].as_f64().unwrap() > 0.0);
    assert!(v["neet_share_2018_pct"]["epci"].as_f64().is_some());
    assert!(v["nearest_actor_by_group"]["ML"].is_null());
    assert!(
        v["accessibility_index_per_1000"]["metropole"]
            .as_f64()
            .is_some()
    );
}

#[test]
fn diagnose_qpv_csv_lists_field_value_rows() {
    let text = stdout(&repere(&[
        "diagnose", "--qpv", "QN07620M", "--format", "csv",
    ]));
    assert!(text.starts_with("field,value\n"), "{text}");
    assert!(text.contains("\ncommunes_spanned.0,76095\n"), "{text}");
    assert!(
        text.contains("\nchange_2015_2024,perimeter_changed\n"),
        "{text}"
    );
}

#[test]
fn an_unknown_commune_code_is_named_in_the_error() {
    let out = repere(&["diagnose", "--commune", "76999"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("la commune 76999 n'est pas membre du territoire"),
        "{err}"
    );
}

#[test]
fn an_unknown_qpv_code_is_named_in_the_error() {
    let out = repere(&["diagnose", "--qpv", "QN07699M"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("le QPV QN07699M n'est pas dans le territoire")
    );
}

#[test]
fn rank_top_three_csv_has_a_header_and_three_rows() {
    let text = stdout(&repere(&[
        "rank",
        "--top",
        "3",
        "--format",
        "csv",
        "--weights",
        "neet=2,access=1",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("rank,code,name,score,neet_value"));
    assert!(lines[1].starts_with("1,"));
}

#[test]
fn rank_refuses_an_unknown_weight_key_by_name() {
    let out = repere(&["rank", "--weights", "neet=2,foo=1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("clé de pondération « foo » inconnue"));
}

#[test]
fn lookup_accepts_negative_longitudes_and_refuses_out_of_range_latitudes() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&repere(&[
        "lookup", "--lon", "1.0993", "--lat", "49.4431", "--format", "json",
    ])))
    .unwrap();
    assert_eq!(v["commune"]["code"], "76540");
    assert!(v["nearest_qpv"]["distance_m"].as_f64().unwrap() > 0.0);
    let far = stdout(&repere(&["lookup", "--lon", "-1.5", "--lat", "47.2"]));
    assert!(far.contains("hors du territoire"), "{far}");
    let out = repere(&["lookup", "--lon", "1.0", "--lat", "95"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("latitude 95 hors limites"));
}
