//! `repere suggest` as a user runs it on the default data.

use std::process::Command;

#[test]
fn suggest_command_lists_k_hosts_and_refuses_k_above_the_candidates() {
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["suggest", "--group", "FT", "--minutes", "15", "--k", "3"])
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
    let dir = tempfile::tempdir().unwrap();
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
