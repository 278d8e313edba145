//! A strict GTFS reader (folder or zip): one function per file, run in order by `read`; every
//! reference between files is checked, and errors name the file, line and column.
//!
//! What real feeds hold and how it is read:
//! - `agency.txt`: names and `agency_timezone` (one zone per feed, as GTFS requires). Times stay
//!   *service-day seconds* ("noon minus 12 h" of the service date, i.e. midnight except on
//!   daylight-saving days), so the zone is kept for reports, not applied.
//! - `stops.txt`: `location_type` and `parent_station` (an unknown parent is an error; stops of
//!   one station are linked by walking transfers, see [`crate::transit::timetable`]).
//! - `calendar.txt` and/or `calendar_dates.txt`: either alone is enough (many feeds only have
//!   exceptions).
//! - `stop_times.txt`: times past 24:00:00 (trips after midnight of the service day), up to
//!   48:00:00 ([`MAX_TIME_S`]), computed with checked arithmetic; beyond is an error naming the
//!   line and field. Untimed intermediate stops are interpolated linearly by stop order
//!   between the surrounding timepoints (a warning counts them); the first and last stops of a
//!   trip must be timed.
//! - `frequencies.txt`: every headway trip is expanded into one trip per departure
//!   (`start_time`, `start_time + headway_secs`, … before `end_time`), its stop times shifted
//!   from the template's; `exact_times` 0 and 1 are expanded alike (for 0 the feed only promises
//!   the headway, so the expanded departures are one plausible schedule).
//! - `transfers.txt`: stop-to-stop types 0-3 (a station stands for each of its stops); in-seat
//!   types 4 and 5 are skipped with a warning; rows between trips or routes without stops are
//!   not used.
//!
//! [`load`] reads a territory's feed in Lambert-93; [`read_feed`] reads any feed on its own, in
//! a local metric frame (see [`crate::model::frame`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use geo::{Point, Rect};

use crate::crs::Lambert93;
use crate::data_root::DataRoot;
use crate::geometry::{ExtentError, check_lon_lat, extent_check};
use crate::manifest::Territory;
use crate::model::frame::LocalFrame;
use crate::model::transport::{
    Calendar, CalendarDate, Route, Stop, StopTime, Transfer, Transport, Trip,
};
use crate::problem::{LoadError, Problem, Problems};
use crate::tabular::{Table, TableRow};

/// The latest GTFS time accepted: 48:00:00, in seconds (trips of a service day may run past
/// midnight, not for a second day).
pub const MAX_TIME_S: u32 = 48 * 3600;

/// Most stop times a feed may hold once frequencies are expanded (guards memory).
const MAX_STOP_TIMES: usize = 20_000_000;

/// The files read, in reading order.
const FILES: [&str; 9] = [
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "trips.txt",
    "stop_times.txt",
    "frequencies.txt",
    "transfers.txt",
];

/// A GTFS time that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not `H:MM:SS`.
    #[error("heure GTFS invalide (H:MM:SS attendu) : {0:?}")]
    Format(String),
    /// Beyond 48:00:00 (or too large to compute).
    #[error("heure GTFS au-delà de 48:00:00 : {0:?}")]
    BeyondLimit(String),
}

/// Parses a GTFS time `H:MM:SS` (hours may exceed 23, up to 48:00:00) into seconds.
///
/// # Examples
/// ```
/// use repere_engine::load::gtfs::{parse_time, TimeError};
/// assert_eq!(parse_time("25:01:02"), Ok(90062));
/// assert!(matches!(parse_time("7h30"), Err(TimeError::Format(_))));
/// assert!(matches!(parse_time("1193047:00:00"), Err(TimeError::BeyondLimit(_))));
/// ```
///
/// # Errors
/// [`TimeError::Format`] when it is not a GTFS time, [`TimeError::BeyondLimit`] past 48:00:00.
pub fn parse_time(text: &str) -> Result<u32, TimeError> {
    let t = text.trim();
    let bad = || TimeError::Format(text.to_owned());
    let beyond = || TimeError::BeyondLimit(text.to_owned());
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    if parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(bad());
    }
    // Digits only: a parse failure is an overflow.
    let h: u32 = parts[0].parse().map_err(|_| beyond())?;
    let (m, s): (u32, u32) = (
        parts[1].parse().map_err(|_| bad())?,
        parts[2].parse().map_err(|_| bad())?,
    );
    if m >= 60 || s >= 60 {
        return Err(bad());
    }
    let total = h
        .checked_mul(3600)
        .and_then(|v| v.checked_add(m * 60 + s))
        .ok_or_else(beyond)?;
    if total > MAX_TIME_S {
        return Err(beyond());
    }
    Ok(total)
}

/// `HH:MM:SS` of service-day seconds.
fn hms(s: u32) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The files of a feed, read into memory.
struct Feed {
    name: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl Feed {
    fn open(root: &DataRoot, path: &str) -> Result<Self, Problem> {
        let name = root.display(path);
        let mut files = BTreeMap::new();
        if root.is_dir(path) {
            for n in FILES {
                let rel = format!("{}/{n}", path.trim_end_matches('/'));
                if root.is_file(&rel) {
                    files.insert(n.to_owned(), root.read(&rel)?);
                }
            }
        } else {
            let bytes = root.read(path)?;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
                Problem::file(&name, format!("ni un dossier GTFS ni un zip lisible : {e}"))
            })?;
            for i in 0..zip.len() {
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| Problem::file(&name, format!("entrée du zip illisible : {e}")))?;
                let entry_name = entry
                    .name()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                if FILES.contains(&entry_name.as_str()) {
                    let mut buf = Vec::new();
                    entry.read_to_end(&mut buf).map_err(|e| {
                        Problem::file(
                            &name,
                            format!("impossible de décompresser {entry_name} : {e}"),
                        )
                    })?;
                    files.insert(entry_name, buf);
                }
            }
        }
        Ok(Self { name, files })
    }

    fn table(&self, file: &str) -> Option<Result<Table, Problem>> {
        self.files
            .get(file)
            .map(|b| Table::parse(&format!("{}/{file}", self.name), b))
    }
}

/// Where stops are placed in planar metres.
#[derive(Debug, Clone, Copy)]
enum Placement<'a> {
    /// Lambert-93, and lon/lat that look swapped against the territory's extent are errors.
    Territory {
        l93: &'a Lambert93,
        extent: &'a Rect,
    },
    /// A local frame centred on the feed's stops.
    Local,
}

/// A stop time as read, before interpolation of untimed stops.
struct RawStopTime {
    trip: usize,
    stop: usize,
    sequence: u32,
    /// (arrival, departure), `None` for an untimed stop.
    times: Option<(u32, u32)>,
    line: usize,
}

/// The state of a read: the feed being built, indices by id, and the problems found.
struct Reader<'a> {
    feed_name: String,
    placement: Placement<'a>,
    tr: Transport,
    routes: HashMap<String, usize>,
    trips: HashMap<String, usize>,
    services: HashSet<String>,
    problems: &'a mut Problems,
}

/// A reading step: one GTFS file into the feed.
type Step = fn(&mut Reader<'_>, &Table) -> Result<(), Problem>;

/// The steps, in order (a file may refer only to files read before it).
const STEPS: [(&str, bool, Step); 9] = [
    ("agency.txt", false, read_agency),
    ("stops.txt", true, read_stops),
    ("routes.txt", true, read_routes),
    ("calendar.txt", false, read_calendar),
    ("calendar_dates.txt", false, read_calendar_dates),
    ("trips.txt", true, read_trips),
    ("stop_times.txt", false, read_stop_times),
    ("frequencies.txt", false, read_frequencies),
    ("transfers.txt", false, read_transfers),
];

fn parse_date(row: &TableRow<'_>, col: usize) -> Result<u32, Problem> {
    let t = row.text(col);
    let ok = t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit());
    let d: u32 = if ok { t.parse().unwrap_or(0) } else { 0 };
    if !ok || crate::date::days_from_date(d).is_none() {
        return Err(row.problem(
            col,
            format!("date GTFS invalide (AAAAMMJJ attendu) : {t:?}"),
        ));
    }
    Ok(d)
}

fn int<T: std::str::FromStr>(
    row: &TableRow<'_>,
    col: usize,
    default: Option<T>,
) -> Result<T, Problem> {
    let t = row.text(col);
    if t.is_empty() {
        return default.ok_or_else(|| row.problem(col, "valeur manquante"));
    }
    t.parse()
        .map_err(|_| row.problem(col, format!("entier attendu : {t:?}")))
}

fn time(row: &TableRow<'_>, col: usize) -> Result<u32, Problem> {
    parse_time(row.text(col)).map_err(|e| row.problem(col, e.to_string()))
}

/// Loads the feed named by `[transport]` (stops in Lambert-93). Errors go to `problems`; `None`
/// when the feed failed.
pub fn load(
    t: &Territory,
    path: &str,
    extent: &Rect,
    l93: &Lambert93,
    problems: &mut Problems,
) -> Option<Transport> {
    match read(
        &t.root,
        path,
        Placement::Territory { l93, extent },
        problems,
    ) {
        Ok(tr) if !problems.has_errors() => Some(tr),
        Ok(_) => None,
        Err(p) => {
            problems.error(p);
            None
        }
    }
}

/// Reads any GTFS feed (folder or zip) on its own, stops in a local metric frame centred on
/// them; returns the feed and the warnings.
///
/// # Errors
/// [`LoadError::Invalid`] listing every problem found (file, line, field): nothing of a bad
/// feed is kept.
pub fn read_feed(path: &Path) -> Result<(Transport, Vec<Problem>), LoadError> {
    let (root, rel) = match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => (
            DataRoot::Disk(if dir.as_os_str().is_empty() {
                Path::new(".").to_path_buf()
            } else {
                dir.to_path_buf()
            }),
            name.to_string_lossy().into_owned(),
        ),
        _ => (DataRoot::Disk(path.to_path_buf()), ".".to_owned()),
    };
    let mut problems = Problems::default();
    let result = read(&root, &rel, Placement::Local, &mut problems);
    let (mut errors, warnings) = problems.into_parts();
    match result {
        Ok(tr) if errors.is_empty() => Ok((tr, warnings)),
        Ok(_) => Err(LoadError::Invalid(errors)),
        Err(p) => {
            errors.push(p);
            Err(LoadError::Invalid(errors))
        }
    }
}

/// Reads every file of the feed in order (see `STEPS`). A problem that stops the read (a
/// missing file or column) is the error; others go to `problems`.
fn read(
    root: &DataRoot,
    path: &str,
    placement: Placement<'_>,
    problems: &mut Problems,
) -> Result<Transport, Problem> {
    let feed = Feed::open(root, path)?;
    let mut r = Reader {
        feed_name: feed.name.clone(),
        placement,
        tr: Transport::default(),
        routes: HashMap::new(),
        trips: HashMap::new(),
        services: HashSet::new(),
        problems,
    };
    for (file, required, step) in STEPS {
        match feed.table(file) {
            Some(table) => step(&mut r, &table?)?,
            None if required => {
                return Err(Problem::file(
                    format!("{}/{file}", feed.name),
                    "fichier GTFS obligatoire absent",
                ));
            }
            None => {}
        }
        if file == "calendar_dates.txt"
            && !feed.files.contains_key("calendar.txt")
            && !feed.files.contains_key("calendar_dates.txt")
        {
            return Err(Problem::file(
                &feed.name,
                "le GTFS n'a ni calendar.txt ni calendar_dates.txt",
            ));
        }
    }
    Ok(r.tr)
}

fn read_agency(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let name_c = table.column("agency_name")?;
    let tz_c = table.optional_column("agency_timezone");
    for row in table.rows() {
        r.tr.agencies.push(row.text(name_c).to_owned());
        let Some(c) = tz_c else { continue };
        let tz = row.text(c);
        if tz.is_empty() {
            continue;
        }
        if !is_iana_zone_name(tz) {
            r.problems.error(row.problem(
                c,
                format!("fuseau horaire inconnu {tz:?} : attendu un nom de la base IANA tel que \"Europe/Paris\""),
            ));
            continue;
        }
        match &r.tr.timezone {
            None => r.tr.timezone = Some(tz.to_owned()),
            Some(first) if first != tz => r.problems.error(row.problem(
                c,
                format!("fuseau horaire {tz:?} différent de celui de la première agence ({first:?}) : un GTFS n'a qu'un fuseau"),
            )),
            Some(_) => {}
        }
    }
    Ok(())
}

/// Whether a text has the form of an IANA time zone name: `UTC`, or a known area (`Europe`,
/// `America`, …) then `/` and a location of letters, digits, `_`, `-` or `+` (`Europe/Paris`,
/// `America/Argentina/Buenos_Aires`, `Etc/GMT+1`).
fn is_iana_zone_name(tz: &str) -> bool {
    const AREAS: [&str; 11] = [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ];
    if tz == "UTC" {
        return true;
    }
    let Some((area, location)) = tz.split_once('/') else {
        return false;
    };
    AREAS.contains(&area)
        && location.split('/').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || area == "Etc")
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// A stop row as read, before placement in planar metres.
struct StopRow {
    stop: Stop,
    line: usize,
}

fn read_stops(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (id_c, name_c, lat_c, lon_c) = (
        table.column("stop_id")?,
        table.column("stop_name")?,
        table.column("stop_lat")?,
        table.column("stop_lon")?,
    );
    let (lt_c, parent_c) = (
        table.optional_column("location_type"),
        table.optional_column("parent_station"),
    );
    let mut rows: Vec<StopRow> = Vec::with_capacity(table.len());
    for row in table.rows() {
        let id = row.text(id_c).to_owned();
        if id.is_empty() {
            r.problems.error(row.problem(id_c, "stop_id manquant"));
            continue;
        }
        let location_type: u8 = match lt_c.map(|c| int(&row, c, Some(0))).transpose() {
            Ok(v) => v.unwrap_or(0),
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        let coords = (row.number(lon_c), row.number(lat_c));
        let (lon, lat) = match coords {
            (Ok(Some(lon)), Ok(Some(lat))) => (lon, lat),
            // Generic nodes and boarding areas may have no coordinates.
            (Ok(None), Ok(None)) if location_type >= 3 => continue,
            (Err(p), _) | (_, Err(p)) => {
                r.problems.error(p);
                continue;
            }
            (Ok(None), _) => {
                r.problems.error(row.problem(lon_c, "coordonnée manquante"));
                continue;
            }
            (_, Ok(None)) => {
                r.problems.error(row.problem(lat_c, "coordonnée manquante"));
                continue;
            }
        };
        let c = match check_lon_lat(lon, lat) {
            Ok(c) => c,
            Err(m) => {
                r.problems.error(row.problem(lat_c, m));
                continue;
            }
        };
        if let Placement::Territory { extent, .. } = r.placement
            && let Err(e @ ExtentError::Swapped(_)) = extent_check(c, extent)
        {
            r.problems.error(row.problem(lat_c, e.to_string()));
            continue;
        }
        rows.push(StopRow {
            stop: Stop {
                id,
                name: row.text(name_c).to_owned(),
                location_type,
                parent_station: parent_c
                    .map(|c| row.text(c).to_owned())
                    .filter(|s| !s.is_empty()),
                point_wgs84: Point(c),
                point_m: Point(c),
            },
            line: row.line,
        });
    }
    let local = match r.placement {
        Placement::Local => {
            let pts: Vec<Point> = rows.iter().map(|s| s.stop.point_wgs84).collect();
            let f = LocalFrame::around(&pts);
            r.tr.frame = f.frame();
            Some(f)
        }
        Placement::Territory { .. } => None,
    };
    let stops_file = format!("{}/stops.txt", r.feed_name);
    for StopRow { mut stop, line } in rows {
        let at = |field: &str, m: String| {
            Problem::at(&stops_file, crate::Location::Line(line), Some(field), m)
        };
        stop.point_m = match (r.placement, &local) {
            (_, Some(f)) => f.to_m(stop.point_wgs84),
            (Placement::Territory { l93, .. }, None) => {
                match l93.point_from_wgs84(stop.point_wgs84) {
                    Ok(p) => p,
                    Err(m) => {
                        r.problems.error(at(
                            "stop_lat",
                            format!("projection en Lambert-93 impossible : {m}"),
                        ));
                        continue;
                    }
                }
            }
            (Placement::Local, None) => stop.point_wgs84,
        };
        if r.tr.stop_index.contains_key(&stop.id) {
            r.problems
                .error(at("stop_id", format!("stop_id {} en double", stop.id)));
            continue;
        }
        r.tr.stop_index.insert(stop.id.clone(), r.tr.stops.len());
        r.tr.stops.push(stop);
    }
    // Parent stations must exist.
    for s in &r.tr.stops {
        if let Some(p) = &s.parent_station
            && !r.tr.stop_index.contains_key(p)
        {
            r.problems.error(Problem::at(
                &stops_file,
                crate::Location::Record(s.id.clone()),
                Some("parent_station"),
                format!("station parente inconnue : {p:?}"),
            ));
        }
    }
    Ok(())
}

fn read_routes(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (rid_c, rtype_c) = (table.column("route_id")?, table.column("route_type")?);
    let (short_c, long_c) = (
        table.optional_column("route_short_name"),
        table.optional_column("route_long_name"),
    );
    for row in table.rows() {
        let id = row.text(rid_c).to_owned();
        let route_type = match int(&row, rtype_c, None) {
            Ok(v) => v,
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        if r.routes.insert(id.clone(), r.tr.routes.len()).is_some() {
            r.problems
                .error(row.problem(rid_c, format!("route_id {id} en double")));
            continue;
        }
        r.tr.routes.push(Route {
            id,
            short_name: short_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
            long_name: long_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
            route_type,
        });
    }
    Ok(())
}

fn read_calendar(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let sid = table.column("service_id")?;
    let days: Vec<usize> = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .map(|d| table.column(d))
    .collect::<Result<_, _>>()?;
    let (start_c, end_c) = (table.column("start_date")?, table.column("end_date")?);
    for row in table.rows() {
        let mut weekdays = [false; 7];
        let mut bad = false;
        for (i, c) in days.iter().enumerate() {
            match row.text(*c) {
                "1" => weekdays[i] = true,
                "0" => {}
                other => {
                    r.problems
                        .error(row.problem(*c, format!("0 ou 1 attendu : {other:?}")));
                    bad = true;
                }
            }
        }
        let dates = parse_date(&row, start_c).and_then(|s| Ok((s, parse_date(&row, end_c)?)));
        match dates {
            Ok((start_date, end_date)) if end_date < start_date => {
                r.problems.error(row.problem(
                    end_c,
                    format!(
                        "end_date {:?} antérieure à start_date {:?} : le service ne roulerait aucun jour",
                        row.text(end_c),
                        row.text(start_c)
                    ),
                ));
            }
            Ok((start_date, end_date)) if !bad => {
                r.services.insert(row.text(sid).to_owned());
                r.tr.calendars.push(Calendar {
                    service_id: row.text(sid).to_owned(),
                    weekdays,
                    start_date,
                    end_date,
                });
            }
            Ok(_) => {}
            Err(p) => r.problems.error(p),
        }
    }
    Ok(())
}

fn read_calendar_dates(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (sid, date_c, ex_c) = (
        table.column("service_id")?,
        table.column("date")?,
        table.column("exception_type")?,
    );
    for row in table.rows() {
        let parsed = parse_date(&row, date_c).and_then(|d| Ok((d, int::<u8>(&row, ex_c, None)?)));
        match parsed {
            Ok((date, exception_type)) if exception_type == 1 || exception_type == 2 => {
                r.services.insert(row.text(sid).to_owned());
                r.tr.calendar_dates.push(CalendarDate {
                    service_id: row.text(sid).to_owned(),
                    date,
                    exception_type,
                });
            }
            Ok((_, e)) => r
                .problems
                .error(row.problem(ex_c, format!("exception_type vaut 1 ou 2, trouvé {e}"))),
            Err(p) => r.problems.error(p),
        }
    }
    Ok(())
}

fn read_trips(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (tid_c, troute_c, tsid_c) = (
        table.column("trip_id")?,
        table.column("route_id")?,
        table.column("service_id")?,
    );
    let head_c = table.optional_column("trip_headsign");
    for row in table.rows() {
        let id = row.text(tid_c).to_owned();
        let Some(&route) = r.routes.get(row.text(troute_c)) else {
            r.problems.error(row.problem(
                troute_c,
                format!("route_id inconnu : {:?}", row.text(troute_c)),
            ));
            continue;
        };
        let service_id = row.text(tsid_c).to_owned();
        if !r.services.contains(&service_id) {
            r.problems.error(row.problem(
                tsid_c,
                format!(
                    "service_id inconnu : {service_id:?} (ni dans calendar.txt ni dans calendar_dates.txt)"
                ),
            ));
            continue;
        }
        if r.trips.insert(id.clone(), r.tr.trips.len()).is_some() {
            r.problems
                .error(row.problem(tid_c, format!("trip_id {id} en double")));
            continue;
        }
        r.tr.trips.push(Trip {
            id,
            route,
            service_id,
            headsign: head_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
        });
    }
    Ok(())
}

fn read_stop_times(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    // An empty stop_times.txt is no timetable: the report must not say "horaires complets".
    r.tr.has_timetable = !table.is_empty();
    if table.is_empty() {
        r.problems.warn(Problem::file(
            format!("{}/stop_times.txt", r.feed_name),
            "stop_times.txt n'a aucune ligne : pas d'horaires, l'accès en transport en commun n'est pas calculé sur les horaires",
        ));
    }
    let (t_c, s_c, seq_c, arr_c, dep_c) = (
        table.column("trip_id")?,
        table.column("stop_id")?,
        table.column("stop_sequence")?,
        table.column("arrival_time")?,
        table.column("departure_time")?,
    );
    let mut raw: Vec<RawStopTime> = Vec::with_capacity(table.len());
    for row in table.rows() {
        let Some(&trip) = r.trips.get(row.text(t_c)) else {
            r.problems
                .error(row.problem(t_c, format!("trip_id inconnu : {:?}", row.text(t_c))));
            continue;
        };
        let Some(&stop) = r.tr.stop_index.get(row.text(s_c)) else {
            r.problems
                .error(row.problem(s_c, format!("stop_id inconnu : {:?}", row.text(s_c))));
            continue;
        };
        if r.tr.stops[stop].location_type == 1 {
            r.problems.error(row.problem(
                s_c,
                format!(
                    "{:?} est une station (location_type 1) : une course dessert ses quais",
                    row.text(s_c)
                ),
            ));
            continue;
        }
        let times = match (row.text(arr_c), row.text(dep_c)) {
            ("", "") => Ok(None),
            (_, "") => time(&row, arr_c).map(|a| Some((a, a))),
            ("", _) => time(&row, dep_c).map(|d| Some((d, d))),
            _ => time(&row, arr_c).and_then(|a| Ok(Some((a, time(&row, dep_c)?)))),
        };
        let times = match times {
            Ok(Some((arrival, departure))) if departure < arrival => {
                r.problems.error(row.problem(
                    dep_c,
                    format!(
                        "departure_time {:?} antérieure à arrival_time {:?} : on repart d'un arrêt après y être arrivé",
                        row.text(dep_c),
                        row.text(arr_c)
                    ),
                ));
                continue;
            }
            Ok(t) => t,
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        let sequence = match int(&row, seq_c, None) {
            Ok(v) => v,
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        raw.push(RawStopTime {
            trip,
            stop,
            sequence,
            times,
            line: row.line,
        });
    }
    raw.sort_by_key(|s| (s.trip, s.sequence));
    let file = format!("{}/stop_times.txt", r.feed_name);
    let interpolated = interpolate(&mut raw, &r.tr, &file, r.problems);
    if interpolated > 0 {
        r.problems.warn(Problem::file(
            &file,
            format!("{interpolated} arrêts sans horaire : heures interpolées linéairement entre les points horaires encadrants"),
        ));
    }
    r.tr.stop_times = raw
        .into_iter()
        .filter_map(|s| {
            s.times.map(|(arrival_s, departure_s)| StopTime {
                trip: s.trip,
                stop: s.stop,
                sequence: s.sequence,
                arrival_s,
                departure_s,
            })
        })
        .collect();
    check_trip_order(&r.tr, &file, r.problems);
    Ok(())
}

/// Fills untimed stop times linearly by stop order between the surrounding timepoints of their
/// trip; returns how many were filled. An untimed first or last stop is an error.
fn interpolate(
    raw: &mut [RawStopTime],
    tr: &Transport,
    file: &str,
    problems: &mut Problems,
) -> usize {
    let mut filled = 0;
    let mut i = 0;
    while i < raw.len() {
        let mut j = i;
        while j < raw.len() && raw[j].trip == raw[i].trip {
            j += 1;
        }
        let trip = &mut raw[i..j];
        for end in [0, trip.len() - 1] {
            if trip[end].times.is_none() {
                problems.error(Problem::at(
                    file,
                    crate::Location::Line(trip[end].line),
                    Some("arrival_time"),
                    format!(
                        "course {:?} : le premier et le dernier arrêt doivent avoir une heure",
                        tr.trips[trip[end].trip].id
                    ),
                ));
            }
        }
        let mut last: Option<(usize, u32)> = None;
        for k in 0..trip.len() {
            let Some((arr_k, dep)) = trip[k].times else {
                continue;
            };
            if let Some((a, t0)) = last
                && k > a + 1
            {
                let span = f64::from(arr_k.saturating_sub(t0));
                for (m, untimed) in trip[a + 1..k].iter_mut().enumerate() {
                    let t = t0 + (span * (m + 1) as f64 / (k - a) as f64).round() as u32;
                    untimed.times = Some((t, t));
                    filled += 1;
                }
            }
            last = Some((k, dep));
        }
        i = j;
    }
    filled
}

/// Stop sequences must increase and times must not go back.
fn check_trip_order(tr: &Transport, file: &str, problems: &mut Problems) {
    for w in tr.stop_times.windows(2) {
        if w[0].trip == w[1].trip
            && (w[1].sequence == w[0].sequence || w[1].arrival_s < w[0].departure_s)
        {
            problems.error(Problem::file(
                file,
                format!(
                    "course {:?} : le stop_sequence {} se répète ou remonte le temps",
                    tr.trips[w[0].trip].id, w[1].sequence
                ),
            ));
            return;
        }
    }
}

fn read_frequencies(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (t_c, start_c, end_c, head_c) = (
        table.column("trip_id")?,
        table.column("start_time")?,
        table.column("end_time")?,
        table.column("headway_secs")?,
    );
    let exact_c = table.optional_column("exact_times");
    // Each template trip's stop-time range (stop_times are sorted by trip).
    let mut ranges: HashMap<usize, (usize, usize)> = HashMap::new();
    for (k, s) in r.tr.stop_times.iter().enumerate() {
        ranges.entry(s.trip).or_insert((k, k)).1 = k + 1;
    }
    let mut templates: HashSet<usize> = HashSet::new();
    let mut added: Vec<StopTime> = Vec::new();
    for row in table.rows() {
        let Some(&trip) = r.trips.get(row.text(t_c)) else {
            r.problems
                .error(row.problem(t_c, format!("trip_id inconnu : {:?}", row.text(t_c))));
            continue;
        };
        let parsed = time(&row, start_c).and_then(|s| {
            let e = time(&row, end_c)?;
            let h: u32 = int(&row, head_c, None)?;
            if let Some(c) = exact_c {
                let x: u8 = int(&row, c, Some(0))?;
                if x > 1 {
                    return Err(row.problem(c, format!("exact_times vaut 0 ou 1, trouvé {x}")));
                }
            }
            Ok((s, e, h))
        });
        let (start, end, headway) = match parsed {
            Ok(v) => v,
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        if headway == 0 {
            r.problems
                .error(row.problem(head_c, "headway_secs doit être positif"));
            continue;
        }
        if end <= start {
            r.problems
                .error(row.problem(end_c, "end_time doit suivre start_time"));
            continue;
        }
        let Some(&(a, b)) = ranges.get(&trip) else {
            r.problems.error(row.problem(
                t_c,
                format!(
                    "la course {:?} n'a pas d'horaires dans stop_times.txt",
                    row.text(t_c)
                ),
            ));
            continue;
        };
        templates.insert(trip);
        let template: Vec<StopTime> = r.tr.stop_times[a..b].to_vec();
        let first = template[0].departure_s;
        let mut dep = start;
        while dep < end {
            if r.tr.stop_times.len() + added.len() > MAX_STOP_TIMES {
                return Err(row.problem(
                    head_c,
                    format!("trop d'horaires une fois les fréquences développées (plus de {MAX_STOP_TIMES})"),
                ));
            }
            let new_trip = r.tr.trips.len();
            let mut t = r.tr.trips[trip].clone();
            t.id = format!("{}#{}", t.id, hms(dep));
            r.tr.trips.push(t);
            r.tr.frequency_trips += 1;
            added.extend(template.iter().map(|s| StopTime {
                trip: new_trip,
                arrival_s: (s.arrival_s + dep).saturating_sub(first),
                departure_s: (s.departure_s + dep).saturating_sub(first),
                ..*s
            }));
            dep += headway;
        }
    }
    // A template's own times only give the pattern and the running times.
    r.tr.stop_times.retain(|s| !templates.contains(&s.trip));
    r.tr.stop_times.extend(added);
    r.tr.stop_times.sort_by_key(|s| (s.trip, s.sequence));
    Ok(())
}

fn read_transfers(r: &mut Reader<'_>, table: &Table) -> Result<(), Problem> {
    let (f_c, to_c, ty_c) = (
        table.column("from_stop_id")?,
        table.column("to_stop_id")?,
        table.column("transfer_type")?,
    );
    let min_c = table.optional_column("min_transfer_time");
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in r.tr.stops.iter().enumerate() {
        if let Some(p) = s.parent_station.as_deref() {
            children.entry(p).or_default().push(i);
        }
    }
    // A station stands for each of its stops.
    let expand = |id: usize| -> Vec<usize> {
        let s = &r.tr.stops[id];
        match (s.location_type, children.get(s.id.as_str())) {
            (1, Some(c)) => c.clone(),
            _ => vec![id],
        }
    };
    let mut out = Vec::new();
    let mut skipped_in_seat = 0;
    for row in table.rows() {
        // GTFS allows trip- or route-level transfers without stops; those are not used.
        if row.text(f_c).is_empty() || row.text(to_c).is_empty() {
            continue;
        }
        let (Some(&from), Some(&to)) = (
            r.tr.stop_index.get(row.text(f_c)),
            r.tr.stop_index.get(row.text(to_c)),
        ) else {
            let c = if r.tr.stop_index.contains_key(row.text(f_c)) {
                to_c
            } else {
                f_c
            };
            r.problems
                .error(row.problem(c, format!("stop_id inconnu : {:?}", row.text(c))));
            continue;
        };
        let transfer_type: u8 = match int(&row, ty_c, Some(0)) {
            Ok(v @ 0..=3) => v,
            Ok(4 | 5) => {
                skipped_in_seat += 1;
                continue;
            }
            Ok(v) => {
                r.problems
                    .error(row.problem(ty_c, format!("transfer_type inconnu : {v}")));
                continue;
            }
            Err(p) => {
                r.problems.error(p);
                continue;
            }
        };
        let min = match min_c.map(|c| {
            int::<u32>(&row, c, None).map(Some).or_else(|p| {
                if row.text(c).is_empty() {
                    Ok(None)
                } else {
                    Err(p)
                }
            })
        }) {
            Some(Ok(v)) => v,
            Some(Err(p)) => {
                r.problems.error(p);
                continue;
            }
            None => None,
        };
        for &a in &expand(from) {
            for &b in &expand(to) {
                out.push(Transfer {
                    from: a,
                    to: b,
                    transfer_type,
                    min_transfer_time_s: min,
                });
            }
        }
    }
    if skipped_in_seat > 0 {
        r.problems.warn(Problem::file(
            format!("{}/transfers.txt", r.feed_name),
            format!(
                "{skipped_in_seat} correspondances sans descente (transfer_type 4 ou 5) ignorées"
            ),
        ));
    }
    r.tr.transfers = out;
    Ok(())
}
