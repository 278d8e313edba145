//! An addok-compatible geocoder (the engine behind the Base Adresse Nationale's API), reached
//! over HTTP(S): `GET /search`, `GET /reverse` and, when the instance has the addok-csv plugin,
//! `POST /search/csv` for batches.
//!
//! Off by default: `repere serve --geocoder URL` (or `[geocoder] url` in the manifest) turns it on,
//! and the server proxies the page's calls ([`crate::routes::geocode`]) so that the page keeps one
//! origin. What leaves the server is only the typed text and the territory's centre as a bias
//! (`lat`/`lon`), or the clicked point for a reverse lookup: nothing of the user, the session or the
//! actors. Answers are cached (bounded, [`CACHE_ENTRIES`]) and each client address is rate limited
//! ([`RateLimiter`]).
//!
//! Scores: addok scores a result between 0 and 1. Below [`MIN_SCORE`] a result is not an answer
//! (it is dropped: nothing is ever placed at a guess); below [`APPROXIMATE_BELOW`] it is kept but
//! flagged `approximate` ("adresse approximative" on the page and in `repere geocode`).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

/// Below this addok score a result is dropped: not found rather than placed at a guess.
pub const MIN_SCORE: f64 = 0.5;
/// Below this addok score a kept result is flagged `approximate` ("adresse approximative").
pub const APPROXIMATE_BELOW: f64 = 0.7;
/// How long the geocoder has to answer one call.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// Answers kept in memory (oldest dropped first).
pub const CACHE_ENTRIES: usize = 2048;
/// The longest text sent to the geocoder, in characters (addok's own limit is 200).
pub const MAX_QUERY_CHARS: usize = 200;
/// The largest answer read from the geocoder.
const MAX_ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// The geocoder's base address: `http(s)://host[:port][/path]`, without query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeocoderUrl(String);

impl GeocoderUrl {
    /// The base address, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for GeocoderUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let rest = s
            .strip_prefix("http://")
            .or_else(|| s.strip_prefix("https://"))
            .ok_or_else(|| {
                format!(
                    "adresse de géocodeur « {s} » non valide : elle commence par http:// ou https:// \
                     (par exemple http://127.0.0.1:7878 pour un addok local)"
                )
            })?;
        if rest.is_empty() || rest.starts_with('/') || s.contains(['?', '#', ' ']) {
            return Err(format!(
                "adresse de géocodeur « {s} » non valide : un hôte est attendu, sans paramètres \
                 (par exemple https://api-adresse.data.gouv.fr)"
            ));
        }
        Ok(Self(s.trim_end_matches('/').to_owned()))
    }
}

/// One result of the geocoder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The address as the geocoder writes it.
    pub label: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// addok's score, 0 to 1.
    pub score: f64,
    /// addok's type: `housenumber`, `street`, `locality`, `municipality`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The score is below [`APPROXIMATE_BELOW`].
    pub approximate: bool,
}

/// Why the geocoder gave no answer (French, for the page and the command line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeocoderError {
    /// Unreachable, too slow, or answering with an error status.
    #[error("le géocodeur ({url}) ne répond pas : {cause}")]
    Unavailable {
        /// The geocoder's base address.
        url: String,
        /// What happened, in French.
        cause: String,
    },
    /// It answered something that is not an addok answer.
    #[error("le géocodeur ({url}) a donné une réponse illisible : {cause}")]
    BadAnswer {
        /// The geocoder's base address.
        url: String,
        /// What is wrong, in French.
        cause: String,
    },
}

/// The WGS84 box results must fall in: `[west, south, east, north]`.
pub type BoxWgs84 = [f64; 4];

/// Whether `(lon, lat)` is inside `extent`.
pub fn within(extent: &BoxWgs84, lon: f64, lat: f64) -> bool {
    lon >= extent[0] && lon <= extent[2] && lat >= extent[1] && lat <= extent[3]
}

/// An addok-compatible geocoder with a bounded cache of answers.
pub struct Geocoder {
    url: GeocoderUrl,
    agent: ureq::Agent,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Geocoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Geocoder").field("url", &self.url).finish()
    }
}

#[derive(Default)]
struct Cache {
    answers: HashMap<String, Vec<Candidate>>,
    order: VecDeque<String>,
}

impl Cache {
    fn get(&self, key: &str) -> Option<Vec<Candidate>> {
        self.answers.get(key).cloned()
    }
    fn put(&mut self, key: String, value: Vec<Candidate>) {
        if self.answers.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > CACHE_ENTRIES {
            if let Some(old) = self.order.pop_front() {
                self.answers.remove(&old);
            }
        }
    }
}

impl Geocoder {
    /// A geocoder at `url`, each call bounded by `timeout`.
    pub fn new(url: GeocoderUrl, timeout: Duration) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(timeout)
            .user_agent(concat!("repere/", env!("CARGO_PKG_VERSION")))
            .build();
        Self {
            url,
            agent,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Its base address.
    pub fn url(&self) -> &GeocoderUrl {
        &self.url
    }

    fn unavailable(&self, cause: impl Into<String>) -> GeocoderError {
        GeocoderError::Unavailable {
            url: self.url.0.clone(),
            cause: cause.into(),
        }
    }

    fn bad_answer(&self, cause: impl Into<String>) -> GeocoderError {
        GeocoderError::BadAnswer {
            url: self.url.0.clone(),
            cause: cause.into(),
        }
    }

    fn call_error(&self, e: ureq::Error) -> GeocoderError {
        match e {
            ureq::Error::Status(status, _) => {
                self.unavailable(format!("il a répondu avec le statut HTTP {status}"))
            }
            ureq::Error::Transport(t) => self.unavailable(match t.kind() {
                ureq::ErrorKind::Dns => "son nom d'hôte est inconnu".to_owned(),
                ureq::ErrorKind::ConnectionFailed => "connexion refusée ou impossible".to_owned(),
                ureq::ErrorKind::Io => {
                    "pas de réponse dans le délai, ou connexion interrompue".to_owned()
                }
                ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => {
                    "son adresse n'est pas valide".to_owned()
                }
                _ => "la connexion a échoué".to_owned(),
            }),
        }
    }

    fn read_json(&self, response: ureq::Response) -> Result<serde_json::Value, GeocoderError> {
        use std::io::Read;
        let mut body = Vec::new();
        response
            .into_reader()
            .take(MAX_ANSWER_BYTES)
            .read_to_end(&mut body)
            .map_err(|_| self.unavailable("la réponse a été interrompue"))?;
        serde_json::from_slice(&body).map_err(|_| self.bad_answer("ce n'est pas du JSON"))
    }

    fn features(&self, answer: &serde_json::Value) -> Result<Vec<Candidate>, GeocoderError> {
        let features = answer["features"]
            .as_array()
            .ok_or_else(|| self.bad_answer("la liste `features` manque"))?;
        features
            .iter()
            .map(|f| {
                let coords = &f["geometry"]["coordinates"];
                let (Some(lon), Some(lat)) = (coords[0].as_f64(), coords[1].as_f64()) else {
                    return Err(self.bad_answer("un résultat n'a pas de coordonnées"));
                };
                let p = &f["properties"];
                let score = p["score"].as_f64().unwrap_or(0.0);
                Ok(Candidate {
                    label: p["label"].as_str().unwrap_or_default().to_owned(),
                    lon,
                    lat,
                    score,
                    kind: p["type"].as_str().unwrap_or_default().to_owned(),
                    approximate: score < APPROXIMATE_BELOW,
                })
            })
            .collect()
    }

    /// Addresses matching `text` (at most `limit`), biased towards `centre` (lon, lat), best
    /// first, as the geocoder scores them (no threshold applied here: see [`answers`]).
    ///
    /// # Errors
    /// [`GeocoderError`] when the geocoder is unreachable, slow or answers badly.
    pub fn search(
        &self,
        text: &str,
        centre: Option<(f64, f64)>,
        limit: usize,
    ) -> Result<Vec<Candidate>, GeocoderError> {
        let text: String = text.trim().chars().take(MAX_QUERY_CHARS).collect();
        let key = format!(
            "s\u{1f}{}\u{1f}{}\u{1f}{:?}",
            text.to_lowercase(),
            limit,
            centre.map(|(x, y)| ((x * 1e4).round(), (y * 1e4).round()))
        );
        if let Some(hit) = self.cached(&key) {
            return Ok(hit);
        }
        let mut request = self
            .agent
            .get(&format!("{}/search/", self.url.0))
            .query("q", &text)
            .query("limit", &limit.clamp(1, 20).to_string());
        if let Some((lon, lat)) = centre {
            request = request
                .query("lon", &format!("{lon:.5}"))
                .query("lat", &format!("{lat:.5}"));
        }
        let answer = request.call().map_err(|e| self.call_error(e))?;
        let found = self.features(&self.read_json(answer)?)?;
        self.remember(key, &found);
        Ok(found)
    }

    /// The addresses nearest to `(lon, lat)`, best first.
    ///
    /// # Errors
    /// [`GeocoderError`] when the geocoder is unreachable, slow or answers badly.
    pub fn reverse(&self, lon: f64, lat: f64) -> Result<Vec<Candidate>, GeocoderError> {
        let key = format!("r\u{1f}{lon:.6}\u{1f}{lat:.6}");
        if let Some(hit) = self.cached(&key) {
            return Ok(hit);
        }
        let answer = self
            .agent
            .get(&format!("{}/reverse/", self.url.0))
            .query("lon", &format!("{lon:.6}"))
            .query("lat", &format!("{lat:.6}"))
            .call()
            .map_err(|e| self.call_error(e))?;
        let found = self.features(&self.read_json(answer)?)?;
        self.remember(key, &found);
        Ok(found)
    }

    /// The best result of each text in one call to addok's `POST /search/csv` (the addok-csv
    /// plugin), in order; `Ok(None)` when the instance has no such endpoint (404 or 405).
    /// Only the texts are sent, one column, nothing else of the rows.
    ///
    /// # Errors
    /// [`GeocoderError`] when the geocoder is unreachable, slow or answers badly.
    pub fn search_csv(
        &self,
        texts: &[String],
        centre: Option<(f64, f64)>,
    ) -> Result<Option<Vec<Option<Candidate>>>, GeocoderError> {
        let write = || -> Result<Vec<u8>, String> {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(Vec::new());
            w.write_record(["q"]).map_err(|e| e.to_string())?;
            for t in texts {
                let t: String = t
                    .chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                    .take(MAX_QUERY_CHARS)
                    .collect();
                w.write_record([t.trim()]).map_err(|e| e.to_string())?;
            }
            w.into_inner().map_err(|e| e.to_string())
        };
        let file = write().map_err(|e| self.bad_answer(format!("écriture du lot : {e}")))?;
        const BOUNDARY: &str = "repere-lot-d-adresses-7f3a9c";
        let mut body = Vec::with_capacity(file.len() + 512);
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"adresses.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&file);
        let mut field = |name: &str, value: &str| {
            body.extend_from_slice(
                format!(
                    "\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}"
                )
                .as_bytes(),
            );
        };
        field("columns", "q");
        field("delimiter", ";");
        field("quote", "\"");
        if let Some((lon, lat)) = centre {
            field("lon", &format!("{lon:.5}"));
            field("lat", &format!("{lat:.5}"));
        }
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let response = match self
            .agent
            .post(&format!("{}/search/csv/", self.url.0))
            .set(
                "Content-Type",
                &format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .send_bytes(&body)
        {
            Ok(r) => r,
            Err(ureq::Error::Status(404 | 405, _)) => return Ok(None),
            Err(e) => return Err(self.call_error(e)),
        };
        let mut text = response
            .into_string()
            .map_err(|_| self.unavailable("la réponse a été interrompue"))?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|_| self.bad_answer("l'en-tête du lot géocodé manque"))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(lat_i), Some(lon_i), Some(label_i), Some(score_i)) = (
            col("latitude"),
            col("longitude"),
            col("result_label"),
            col("result_score"),
        ) else {
            return Err(self.bad_answer(
                "colonnes latitude, longitude, result_label ou result_score absentes",
            ));
        };
        let type_i = col("result_type");
        let mut out = Vec::with_capacity(texts.len());
        for record in reader.records() {
            let record = record.map_err(|_| self.bad_answer("une ligne du lot est illisible"))?;
            let get = |i: usize| record.get(i).unwrap_or_default().trim();
            let parsed = (
                get(lon_i).parse::<f64>(),
                get(lat_i).parse::<f64>(),
                get(score_i).parse::<f64>(),
            );
            out.push(match parsed {
                (Ok(lon), Ok(lat), Ok(score)) => Some(Candidate {
                    label: get(label_i).to_owned(),
                    lon,
                    lat,
                    score,
                    kind: type_i.map(get).unwrap_or_default().to_owned(),
                    approximate: score < APPROXIMATE_BELOW,
                }),
                _ => None,
            });
        }
        if out.len() != texts.len() {
            return Err(self.bad_answer(format!(
                "{} lignes rendues pour {} envoyées",
                out.len(),
                texts.len()
            )));
        }
        Ok(Some(out))
    }

    fn cached(&self, key: &str) -> Option<Vec<Candidate>> {
        self.cache.lock().ok().and_then(|c| c.get(key))
    }

    fn remember(&self, key: String, found: &[Candidate]) {
        if let Ok(mut c) = self.cache.lock() {
            c.put(key, found.to_vec());
        }
    }
}

/// The geocoder's results for `text` that count as answers: score at least [`MIN_SCORE`] and
/// inside `extent` (when given). A text that starts with a house number answered by a street, a
/// locality or a commune (the number was not found) is flagged `approximate` whatever its score.
/// Returns them and how many were dropped for being outside.
pub fn answers(
    text: &str,
    found: Vec<Candidate>,
    extent: Option<&BoxWgs84>,
) -> (Vec<Candidate>, usize) {
    let numbered = text.trim_start().starts_with(|c: char| c.is_ascii_digit());
    let mut outside = 0;
    let kept = found
        .into_iter()
        .filter(|c| c.score >= MIN_SCORE)
        .map(|mut c| {
            c.approximate |= numbered && c.kind != "housenumber";
            c
        })
        .filter(|c| {
            let inside = extent.is_none_or(|e| within(e, c.lon, c.lat));
            if !inside {
                outside += 1;
            }
            inside
        })
        .collect();
    (kept, outside)
}

/// Calls per client address: a bucket of [`RateLimiter::BURST`] calls refilled at
/// [`RateLimiter::PER_SECOND`] a second (typing in the address box calls once a pause).
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<Option<IpAddr>, (f64, Instant)>>,
}

impl RateLimiter {
    /// Calls a client may make at once.
    pub const BURST: f64 = 20.0;
    /// Calls a second it gets back.
    pub const PER_SECOND: f64 = 4.0;
    /// Client addresses remembered (the table is emptied past it).
    const CLIENTS: usize = 10_000;

    /// Whether `client` may call now (and counts the call).
    pub fn allow(&self, client: Option<IpAddr>) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() >= Self::CLIENTS && !buckets.contains_key(&client) {
            buckets.clear();
        }
        let now = Instant::now();
        let (tokens, last) = buckets.entry(client).or_insert((Self::BURST, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * Self::PER_SECOND).min(Self::BURST);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(score: f64, lon: f64) -> Candidate {
        Candidate {
            label: String::new(),
            lon,
            lat: 49.4,
            score,
            kind: "housenumber".into(),
            approximate: score < APPROXIMATE_BELOW,
        }
    }

    #[test]
    fn low_scores_and_points_outside_the_extent_are_not_answers() {
        let extent = [0.8, 49.2, 1.3, 49.6];
        let (kept, outside) = answers(
            "rue",
            vec![
                candidate(0.9, 1.0),
                candidate(0.4, 1.0),
                candidate(0.95, 2.0),
                candidate(0.6, 1.1),
            ],
            Some(&extent),
        );
        assert_eq!(kept.len(), 2);
        assert_eq!(outside, 1);
        assert!(!kept[0].approximate && kept[1].approximate);
    }

    #[test]
    fn a_url_without_scheme_or_with_a_query_is_refused_in_french() {
        assert!(
            "api-adresse.data.gouv.fr"
                .parse::<GeocoderUrl>()
                .unwrap_err()
                .contains("http://")
        );
        assert!("http://x/?q=1".parse::<GeocoderUrl>().is_err());
        assert_eq!(
            "https://api-adresse.data.gouv.fr/"
                .parse::<GeocoderUrl>()
                .unwrap()
                .as_str(),
            "https://api-adresse.data.gouv.fr"
        );
    }

    #[test]
    fn a_client_past_its_burst_waits() {
        let limiter = RateLimiter::default();
        let client = Some(IpAddr::from([127, 0, 0, 1]));
        let allowed = (0..30).filter(|_| limiter.allow(client)).count();
        assert_eq!(allowed, RateLimiter::BURST as usize);
        assert!(limiter.allow(Some(IpAddr::from([127, 0, 0, 2]))));
    }
}
