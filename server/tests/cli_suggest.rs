//! `repere suggest` as a user runs it on the default data.

use std::process::Command;

#[test]
fn suggest_command_lists_k_hosts_and_refuses_k_above_the_candidates() {
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["suggest", "--group", "FT", "--minutes", "15", "--k", "3"])
        .args(["--time-limit-s", "60"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("Où ouvrir une permanence « France Travail »"),
        "{text}"
    );
    for r in ["  1. ", "  2. ", "  3. "] {
        assert!(text.contains(r), "{text}");
    }
    assert!(
        text.contains("Certificat : modèle exact, optimum prouvé, écart d'optimalité 0 %"),
        "{text}"
    );
    assert!(text.contains("  10 : "), "{text}");
    assert!(
        !text.contains("Multi-accueil") && !text.contains("Stade"),
        "{text}"
    );
    let dir = tempfile::tempdir().unwrap();
    // The coverage matrix for an outside solver: the objective of the certificate is reached by
    // some k candidates of the matrix (checked by benches/compare_spopt.sh against spopt).
    let m = dir.path().join("matrice.json");
    let lieux = dir.path().join("lieux.csv");
    let mut csv = String::from("nom,lon,lat\n");
    for i in 0..4 {
        for j in 0..3 {
            let (lon, lat) = (1.06 + 0.02 * f64::from(i), 49.42 + 0.02 * f64::from(j));
            csv.push_str(&format!("L{i}{j},{lon},{lat}\n"));
        }
    }
    std::fs::write(&lieux, csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["suggest", "--group", "ML", "--minutes", "10", "--k", "3"])
        .arg("--candidates")
        .arg(&lieux)
        .arg("--export-matrix")
        .arg(&m)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
    assert_eq!(v["k"], 3);
    let weights: Vec<f64> = serde_json::from_value(v["weights"].clone()).unwrap();
    let covers: Vec<Vec<usize>> = serde_json::from_value(v["covers"].clone()).unwrap();
    assert_eq!(covers.len(), v["candidate_ids"].as_array().unwrap().len());
    let inst = repere_engine::suggest::CoverInstance { weights, covers };
    assert_eq!(inst.covers.len(), 12);
    let best = inst.optimum_brute_force(3);
    assert!(
        (best - v["objective"].as_f64().unwrap()).abs() < 1e-6,
        "{best} vs {}",
        v["objective"]
    );
    let f = dir.path().join("candidats.csv");
    std::fs::write(&f, "nom,lon,lat\nA,1.13,49.458\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["suggest", "--group", "ML", "--k", "2", "--candidates"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("champ k : 2 structures demandées"), "{err}");
}
