//! `repere geocode` on a CSV mixing an indexed address, an address not in the index and a row
//! already placed, against a REAL addok (scripts/addok-fixture.py), and with the geocoder down.
//! The rows are real: a France services and a France Travail agency of Rouen (with the positions
//! their sources give), and the mission locale of Rouen (known by address only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/addok.rs"]
mod addok;

use std::process::Command;

use addok::{Addok, distance_m, france_services};

/// The France Travail agency of Rouen Beauvoisine: `(address, postcode, city, lon, lat)` as its
/// source writes them.
fn france_travail_beauvoisine() -> (String, String, String, String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/actors/employment_services_76.geojson"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let f = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "France Travail - ROUEN BEAUVOISINE")
        .unwrap();
    let p = &f["properties"];
    let c = &f["geometry"]["coordinates"];
    (
        p["address_line_1"].as_str().unwrap().to_owned(),
        p["post_code"].as_str().unwrap().to_owned(),
        p["city"].as_str().unwrap().to_owned(),
        c[0].to_string(),
        c[1].to_string(),
    )
}

fn input_csv(dir: &std::path::Path) -> (std::path::PathBuf, (f64, f64), (String, String)) {
    let (address, postcode, city, lon, lat) = france_services()
        .into_iter()
        .find(|r| r.0 == "8 bis Rue de l'Industrie" && r.2 == "Rouen")
        .unwrap();
    let (ft_address, ft_postcode, ft_city, ft_lon, ft_lat) = france_travail_beauvoisine();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(dir.join("acteurs.csv"))
        .unwrap();
    w.write_record(["nom", "adresse", "code_postal", "commune", "lon", "lat"])
        .unwrap();
    w.write_record([
        "France services Espaces numériques mobiles de Normandie - Antenne de Rouen",
        &address,
        &postcode,
        &city,
        "",
        "",
    ])
    .unwrap();
    // The mission locale of Rouen, as data/actors/missions_locales_76_annuaire_2019.csv has it.
    w.write_record([
        "Mission locale - Rouen",
        "33 avenue Champlain",
        "76038",
        "Rouen Cedex",
        "",
        "",
    ])
    .unwrap();
    w.write_record([
        "France Travail - ROUEN BEAUVOISINE",
        &ft_address,
        &ft_postcode,
        &ft_city,
        &ft_lon,
        &ft_lat,
    ])
    .unwrap();
    w.flush().unwrap();
    (dir.join("acteurs.csv"), (lon, lat), (ft_lon, ft_lat))
}

fn read(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn a_csv_of_actors_gets_placed_unplaced_and_kept_rows() {
    placed_unplaced_and_kept(Addok::start(), "en un lot");
}

#[test]
fn without_the_batch_endpoint_the_rows_go_one_by_one_with_the_same_outcome() {
    placed_unplaced_and_kept(Addok::start_without_csv(), "une à une");
}

fn placed_unplaced_and_kept(addok: Addok, how: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (input, known, (ft_lon, ft_lat)) = input_csv(dir.path());
    let output = dir.path().join("sortie.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .arg("geocode")
        .arg(&input)
        .args(["--geocoder", &addok.url, "--output"])
        .arg(&output)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = read(&output);
    assert_eq!(rows.len(), 3);
    // Indexed: placed at the known position, with its score and label.
    let placed = &rows[0];
    let p = (
        placed["lon"].parse::<f64>().unwrap(),
        placed["lat"].parse::<f64>().unwrap(),
    );
    assert!(distance_m(p, known) < 50.0, "{placed:?}");
    assert!(placed["geocode_score"].parse::<f64>().unwrap() >= 0.7);
    assert!(placed["geocode_label"].contains("Industrie"), "{placed:?}");
    // Not in the index: left unplaced, listed.
    let ml = &rows[1];
    for col in ["lon", "lat", "geocode_score", "geocode_label"] {
        assert_eq!(ml[col], "", "{col}: {ml:?}");
    }
    assert!(
        stdout.contains("ligne 3 : « 33 avenue Champlain 76038 Rouen Cedex »"),
        "{stdout}"
    );
    // Already placed: its coordinates kept as they were, not geocoded.
    let ft = &rows[2];
    assert_eq!(
        (ft["lon"].as_str(), ft["lat"].as_str()),
        (ft_lon.as_str(), ft_lat.as_str())
    );
    assert_eq!(ft["geocode_score"], "");
    assert!(
        stdout.contains("3 lignes géocodées")
            && stdout.contains("1 placées, 1 déjà placées (coordonnées gardées), 1 non placées"),
        "{stdout}"
    );
    assert!(stdout.contains(how), "{stdout}");
}

#[test]
fn a_geocoder_that_is_down_is_a_french_error_and_nothing_is_placed() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _, _) = input_csv(dir.path());
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let output = dir.path().join("sortie.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .arg("geocode")
        .arg(&input)
        .args(["--geocoder", &url, "--output"])
        .arg(&output)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("le géocodeur") && stderr.contains("ne répond pas"),
        "{stderr}"
    );
    assert!(
        !output.exists(),
        "nothing is written when the geocoder is down"
    );
}

#[path = "common/binary.rs"]
mod binary;

/// `repere serve` on a copy of the default territory whose manifest has `extra` appended; the
/// lines it prints before serving (or its error).
fn serve_with_manifest(extra: &str) -> (bool, String) {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let manifest = binary::territory_copy(dir.path());
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n{extra}\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_repere"))
        .arg("--territory")
        .arg(&manifest)
        .args(["serve", "--addr", "127.0.0.1:0", "--basemap", "none"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = String::new();
    let mut served = false;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        served |= line.contains("servi sur");
        if line.contains("recherche d'adresse") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    (served, seen)
}

#[test]
fn the_manifest_names_the_geocoder_of_the_server() {
    let (served, log) = serve_with_manifest("[geocoder]\nurl = \"http://127.0.0.1:7878\"");
    assert!(served, "{log}");
    assert!(
        log.contains("recherche d'adresse par le géocodeur http://127.0.0.1:7878"),
        "{log}"
    );
    let (served, log) = serve_with_manifest("[geocoder]\nurl = \"127.0.0.1:7878\"");
    assert!(!served, "{log}");
    assert!(
        log.contains("manifeste du territoire, [geocoder] url : adresse de géocodeur « 127.0.0.1:7878 » non valide"),
        "{log}"
    );
}
