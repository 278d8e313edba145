//! `repere --help` of every command and the parse errors are French: none of clap's English
//! headings, notes or error texts reach the user.

use std::process::Command;

const ENGLISH: [&str; 9] = [
    "Usage",
    "error:",
    "[default",
    "possible values",
    "unexpected",
    "Print help",
    "For more",
    "Commands:",
    "required",
];

fn repere(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn assert_french(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "« {word} » in:\n{text}");
    }
}

#[test]
fn the_help_of_every_command_is_french() {
    let (ok, top) = repere(&["--help"]);
    assert!(ok, "{top}");
    assert!(top.contains("Utilisation : repere"), "{top}");
    assert_french(&top);
    for command in [
        vec!["check"],
        vec!["serve"],
        vec!["tiles", "export"],
        vec!["tiles", "geojson"],
        vec!["diagnose"],
        vec!["rank"],
        vec!["lookup"],
        vec!["coverage"],
        vec!["territory", "new"],
        vec!["transit", "matrix"],
        vec!["suggest"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let (ok, help) = repere(&args);
        assert!(ok, "{command:?}: {help}");
        assert!(help.contains("Utilisation : repere"), "{command:?}: {help}");
        assert_french(&help);
    }
}

#[test]
fn parse_errors_are_french_and_name_the_argument() {
    for (args, expected) in [
        (vec!["chek"], "« chek »"),
        (vec!["rank", "--poids", "x"], "« --poids »"),
        (vec!["diagnose", "--format", "xml"], "« xml »"),
        (vec!["lookup", "--lon", "est", "--lat", "49"], "« est »"),
        (
            vec!["lookup", "--lon", "est", "--lat", "49"],
            "nombre attendu",
        ),
        (vec!["serve", "--addr", "ici"], "IP:port"),
        (vec!["serve", "--basemap", "ftp://x"], "attendu none, ign"),
        (vec!["lookup", "--lon", "1"], "--lat"),
        (vec![], "sous-commande"),
    ] {
        let (ok, text) = repere(&args);
        assert!(!ok, "{args:?} accepted");
        assert!(text.starts_with("erreur : "), "{args:?}: {text}");
        assert!(text.contains(expected), "{args:?}: {text}");
        assert_french(&text);
    }
}
