//! From a selection (EPCI, département, communes) to a members CSV and a manifest.

use crate::csv_cell::csv_field;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::national::error::NationalError;
use crate::national::files::NationalFiles;

/// Which communes the territory has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The member communes of an EPCI (SIREN).
    Epci(String),
    /// The current communes of a département (`76`, `2A`, `974`).
    Departement(String),
    /// INSEE codes of current communes.
    Communes(Vec<String>),
}

impl Selection {
    /// As written on the command line, for messages.
    pub fn describe(&self) -> String {
        match self {
            Selection::Epci(s) => format!("l'EPCI {s}"),
            Selection::Departement(d) => format!("le département {d}"),
            Selection::Communes(c) => format!("la liste de communes {}", c.join(",")),
        }
    }
}

/// What `territory new` wrote.
#[derive(Debug, Clone)]
pub struct NewTerritory {
    /// The manifest (`<out>/territory.toml`).
    pub manifest: PathBuf,
    /// Territory name.
    pub name: String,
    /// Member communes written (with a polygon).
    pub members: usize,
    /// Of them, communes whose polygon is the union of 2018 polygons of merged communes.
    pub merged: Vec<String>,
    /// Communes of the selection left out for want of any polygon (code and name).
    pub without_polygon: Vec<String>,
}

struct Member {
    code: String,
    name: String,
    population: Option<u64>,
}

/// Writes `<out>/membres.csv` and `<out>/territory.toml` for a selection.
///
/// # Errors
/// [`NationalError`]: a national file missing or unreadable, an unknown SIREN, département or
/// commune, a selection none of whose communes has a polygon, an unwritable output folder.
pub fn new_territory(
    files: &NationalFiles,
    selection: &Selection,
    out: &Path,
) -> Result<NewTerritory, NationalError> {
    let communes = files.communes()?;
    let (name, epci, members): (String, Option<String>, Vec<Member>) = match selection {
        Selection::Epci(siren) => {
            let epcis = files.epcis()?;
            let e = epcis
                .into_iter()
                .find(|e| e.code == siren.trim())
                .ok_or_else(|| NationalError::UnknownEpci {
                    siren: siren.clone(),
                    path: files.epci_records.clone(),
                })?;
            let members = e
                .membres
                .into_iter()
                .map(|m| Member {
                    code: m.code,
                    name: m.nom,
                    population: m.population,
                })
                .collect();
            (e.nom, Some(e.code), members)
        }
        Selection::Departement(code) => {
            let code = code.trim().to_ascii_uppercase();
            let members: Vec<Member> = communes
                .values()
                .filter(|c| c.departement.as_deref() == Some(code.as_str()))
                .map(|c| Member {
                    code: c.code.clone(),
                    name: c.nom.clone(),
                    population: c.population,
                })
                .collect();
            if members.is_empty() {
                return Err(NationalError::UnknownDepartement {
                    code,
                    path: files.communes_records.clone(),
                });
            }
            (format!("Département {code}"), None, members)
        }
        Selection::Communes(codes) => {
            if codes.is_empty() {
                return Err(NationalError::EmptySelection);
            }
            let mut members = Vec::new();
            for code in codes {
                let c = communes
                    .get(code.trim())
                    .ok_or_else(|| NationalError::UnknownCommune {
                        code: code.clone(),
                        path: files.communes_records.clone(),
                    })?;
                members.push(Member {
                    code: c.code.clone(),
                    name: c.nom.clone(),
                    population: c.population,
                });
            }
            let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
            (format!("Communes {}", names.join(", ")), None, members)
        }
    };

    let polygons = files.polygon_codes()?;
    let mut kept = Vec::new();
    let mut merged = Vec::new();
    let mut without_polygon = Vec::new();
    for m in members {
        let former: Vec<&String> = communes
            .get(&m.code)
            .map(|c| c.anciens_codes.iter().collect())
            .unwrap_or_default();
        let own = polygons.contains(&m.code);
        let old = former
            .iter()
            .filter(|c| **c != &m.code && polygons.contains(**c))
            .count();
        if !own && old == 0 {
            without_polygon.push(format!("{} ({})", m.code, m.name));
            continue;
        }
        if old > 0 {
            merged.push(format!("{} ({})", m.code, m.name));
        }
        kept.push(m);
    }
    if kept.is_empty() {
        return Err(NationalError::NoPolygon {
            selection: selection.describe(),
            count: without_polygon.len(),
            path: files.communes_geojson.clone(),
        });
    }
    kept.sort_by(|a, b| a.code.cmp(&b.code));
    let departements: BTreeSet<&str> = kept
        .iter()
        .filter_map(|m| communes.get(&m.code)?.departement.as_deref())
        .collect();

    std::fs::create_dir_all(out).map_err(|e| NationalError::Write {
        path: out.to_path_buf(),
        message: crate::text::io_error_fr(&e),
    })?;
    let members_csv = out.join("membres.csv");
    let mut csv = String::from("code_insee,nom,population_municipale\n");
    for m in &kept {
        let _ = writeln!(
            csv,
            "{},{},{}",
            m.code,
            csv_field(&m.name),
            m.population.map(|p| p.to_string()).unwrap_or_default()
        );
    }
    write(&members_csv, &csv)?;

    let manifest = out.join("territory.toml");
    let text = manifest_text(
        files,
        selection,
        &name,
        epci.as_deref(),
        (departements.len() == 1)
            .then(|| departements.first().copied())
            .flatten(),
        &without_polygon,
    );
    write(&manifest, &text)?;
    Ok(NewTerritory {
        manifest,
        name,
        members: kept.len(),
        merged,
        without_polygon,
    })
}

fn write(path: &Path, text: &str) -> Result<(), NationalError> {
    std::fs::write(path, text).map_err(|e| NationalError::Write {
        path: path.to_path_buf(),
        message: crate::text::io_error_fr(&e),
    })
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn p(path: &Path) -> String {
    q(&path.display().to_string())
}

fn manifest_text(
    files: &NationalFiles,
    selection: &Selection,
    name: &str,
    epci: Option<&str>,
    departement: Option<&str>,
    without_polygon: &[String],
) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Manifeste de territoire écrit par `repere territory new` pour {} d'après les fichiers nationaux.",
        match selection {
            Selection::Epci(s) => format!("--epci {s}"),
            Selection::Departement(d) => format!("--departement {d}"),
            Selection::Communes(c) => format!("--communes {}", c.join(",")),
        }
    );
    t.push_str(
        "# Un manifeste ordinaire : modifiez-le librement (README, « Your own territory »). Les chemins\n\
         # sont absolus ou relatifs à ce fichier. Les contours 2018 des communes fusionnées depuis sont\n\
         # réunis dans leur commune 2026 au chargement (anciensCodes des enregistrements) ; les codes\n\
         # sans correspondance sont listés par `repere check`.\n",
    );
    if !without_polygon.is_empty() {
        let _ = writeln!(
            t,
            "# Laissées de côté, sans contour dans le fichier des contours : {}",
            without_polygon.join(", ")
        );
    }
    let _ = writeln!(t, "\n[territory]\nname = {}", q(name));
    if let Some(e) = epci {
        let _ = writeln!(t, "epci = {}", q(e));
    }
    if let Some(d) = departement {
        let _ = writeln!(t, "departement = {}", q(d));
    }
    t.push_str("margin_m = 10000\n\n[communes]\n");
    let _ = writeln!(
        t,
        "boundaries = {{ file = {}, code = \"code\", name = \"nom\" }}",
        p(&files.communes_geojson)
    );
    t.push_str("members = { file = \"membres.csv\", code = \"code_insee\", name = \"nom\", population = \"population_municipale\" }\npopulation_vintage = 2026\n");
    let _ = writeln!(t, "records = {}", p(&files.communes_records));
    let _ = writeln!(
        t,
        "\n# QPV 2015 officiels de France métropolitaine (Lambert-93 ; COMMUNE_QP liste les communes).\n\
         [[qpv]]\nfile = {}\nformat = \"shapefile\"\nvintage = 2015\ncode = \"CODE_QP\"\nname = \"NOM_QP\"\ncommunes = \"COMMUNE_QP\"",
        p(&files.qpv2015)
    );
    let _ = writeln!(
        t,
        "\n# Sites France Travail (2019) : seules les agences ouvertes au public (TYPE_SITE = ALE) sont des\n\
         # acteurs ; les directions DDA/DRA ne reçoivent pas de public et restent hors des mesures d'accès.\n\
         [[actors]]\nsource = \"france_travail\"\nlabel = \"Sites France Travail (référentiel Pôle emploi 2019)\"\n\
         file = {}\nformat = \"csv\"\nid = \"REFERENCE_PE\"\nname = \"NOM\"\nkind = {{ fixed = \"FT\" }}\n\
         address = [\"ADRESSE\", \"CODE_POSTAL\", \"COMMUNE\"]\nlon = \"DN_LONGITUDE\"\nlat = \"DN_LATITUDE\"\n\
         keep_only = {{ field = \"TYPE_SITE\", values = [\"ALE\"], reason = \"TYPE_SITE n'est pas ALE (directions DDA/DRA, qui ne reçoivent pas de public)\" }}",
        p(&files.france_travail)
    );
    t
}
