//! A strict GTFS reader (folder or zip): every reference between files is checked, and errors
//! name the file, line and column.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use geo::{Point, Rect};

use crate::crs::Lambert93;
use crate::error::{Problem, Problems};
use crate::geometry::{check_in_extent, check_lon_lat};
use crate::manifest::Territory;
use crate::model::transport::{
    Calendar, CalendarDate, Route, Stop, StopTime, Transfer, Transport, Trip,
};
use crate::tabular::{Table, TableRow};

/// The files of a feed, read into memory.
struct Feed {
    name: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl Feed {
    fn open(t: &Territory, path: &str) -> Result<Self, Problem> {
        let name = t.root.display(path);
        let mut files = BTreeMap::new();
        const NAMES: [&str; 8] = [
            "agency.txt",
            "stops.txt",
            "routes.txt",
            "trips.txt",
            "stop_times.txt",
            "calendar.txt",
            "calendar_dates.txt",
            "transfers.txt",
        ];
        if t.root.is_dir(path) {
            for n in NAMES {
                let rel = format!("{}/{n}", path.trim_end_matches('/'));
                if t.root.is_file(&rel) {
                    files.insert(n.to_owned(), t.root.read(&rel)?);
                }
            }
        } else {
            let bytes = t.root.read(path)?;
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
                Problem::file(
                    &name,
                    format!("neither a GTFS folder nor a readable zip: {e}"),
                )
            })?;
            for i in 0..zip.len() {
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| Problem::file(&name, format!("unreadable zip entry: {e}")))?;
                let entry_name = entry
                    .name()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                if NAMES.contains(&entry_name.as_str()) {
                    let mut buf = Vec::new();
                    entry.read_to_end(&mut buf).map_err(|e| {
                        Problem::file(&name, format!("cannot unzip {entry_name}: {e}"))
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

    fn required(&self, file: &str) -> Result<Table, Problem> {
        self.table(file).unwrap_or_else(|| {
            Err(Problem::file(
                format!("{}/{file}", self.name),
                "required GTFS file is missing",
            ))
        })
    }
}

/// Parses a GTFS time `H:MM:SS` (hours may exceed 23) into seconds.
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::load::gtfs::parse_time("25:01:02"), Ok(90062));
/// assert!(repere_engine::load::gtfs::parse_time("7h30").is_err());
/// ```
///
/// # Errors
/// A message with the text when it is not a GTFS time.
pub fn parse_time(text: &str) -> Result<u32, String> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let bad = || format!("not a GTFS time (H:MM:SS): {text:?}");
    if parts.len() != 3 {
        return Err(bad());
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    if n[1] >= 60 || n[2] >= 60 {
        return Err(bad());
    }
    Ok(n[0] * 3600 + n[1] * 60 + n[2])
}

fn parse_date(row: &TableRow<'_>, col: usize) -> Result<u32, Problem> {
    let t = row.text(col);
    let ok = t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit());
    let d: u32 = if ok { t.parse().unwrap_or(0) } else { 0 };
    if !ok || !(1..=12).contains(&(d / 100 % 100)) || !(1..=31).contains(&(d % 100)) {
        return Err(row.problem(col, format!("not a GTFS date (YYYYMMDD): {t:?}")));
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
        return default.ok_or_else(|| row.problem(col, "missing value"));
    }
    t.parse()
        .map_err(|_| row.problem(col, format!("not an integer: {t:?}")))
}

/// Loads the feed named by `[transport]`. Errors go to `problems`; `None` when the feed failed.
pub fn load(
    t: &Territory,
    path: &str,
    extent: &Rect,
    l93: &Lambert93,
    problems: &mut Problems,
) -> Option<Transport> {
    match read(t, path, extent, l93, problems) {
        Ok(tr) => Some(tr),
        Err(p) => {
            problems.error(p);
            None
        }
    }
}

fn read(
    t: &Territory,
    path: &str,
    extent: &Rect,
    l93: &Lambert93,
    problems: &mut Problems,
) -> Result<Transport, Problem> {
    let feed = Feed::open(t, path)?;
    let mut tr = Transport::default();

    if let Some(agency) = feed.table("agency.txt") {
        let agency = agency?;
        let c = agency.column("agency_name")?;
        tr.agencies = agency.rows().map(|r| r.text(c).to_owned()).collect();
    }

    let stops = feed.required("stops.txt")?;
    let (id_c, name_c, lat_c, lon_c) = (
        stops.column("stop_id")?,
        stops.column("stop_name")?,
        stops.column("stop_lat")?,
        stops.column("stop_lon")?,
    );
    let (lt_c, parent_c) = (
        stops.optional_column("location_type"),
        stops.optional_column("parent_station"),
    );
    for row in stops.rows() {
        let id = row.text(id_c).to_owned();
        if id.is_empty() {
            problems.error(row.problem(id_c, "missing stop_id"));
            continue;
        }
        let location_type: u8 = match lt_c.map(|c| int(&row, c, Some(0))).transpose() {
            Ok(v) => v.unwrap_or(0),
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        let coords = (row.number(lon_c), row.number(lat_c));
        let (lon, lat) = match coords {
            (Ok(Some(lon)), Ok(Some(lat))) => (lon, lat),
            // Generic nodes and boarding areas may have no coordinates.
            (Ok(None), Ok(None)) if location_type >= 3 => continue,
            (Err(p), _) | (_, Err(p)) => {
                problems.error(p);
                continue;
            }
            (Ok(None), _) => {
                problems.error(row.problem(lon_c, "missing coordinate"));
                continue;
            }
            (_, Ok(None)) => {
                problems.error(row.problem(lat_c, "missing coordinate"));
                continue;
            }
        };
        let c = match check_lon_lat(lon, lat) {
            Ok(c) => c,
            Err(m) => {
                problems.error(row.problem(lat_c, m));
                continue;
            }
        };
        if let Err(m) = check_in_extent(c, extent)
            && m.starts_with("lon/lat look swapped")
        {
            problems.error(row.problem(lat_c, m));
            continue;
        }
        let point_l93 = match l93.point_from_wgs84(Point(c)) {
            Ok(p) => p,
            Err(m) => {
                problems.error(row.problem(lat_c, format!("cannot project to Lambert-93: {m}")));
                continue;
            }
        };
        if tr.stop_index.insert(id.clone(), tr.stops.len()).is_some() {
            problems.error(row.problem(id_c, format!("duplicate stop_id {id}")));
            continue;
        }
        tr.stops.push(Stop {
            id,
            name: row.text(name_c).to_owned(),
            location_type,
            parent_station: parent_c
                .map(|c| row.text(c).to_owned())
                .filter(|s| !s.is_empty()),
            point_wgs84: Point(c),
            point_l93,
        });
    }

    let routes = feed.required("routes.txt")?;
    let (rid_c, rtype_c) = (routes.column("route_id")?, routes.column("route_type")?);
    let (short_c, long_c) = (
        routes.optional_column("route_short_name"),
        routes.optional_column("route_long_name"),
    );
    let mut route_index = HashMap::new();
    for row in routes.rows() {
        let id = row.text(rid_c).to_owned();
        let route_type = match int(&row, rtype_c, None) {
            Ok(v) => v,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        if route_index.insert(id.clone(), tr.routes.len()).is_some() {
            problems.error(row.problem(rid_c, format!("duplicate route_id {id}")));
            continue;
        }
        tr.routes.push(Route {
            id,
            short_name: short_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
            long_name: long_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
            route_type,
        });
    }

    let mut services = HashSet::new();
    if let Some(cal) = feed.table("calendar.txt") {
        let cal = cal?;
        let sid = cal.column("service_id")?;
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
        .map(|d| cal.column(d))
        .collect::<Result<_, _>>()?;
        let (start_c, end_c) = (cal.column("start_date")?, cal.column("end_date")?);
        for row in cal.rows() {
            let mut weekdays = [false; 7];
            let mut bad = false;
            for (i, c) in days.iter().enumerate() {
                match row.text(*c) {
                    "1" => weekdays[i] = true,
                    "0" => {}
                    other => {
                        problems
                            .error(row.problem(*c, format!("expected 0 or 1, found {other:?}")));
                        bad = true;
                    }
                }
            }
            let dates = parse_date(&row, start_c).and_then(|s| Ok((s, parse_date(&row, end_c)?)));
            match dates {
                Ok((start_date, end_date)) if !bad => {
                    services.insert(row.text(sid).to_owned());
                    tr.calendars.push(Calendar {
                        service_id: row.text(sid).to_owned(),
                        weekdays,
                        start_date,
                        end_date,
                    });
                }
                Ok(_) => {}
                Err(p) => problems.error(p),
            }
        }
    }
    if let Some(cd) = feed.table("calendar_dates.txt") {
        let cd = cd?;
        let (sid, date_c, ex_c) = (
            cd.column("service_id")?,
            cd.column("date")?,
            cd.column("exception_type")?,
        );
        for row in cd.rows() {
            let parsed =
                parse_date(&row, date_c).and_then(|d| Ok((d, int::<u8>(&row, ex_c, None)?)));
            match parsed {
                Ok((date, exception_type)) if exception_type == 1 || exception_type == 2 => {
                    services.insert(row.text(sid).to_owned());
                    tr.calendar_dates.push(CalendarDate {
                        service_id: row.text(sid).to_owned(),
                        date,
                        exception_type,
                    });
                }
                Ok((_, e)) => problems
                    .error(row.problem(ex_c, format!("exception_type must be 1 or 2, found {e}"))),
                Err(p) => problems.error(p),
            }
        }
    }
    if !feed.files.contains_key("calendar.txt") && !feed.files.contains_key("calendar_dates.txt") {
        problems.error(Problem::file(
            &feed.name,
            "the feed has neither calendar.txt nor calendar_dates.txt",
        ));
    }

    let trips = feed.required("trips.txt")?;
    let (tid_c, troute_c, tsid_c) = (
        trips.column("trip_id")?,
        trips.column("route_id")?,
        trips.column("service_id")?,
    );
    let head_c = trips.optional_column("trip_headsign");
    let mut trip_index = HashMap::new();
    for row in trips.rows() {
        let id = row.text(tid_c).to_owned();
        let Some(&route) = route_index.get(row.text(troute_c)) else {
            problems.error(row.problem(
                troute_c,
                format!("unknown route_id {:?}", row.text(troute_c)),
            ));
            continue;
        };
        let service_id = row.text(tsid_c).to_owned();
        if !services.contains(&service_id) {
            problems.error(row.problem(
                tsid_c,
                format!(
                    "unknown service_id {service_id:?} (not in calendar.txt nor calendar_dates.txt)"
                ),
            ));
            continue;
        }
        if trip_index.insert(id.clone(), tr.trips.len()).is_some() {
            problems.error(row.problem(tid_c, format!("duplicate trip_id {id}")));
            continue;
        }
        tr.trips.push(Trip {
            id,
            route,
            service_id,
            headsign: head_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
        });
    }

    if let Some(st) = feed.table("stop_times.txt") {
        let st = st?;
        tr.has_timetable = true;
        let (t_c, s_c, seq_c, arr_c, dep_c) = (
            st.column("trip_id")?,
            st.column("stop_id")?,
            st.column("stop_sequence")?,
            st.column("arrival_time")?,
            st.column("departure_time")?,
        );
        for row in st.rows() {
            let Some(&trip) = trip_index.get(row.text(t_c)) else {
                problems.error(row.problem(t_c, format!("unknown trip_id {:?}", row.text(t_c))));
                continue;
            };
            let Some(&stop) = tr.stop_index.get(row.text(s_c)) else {
                problems.error(row.problem(s_c, format!("unknown stop_id {:?}", row.text(s_c))));
                continue;
            };
            let times = (row.text(arr_c), row.text(dep_c));
            let (arrival_s, departure_s) = match times {
                ("", "") => {
                    // Untimed intermediate stops would need interpolation; this reader wants
                    // timepoints everywhere so that travel times are never invented.
                    problems.error(row.problem(
                        arr_c,
                        "untimed stop time (arrival and departure empty) is not supported",
                    ));
                    continue;
                }
                (a, "") | ("", a) => match parse_time(a) {
                    Ok(v) => (v, v),
                    Err(m) => {
                        problems.error(row.problem(arr_c, m));
                        continue;
                    }
                },
                (a, d) => match (parse_time(a), parse_time(d)) {
                    (Ok(a), Ok(d)) => (a, d),
                    (Err(m), _) => {
                        problems.error(row.problem(arr_c, m));
                        continue;
                    }
                    (_, Err(m)) => {
                        problems.error(row.problem(dep_c, m));
                        continue;
                    }
                },
            };
            let sequence = match int(&row, seq_c, None) {
                Ok(v) => v,
                Err(p) => {
                    problems.error(p);
                    continue;
                }
            };
            tr.stop_times.push(StopTime {
                trip,
                stop,
                sequence,
                arrival_s,
                departure_s,
            });
        }
        tr.stop_times.sort_by_key(|s| (s.trip, s.sequence));
        for w in tr.stop_times.windows(2) {
            if w[0].trip == w[1].trip
                && (w[1].sequence == w[0].sequence || w[1].arrival_s < w[0].departure_s)
            {
                problems.error(Problem::file(
                    format!("{}/stop_times.txt", feed.name),
                    format!(
                        "trip {:?}: stop_sequence {} repeats or goes back in time",
                        tr.trips[w[0].trip].id, w[1].sequence
                    ),
                ));
                break;
            }
        }
    }

    if let Some(tf) = feed.table("transfers.txt") {
        let tf = tf?;
        let (f_c, to_c, ty_c) = (
            tf.column("from_stop_id")?,
            tf.column("to_stop_id")?,
            tf.column("transfer_type")?,
        );
        let min_c = tf.optional_column("min_transfer_time");
        for row in tf.rows() {
            let (Some(&from), Some(&to)) = (
                tr.stop_index.get(row.text(f_c)),
                tr.stop_index.get(row.text(to_c)),
            ) else {
                // GTFS allows trip- or route-level transfers without stops; those are not used.
                if row.text(f_c).is_empty() || row.text(to_c).is_empty() {
                    continue;
                }
                let c = if tr.stop_index.contains_key(row.text(f_c)) {
                    to_c
                } else {
                    f_c
                };
                problems.error(row.problem(c, format!("unknown stop_id {:?}", row.text(c))));
                continue;
            };
            let transfer_type = match int(&row, ty_c, Some(0)) {
                Ok(v) => v,
                Err(p) => {
                    problems.error(p);
                    continue;
                }
            };
            let min = match min_c.map(|c| row.number(c)).transpose() {
                Ok(v) => v.flatten().map(|v| v as u32),
                Err(p) => {
                    problems.error(p);
                    continue;
                }
            };
            tr.transfers.push(Transfer {
                from,
                to,
                transfer_type,
                min_transfer_time_s: min,
            });
        }
    }
    Ok(tr)
}
