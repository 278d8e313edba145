//! `repere coverage` as a user runs it on the default data.

use std::process::Command;

#[test]
fn coverage_command_reports_qn07620m_reached_on_foot_and_names_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, "nom;lon;lat\nAntenne;1,1300;49,4580\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["coverage", "--sites"])
        .arg(&sites)
        .args(["--minutes", "15", "--mode", "walk"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("QN07620M Les Hauts de Rouen"), "{text}");

    std::fs::write(&sites, "lon,lat\n1.13,49.45\n1.13,\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["coverage", "--sites"])
        .arg(&sites)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ligne 3") && err.contains("champ `lat`"),
        "{err}"
    );
}
