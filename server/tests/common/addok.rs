//! A real addok for the geocoder tests: `scripts/addok-fixture.py` run with the Python of the
//! virtual environment `scripts/install-geocoder-deps.sh` makes (`target/addok-venv`, or
//! `REPERE_ADDOK_VENV`). It indexes real France services and France Travail addresses from
//! `data/` (never the missions locales) over its own redis-server, serves addok on a free port,
//! and stops (redis included) when [`Addok`] is dropped (its standard input closes).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running addok.
pub struct Addok {
    child: Child,
    /// Its base address (`http://127.0.0.1:PORT`).
    pub url: String,
    /// Documents (streets with house numbers) indexed.
    pub documents: u64,
    /// Milliseconds from start to the first answer (redis, index, HTTP).
    pub setup_ms: u64,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl Addok {
    /// Starts it; panics with the command to run when addok is not installed.
    pub fn start() -> Self {
        Self::start_with(false)
    }

    /// Starts one whose batch endpoint (`POST /search/csv`) answers 404, as an addok without
    /// the addok-csv plugin.
    pub fn start_without_csv() -> Self {
        Self::start_with(true)
    }

    fn start_with(without_csv: bool) -> Self {
        let venv = std::env::var_os("REPERE_ADDOK_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target/addok-venv"));
        let python = venv.join("bin/python");
        assert!(
            python.is_file() && venv.join("bin/addok").is_file(),
            "addok is not installed in {}: run scripts/install-geocoder-deps.sh",
            venv.display()
        );
        let mut command = Command::new(python);
        if without_csv {
            command.env("REPERE_ADDOK_WITHOUT_CSV", "1");
        }
        let mut child = command
            .arg(workspace().join("scripts/addok-fixture.py"))
            .arg(workspace().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let info: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("addok did not start (it said: {line:?})"));
        Self {
            url: info["url"].as_str().unwrap().to_owned(),
            documents: info["documents"].as_u64().unwrap(),
            setup_ms: info["setup_ms"].as_u64().unwrap(),
            child,
        }
    }
}

impl Drop for Addok {
    fn drop(&mut self) {
        // Closing its standard input stops it (and its redis-server) cleanly.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// `(address, postcode, city, lon, lat)` of the France services rows of `data/`, as the source
/// writes them: what the test index holds, with the positions the source gives.
pub fn france_services() -> Vec<(String, String, String, f64, f64)> {
    let path = workspace().join("data/actors/france_services_76_2024.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (a, p, c, lon, lat) = (
        col("adresse"),
        col("code_postal"),
        col("lib_com"),
        col("longitude"),
        col("latitude"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[a].to_owned(),
                r[p].to_owned(),
                r[c].to_owned(),
                r[lon].parse().unwrap(),
                r[lat].parse().unwrap(),
            )
        })
        .collect()
}

/// Straight-line distance in metres between two WGS84 points (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0_f64;
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let dla = la2 - la1;
    let dlo = (b.0 - a.0).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}
