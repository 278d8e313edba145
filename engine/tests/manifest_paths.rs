//! A manifest may name any file. Errors never print more of a file than a column list or a
//! 40-character excerpt, and a manifest that arrives from elsewhere (`from_path_confined`) reads
//! nothing outside its folder.

mod common;

use common::SyntheticTerritory;
use repere_engine::Territory;

/// A first line like a password file's, long, with a marker past 40 characters.
const SECRET: &str = "root:x:0:0:root:/root:/bin/bash:SECRET-PART-AFTER-FORTY-CHARACTERS-TAILMARKER\n\
                      daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";

fn secret_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("passwd");
    std::fs::write(&path, SECRET).unwrap();
    (dir, path)
}

fn assert_no_leak(message: &str) {
    assert!(
        !message.contains("TAILMARKER"),
        "file content echoed:\n{message}"
    );
    assert!(
        !message.contains("daemon"),
        "second line echoed:\n{message}"
    );
}

#[test]
fn a_csv_role_pointing_at_an_unrelated_file_does_not_print_it() {
    let t = SyntheticTerritory::new();
    let (_keep, secret) = secret_file();
    let manifest = common::MANIFEST.replace(
        "file = \"neet.csv\"",
        &format!("file = {:?}", secret.display().to_string()),
    );
    t.write("territory.toml", &manifest);
    let message = t.load_error();
    assert!(message.contains("passwd"), "{message}");
    assert!(message.contains("colonne absente"), "{message}");
    assert_no_leak(&message);
    let actors = common::MANIFEST.replace(
        "file = \"actors.csv\"",
        &format!("file = {:?}", secret.display().to_string()),
    );
    t.write("territory.toml", &actors);
    assert_no_leak(&t.load_error());
}

#[test]
fn a_geojson_role_pointing_at_an_unrelated_file_does_not_print_it() {
    let t = SyntheticTerritory::new();
    t.write(
        "qpv.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":"{}","properties":{{}}}}]}}"#,
            SECRET.replace('\n', " ")
        ),
    );
    let message = t.load_error();
    assert!(message.contains("qpv.geojson"), "{message}");
    assert_no_leak(&message);
}

#[test]
fn a_manifest_that_is_not_toml_is_not_printed() {
    let t = SyntheticTerritory::new();
    t.write("territory.toml", SECRET);
    let message = Territory::from_path(&t.manifest()).unwrap_err().to_string();
    assert!(message.contains("territory.toml"), "{message}");
    assert!(message.contains("ligne 1"), "{message}");
    assert_no_leak(&message);
    assert!(!message.contains("root:x"), "{message}");
}

#[test]
fn the_command_line_keeps_absolute_and_parent_paths() {
    let t = SyntheticTerritory::new();
    let sub = t.path("sub");
    std::fs::create_dir(&sub).unwrap();
    let manifest = common::MANIFEST
        .replace("file = \"neet.csv\"", "file = \"../neet.csv\"")
        .replace(
            "file = \"population.csv\"",
            &format!(
                "file = {:?}",
                t.path("population.csv").display().to_string()
            ),
        )
        .replace("\"communes.geojson\"", "\"../communes.geojson\"")
        .replace("\"qpv.geojson\"", "\"../qpv.geojson\"")
        .replace("\"actors.csv\"", "\"../actors.csv\"")
        .replace("\"structures.json\"", "\"../structures.json\"")
        .replace("\"gtfs.zip\"", "\"../gtfs.zip\"");
    std::fs::write(sub.join("territory.toml"), manifest).unwrap();
    let territory = Territory::from_path(&sub.join("territory.toml")).unwrap();
    repere_engine::load::load(&territory).expect("a command-line manifest may use ../ and /");
}

#[test]
fn a_confined_manifest_reads_nothing_outside_its_folder() {
    let t = SyntheticTerritory::new();
    let (_keep, secret) = secret_file();
    // Inside its folder, a confined manifest loads like any other.
    let inside = Territory::from_path_confined(&t.manifest()).unwrap();
    repere_engine::load::load(&inside).expect("files inside the folder are read");

    let cases = [
        (
            format!("file = {:?}", secret.display().to_string()),
            "chemin absolu refusé",
        ),
        ("file = \"../passwd\"".to_owned(), "`..`"),
        ("file = \"sub/../../passwd\"".to_owned(), "`..`"),
    ];
    for (replacement, expected) in cases {
        t.write(
            "territory.toml",
            &common::MANIFEST.replace("file = \"neet.csv\"", &replacement),
        );
        let territory = Territory::from_path_confined(&t.manifest()).unwrap();
        let message = repere_engine::load::load(&territory)
            .unwrap_err()
            .to_string();
        assert!(message.contains(expected), "{replacement}: {message}");
        assert_no_leak(&message);
        assert!(
            !message.contains("colonne absente"),
            "{replacement} was read: {message}"
        );
    }

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, t.path("neet-link.csv")).unwrap();
        t.write(
            "territory.toml",
            &common::MANIFEST.replace("file = \"neet.csv\"", "file = \"neet-link.csv\""),
        );
        let territory = Territory::from_path_confined(&t.manifest()).unwrap();
        let message = repere_engine::load::load(&territory)
            .unwrap_err()
            .to_string();
        assert!(message.contains("lien symbolique"), "{message}");
        assert_no_leak(&message);
    }
}
