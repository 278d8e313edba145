//! A synthetic territory written by code into a temporary folder, for tests that need a second
//! territory or a broken file. Nothing here is real data.

#![allow(dead_code)]

pub mod mutate;

use std::io::Write;
use std::path::{Path, PathBuf};

use repere_engine::{LoadError, LoadReport, Territory};

/// Two square communes side by side (0.1° each) around lon 2.0-2.2, lat 48.0-48.1, one QPV
/// straddling the border, actors as CSV, GeoJSON and data·inclusion JSON, and a small GTFS zip.
pub struct SyntheticTerritory {
    pub dir: tempfile::TempDir,
}

pub const COMMUNES: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"99001","nom":"Synthé-Ouest"},"geometry":{"type":"Polygon","coordinates":[[[2.0,48.0],[2.1,48.0],[2.1,48.1],[2.0,48.1],[2.0,48.0]]]}},
{"type":"Feature","properties":{"code":"99002","nom":"Synthé-Est"},"geometry":{"type":"Polygon","coordinates":[[[2.1,48.0],[2.2,48.0],[2.2,48.1],[2.1,48.1],[2.1,48.0]]]}}
]}"#;

pub const QPV: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"QN09901M","nom":"Quartier synthétique","communes":"Synthé-Ouest, 99002"},"geometry":{"type":"Polygon","coordinates":[[[2.08,48.04],[2.12,48.04],[2.12,48.06],[2.08,48.06],[2.08,48.04]]]}}
]}"#;

pub const ACTORS_CSV: &str = "id;nom;type;lon;lat;insee\n1;Mission locale synthétique;ML;2,05;48,05;99001\n2;Asso synthétique;Association;2.15;48.05;99002\n";

pub const DATA_INCLUSION: &str = r#"[
{"id":"di-1","nom":"Point info jeunesse synthétique","typologie":"PIJ_BIJ","adresse":"1 rue de test","code_postal":"99000","commune":"Synthé-Est","code_insee":"99002","longitude":2.16,"latitude":48.06}
]"#;

pub const POPULATION: &str = "iris;COM;P13_POP;P13_POP1529;P13_POP1824\n990010000;99001;1 000;200,5;80\n990020000;99002;2000;400;150\n";

pub const NEET: &str = "codgeo;libgeo;an;part_non_inseres\n99001;Synthé-Ouest;2013;10,0\n99001;Synthé-Ouest;2018;12,5\n99002;Synthé-Est;2018;20\n";

pub const GTFS_STOPS: &str =
    "stop_id,stop_name,stop_lat,stop_lon\nA,Arrêt A,48.05,2.05\nB,Arrêt B,48.05,2.15\n";
pub const GTFS_ROUTES: &str =
    "route_id,route_short_name,route_long_name,route_type\nR1,1,Ligne synthétique,3\n";
pub const GTFS_TRIPS: &str = "route_id,service_id,trip_id\nR1,S1,T1\n";
pub const GTFS_STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n";
pub const GTFS_CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nS1,1,1,1,1,1,0,0,20240101,20241231\n";

pub const MANIFEST: &str = r#"
[territory]
name = "Territoire synthétique"
margin_m = 5000

[communes]
boundaries = { file = "communes.geojson", code = "code", name = "nom" }

[[qpv]]
file = "qpv.geojson"
vintage = 2024
code = "code"
name = "nom"
communes = "communes"

[[actors]]
source = "local"
file = "actors.csv"
format = "csv"
id = "id"
name = "nom"
kind = { field = "type" }
kind_map = { Association = "ASSO" }
commune = "insee"
lon = "lon"
lat = "lat"

[[actors]]
source = "di"
file = "structures.json"
format = "data-inclusion"

[transport]
gtfs = "gtfs.zip"

[youth]
population_by_age = { file = "population.csv", iris = "iris", commune = "COM", total = "P13_POP", age_15_29 = "P13_POP1529", age_18_24 = "P13_POP1824" }
neet_communes = { file = "neet.csv", code = "codgeo", year = "an", share_pct = "part_non_inseres" }
"#;

impl SyntheticTerritory {
    /// Writes every file; `edit` may then overwrite one to break it.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let t = Self { dir };
        t.write("territory.toml", MANIFEST);
        t.write("communes.geojson", COMMUNES);
        t.write("qpv.geojson", QPV);
        t.write("actors.csv", ACTORS_CSV);
        t.write("structures.json", DATA_INCLUSION);
        t.write("population.csv", POPULATION);
        t.write("neet.csv", NEET);
        t.write_gtfs_zip(true);
        t
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.path(name), content).expect("write fixture");
    }

    pub fn write_gtfs_zip(&self, with_stop_times: bool) {
        let file = std::fs::File::create(self.path("gtfs.zip")).expect("create zip");
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default();
        let mut files = vec![
            ("stops.txt", GTFS_STOPS),
            ("routes.txt", GTFS_ROUTES),
            ("trips.txt", GTFS_TRIPS),
            ("calendar.txt", GTFS_CALENDAR),
        ];
        if with_stop_times {
            files.push(("stop_times.txt", GTFS_STOP_TIMES));
        }
        for (name, content) in files {
            zip.start_file(name, opts).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }

    pub fn manifest(&self) -> PathBuf {
        self.path("territory.toml")
    }

    pub fn load(&self) -> Result<(repere_engine::Dataset, LoadReport), LoadError> {
        repere_engine::load::load(&Territory::from_path(&self.manifest())?)
    }

    /// Loads, expecting failure, and returns the error text.
    pub fn load_error(&self) -> String {
        match self.load() {
            Ok(_) => panic!("the load should have failed"),
            Err(e) => e.to_string(),
        }
    }

    pub fn dir_path(&self) -> &Path {
        self.dir.path()
    }
}

/// The embedded default territory, loaded once per test binary.
pub fn default_dataset() -> &'static repere_engine::Dataset {
    static DS: std::sync::OnceLock<repere_engine::Dataset> = std::sync::OnceLock::new();
    DS.get_or_init(|| {
        repere_engine::load::load(&Territory::default_rouen().expect("embedded manifest"))
            .expect("the default territory loads")
            .0
    })
}

/// Every diagnostic of the default territory with default parameters, computed once.
pub fn default_diagnostics() -> &'static repere_engine::diagnostic::Diagnostics {
    use repere_engine::diagnostic::{DiagnosticParams, Diagnostics};
    static D: std::sync::OnceLock<Diagnostics> = std::sync::OnceLock::new();
    D.get_or_init(|| Diagnostics::compute(default_dataset(), &DiagnosticParams::default()))
}
