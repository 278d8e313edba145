//! `repere geocode FILE --geocoder URL [--columns a,b,c] [--output OUT] [--min-score 0.7]`:
//! places the rows of a CSV of actors or sites known by their address.
//!
//! The output is the input with `lon`, `lat` (added when absent), `geocode_score` and
//! `geocode_label` columns. A row whose `lon` and `lat` are already numbers keeps them (never
//! overwritten). A row is placed only by a result scored at least `--min-score` (default
//! [`repere_server::geocoder::APPROXIMATE_BELOW`], the page's "adresse approximative" threshold),
//! inside the territory's extent, and, when the address starts with a house number, a result at
//! that house number; every other row stays unplaced (empty columns) and is listed. The rows go to
//! the geocoder in one batch through addok's `POST /search/csv` when the instance has it, else one
//! by one; only the address text leaves the machine, with the territory's centre as a bias.
//! A geocoder that is down or answers badly is an error: no output is written.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use repere_engine::Analysis;
use repere_server::geocoder::{self, Candidate, Geocoder, GeocoderUrl};

/// Arguments of `repere geocode`.
#[derive(Debug, Args)]
pub struct GeocodeArgs {
    /// Fichier CSV (séparateur `,` ou `;`) d'acteurs ou de sites, avec des colonnes d'adresse.
    pub file: PathBuf,
    /// Géocodeur compatible addok, par exemple `http://127.0.0.1:7878` ou
    /// `https://api-adresse.data.gouv.fr`.
    #[arg(long)]
    pub geocoder: GeocoderUrl,
    /// Colonnes dont le texte, mis bout à bout, forme l'adresse (par exemple
    /// `adresse,code_postal,commune`). Par défaut : la première colonne d'adresse reconnue
    /// (adresse, address, address_line_1), de code postal (code_postal, postcode, post_code)
    /// et de commune (commune, city, lib_com, ville) présentes.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Fichier écrit ; par défaut, à côté du fichier lu, `<nom>.geocode.csv`.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Score addok (0 à 1) en dessous duquel une ligne reste non placée.
    #[arg(long, default_value_t = geocoder::APPROXIMATE_BELOW)]
    pub min_score: f64,
}

const ADDRESS: &[&str] = &["adresse", "address", "address_line_1"];
const POSTCODE: &[&str] = &["code_postal", "postcode", "post_code", "cp"];
const CITY: &[&str] = &["commune", "city", "lib_com", "ville"];

/// Why a row stays unplaced.
enum Unplaced {
    NoAddress,
    NotFound,
    Outside(Candidate),
    LowScore(Candidate),
    NotTheNumber(Candidate),
}

fn number_fr(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

/// Geocodes the file and writes the output; returns the French summary to print.
///
/// # Errors
/// Unreadable file or columns (naming the file and line), an unknown column, a geocoder that is
/// down or answers badly (nothing written then).
pub fn run(analysis: &Analysis, args: &GeocodeArgs) -> anyhow::Result<String> {
    if !(0.0..=1.0).contains(&args.min_score) {
        anyhow::bail!(
            "--min-score : un score de 0 à 1 est attendu, reçu {}",
            args.min_score
        );
    }
    let name = args.file.display().to_string();
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("lecture impossible de {name}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{name} : le fichier n'est pas en UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut headers = reader
        .headers()
        .with_context(|| format!("{name}, ligne 1 : en-tête illisible"))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let columns: Vec<usize> = if args.columns.is_empty() {
        let found: Vec<usize> = [ADDRESS, POSTCODE, CITY]
            .iter()
            .filter_map(|names| find(names))
            .collect();
        if find(ADDRESS).is_none() {
            anyhow::bail!(
                "{name} : aucune colonne d'adresse reconnue (adresse, address, address_line_1) ; \
                 les nommer avec --columns, par exemple --columns adresse,code_postal,commune"
            );
        }
        found
    } else {
        args.columns
            .iter()
            .map(|c| {
                find(&[c.as_str()]).ok_or_else(|| {
                    anyhow::anyhow!(
                        "{name} : colonne « {c} » absente (colonnes : {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        rows.push(record.with_context(|| format!("{name}, ligne {} : ligne illisible", i + 2))?);
    }
    // Output columns: the input's, then those added.
    let index =
        |h: &str, headers: &mut csv::StringRecord| match headers.iter().position(|x| x.trim() == h)
        {
            Some(i) => i,
            None => {
                headers.push_field(h);
                headers.len() - 1
            }
        };
    let lon_i = index("lon", &mut headers);
    let lat_i = index("lat", &mut headers);
    let score_i = index("geocode_score", &mut headers);
    let label_i = index("geocode_label", &mut headers);
    let width = headers.len();

    let already = |r: &csv::StringRecord| {
        let num = |i: usize| {
            r.get(i)
                .and_then(|v| v.trim().replace(',', ".").parse::<f64>().ok())
                .filter(|v| v.is_finite())
        };
        num(lon_i).is_some() && num(lat_i).is_some()
    };
    let queries: Vec<(usize, String)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !already(r))
        .map(|(i, r)| {
            let q = columns
                .iter()
                .filter_map(|&c| r.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (i, q)
        })
        .collect();

    let extent = analysis
        .dataset()
        .extent_wgs84
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]);
    let centre = extent.map(|e| ((e[0] + e[2]) / 2.0, (e[1] + e[3]) / 2.0));
    let g = Geocoder::new(args.geocoder.clone(), geocoder::TIMEOUT);
    let texts: Vec<String> = queries
        .iter()
        .filter(|(_, q)| !q.is_empty())
        .map(|(_, q)| q.clone())
        .collect();
    let mut best: Vec<Option<Candidate>> = Vec::with_capacity(texts.len());
    let mut batch = false;
    if !texts.is_empty() {
        match g.search_csv(&texts, centre)? {
            Some(found) => {
                batch = true;
                best = found;
            }
            None => {
                for t in &texts {
                    best.push(g.search(t, centre, 1)?.into_iter().next());
                }
            }
        }
    }
    let mut best = best.into_iter();
    let mut placed = 0usize;
    let mut unplaced: Vec<(usize, String, Unplaced)> = Vec::new();
    let mut outcome: Vec<Option<Candidate>> = vec![None; rows.len()];
    for (i, q) in &queries {
        if q.is_empty() {
            unplaced.push((*i, q.clone(), Unplaced::NoAddress));
            continue;
        }
        let Some(found) = best.next().flatten() else {
            unplaced.push((*i, q.clone(), Unplaced::NotFound));
            continue;
        };
        let numbered = q.starts_with(|c: char| c.is_ascii_digit());
        if extent.is_some_and(|e| !geocoder::within(&e, found.lon, found.lat)) {
            unplaced.push((*i, q.clone(), Unplaced::Outside(found)));
        } else if found.score < args.min_score {
            unplaced.push((*i, q.clone(), Unplaced::LowScore(found)));
        } else if numbered && found.kind != "housenumber" {
            unplaced.push((*i, q.clone(), Unplaced::NotTheNumber(found)));
        } else {
            placed += 1;
            outcome[*i] = Some(found);
        }
    }

    let output = args.output.clone().unwrap_or_else(|| {
        let stem = args
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "adresses".to_owned());
        args.file.with_file_name(format!("{stem}.geocode.csv"))
    });
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_path(&output)
        .with_context(|| format!("écriture impossible de {}", output.display()))?;
    writer.write_record(&headers)?;
    for (i, r) in rows.iter().enumerate() {
        let mut fields: Vec<String> = r.iter().map(str::to_owned).collect();
        fields.resize(width, String::new());
        if let Some(c) = &outcome[i] {
            fields[lon_i] = format!("{:.6}", c.lon);
            fields[lat_i] = format!("{:.6}", c.lat);
            fields[score_i] = format!("{:.2}", c.score);
            fields[label_i] = c.label.clone();
        }
        writer.write_record(&fields)?;
    }
    writer
        .flush()
        .with_context(|| format!("écriture impossible de {}", output.display()))?;

    let kept = rows.len() - queries.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} lignes géocodées par {} ({}) : {placed} placées, {kept} déjà placées (coordonnées gardées), {} non placées.",
        rows.len(),
        g.url().as_str(),
        if batch { "en un lot" } else { "une à une" },
        unplaced.len(),
    );
    let _ = writeln!(out, "Écrit : {}", output.display());
    if !unplaced.is_empty() {
        let _ = writeln!(out, "Non placées (à placer à la main) :");
        for (i, q, why) in &unplaced {
            let why = match why {
                Unplaced::NoAddress => "pas d'adresse".to_owned(),
                Unplaced::NotFound => "adresse introuvable".to_owned(),
                Unplaced::Outside(c) => format!("« {} » est hors du territoire", c.label),
                Unplaced::LowScore(c) => format!(
                    "adresse approximative : « {} », score {} sous {}",
                    c.label,
                    number_fr(c.score),
                    number_fr(args.min_score)
                ),
                Unplaced::NotTheNumber(c) => {
                    format!("le numéro n'est pas connu, seulement « {} »", c.label)
                }
            };
            let _ = writeln!(out, "  ligne {} : « {q} » : {why}", i + 2);
        }
    }
    Ok(out)
}
