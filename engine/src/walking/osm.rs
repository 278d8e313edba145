//! Reading the walkable ways of an OpenStreetMap extract: PBF with `osmpbf`, XML (`.osm`, or
//! gzip-compressed `.osm.gz`) with the streaming `quick-xml` reader.
//!
//! Only ways passing [`super::rules::is_walkable`] are kept, with the nodes they reference.
//! PBF is read in two passes (ways first, then only the node blocks holding their nodes, with
//! `osmpbf`'s indexed reader); XML lists nodes before ways, so every node is kept in a compact
//! sorted table (16 bytes per node: id and coordinates in 10⁻⁷ degrees, ~1 cm) until the ways
//! are known. Relations are ignored.

use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};

use super::error::OsmError;
use super::rules::{KEYS, is_walkable};

/// An OpenStreetMap node: id and WGS84 coordinates in 10⁻⁷ degrees (OSM's own precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OsmNode {
    /// Node id.
    pub id: i64,
    /// Longitude × 10⁷.
    pub lon_e7: i32,
    /// Latitude × 10⁷.
    pub lat_e7: i32,
}

impl OsmNode {
    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        f64::from(self.lon_e7) * 1e-7
    }
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        f64::from(self.lat_e7) * 1e-7
    }
}

/// A walkable way: id and node references in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsmWay {
    /// Way id.
    pub id: i64,
    /// Node ids.
    pub refs: Vec<i64>,
}

/// The walkable part of an extract.
#[derive(Debug, Clone, Default)]
pub struct OsmWalkable {
    /// Nodes referenced by the walkable ways (XML: every node), sorted by id, unique.
    pub nodes: Vec<OsmNode>,
    /// Walkable ways, in file order.
    pub ways: Vec<OsmWay>,
    /// Ways with a `highway` tag read.
    pub highway_ways: usize,
}

impl OsmWalkable {
    /// A node by id.
    pub fn node(&self, id: i64) -> Option<&OsmNode> {
        self.nodes
            .binary_search_by_key(&id, |n| n.id)
            .ok()
            .map(|i| &self.nodes[i])
    }
}

/// How an extract is encoded, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsmFormat {
    /// `.osm.pbf` / `.pbf`.
    Pbf,
    /// `.osm` / `.xml`.
    Xml,
    /// `.osm.gz`.
    XmlGz,
}

impl OsmFormat {
    /// The format a file name says, if any.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::walking::osm::OsmFormat;
    /// assert_eq!(OsmFormat::from_name("haute-normandie.osm.pbf"), Some(OsmFormat::Pbf));
    /// assert_eq!(OsmFormat::from_name("centre.OSM.GZ"), Some(OsmFormat::XmlGz));
    /// assert_eq!(OsmFormat::from_name("centre.shp"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<OsmFormat> {
        let n = name.to_ascii_lowercase();
        if n.ends_with(".pbf") {
            Some(OsmFormat::Pbf)
        } else if n.ends_with(".osm.gz") {
            Some(OsmFormat::XmlGz)
        } else if n.ends_with(".osm") || n.ends_with(".xml") {
            Some(OsmFormat::Xml)
        } else {
            None
        }
    }
}

/// Reads the walkable ways of an extract held in memory; `file` names it in errors and the
/// format comes from its name.
///
/// # Errors
/// [`OsmError::UnknownFormat`], [`OsmError::Read`] for an undecodable file, or
/// [`OsmError::Element`] naming the malformed node or way.
pub fn read_walkable(file: &str, bytes: Vec<u8>) -> Result<OsmWalkable, OsmError> {
    match OsmFormat::from_name(file) {
        Some(OsmFormat::Pbf) => read_pbf(file, bytes),
        Some(OsmFormat::Xml) => read_xml(file, bytes.as_slice()),
        Some(OsmFormat::XmlGz) => read_xml(
            file,
            BufReader::new(flate2::read::GzDecoder::new(&bytes[..])),
        ),
        None => Err(OsmError::UnknownFormat {
            file: file.to_owned(),
        }),
    }
}

fn read_error(file: &str, message: impl std::fmt::Display) -> OsmError {
    OsmError::Read {
        file: file.to_owned(),
        message: message.to_string(),
    }
}

/// PBF: walkable ways, then only their nodes (two passes over the blocks).
fn read_pbf(file: &str, bytes: Vec<u8>) -> Result<OsmWalkable, OsmError> {
    use osmpbf::{Element, IndexedReader};
    let mut reader = IndexedReader::new(std::io::Cursor::new(bytes))
        .map_err(|e| read_error(file, format!("PBF illisible ({e})")))?;
    let mut out = OsmWalkable::default();
    let mut highways = 0usize;
    reader
        .read_ways_and_deps(
            |way| {
                let mut tags = [None; 3];
                for (k, v) in way.tags() {
                    if let Some(i) = KEYS.iter().position(|key| *key == k) {
                        tags[i] = Some(v);
                    }
                }
                if tags[0].is_some() {
                    highways += 1;
                }
                is_walkable(|k| KEYS.iter().position(|key| *key == k).and_then(|i| tags[i]))
            },
            |element| match element {
                Element::Way(w) => out.ways.push(OsmWay {
                    id: w.id(),
                    refs: w.refs().collect(),
                }),
                Element::Node(n) => out.nodes.push(OsmNode {
                    id: n.id(),
                    lon_e7: n.decimicro_lon(),
                    lat_e7: n.decimicro_lat(),
                }),
                Element::DenseNode(n) => out.nodes.push(OsmNode {
                    id: n.id(),
                    lon_e7: n.decimicro_lon(),
                    lat_e7: n.decimicro_lat(),
                }),
                Element::Relation(_) => {}
            },
        )
        .map_err(|e| read_error(file, format!("PBF illisible ({e})")))?;
    out.highway_ways = highways;
    out.nodes.sort_unstable();
    out.nodes.dedup_by_key(|n| n.id);
    Ok(out)
}

/// The way being read, with the tags the rules need.
struct OpenWay {
    id: i64,
    refs: Vec<i64>,
    tags: [Option<String>; 3],
}

/// XML: one streaming pass.
fn read_xml<R: BufRead>(file: &str, input: R) -> Result<OsmWalkable, OsmError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut out = OsmWalkable::default();
    let mut way: Option<OpenWay> = None;
    let mut seen_osm = false;
    let mut sorted = true;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| OsmError::Element {
                file: file.to_owned(),
                element: format!("octet {}", reader.error_position()),
                field: "xml".to_owned(),
                message: format!("XML mal formé ({e})"),
            })?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"osm" => seen_osm = true,
                b"node" => {
                    let node = xml_node(file, &e)?;
                    if out.nodes.last().is_some_and(|last| last.id >= node.id) {
                        sorted = false;
                    }
                    out.nodes.push(node);
                }
                b"way" => {
                    way = Some(OpenWay {
                        id: xml_id(file, &e, "voie")?,
                        refs: Vec::new(),
                        tags: [None, None, None],
                    });
                }
                b"nd" => {
                    if let Some(w) = way.as_mut() {
                        let r = attr(file, &e, b"ref", &format!("voie {}", w.id))?;
                        w.refs.push(r.parse().map_err(|_| OsmError::Element {
                            file: file.to_owned(),
                            element: format!("voie {}", w.id),
                            field: "nd ref".to_owned(),
                            message: format!("identifiant de nœud invalide : {r:?}"),
                        })?);
                    }
                }
                b"tag" => {
                    if let Some(w) = way.as_mut() {
                        let element = format!("voie {}", w.id);
                        let k = attr(file, &e, b"k", &element)?;
                        if let Some(i) = KEYS.iter().position(|key| *key == k) {
                            w.tags[i] = Some(attr(file, &e, b"v", &element)?);
                        }
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"way" => {
                if let Some(w) = way.take() {
                    if w.tags[0].is_some() {
                        out.highway_ways += 1;
                    }
                    let walkable = is_walkable(|k| {
                        KEYS.iter()
                            .position(|key| *key == k)
                            .and_then(|i| w.tags[i].as_deref())
                    });
                    if walkable {
                        out.ways.push(OsmWay {
                            id: w.id,
                            refs: w.refs,
                        });
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_osm {
        return Err(read_error(
            file,
            "ce n'est pas un fichier OpenStreetMap XML (élément <osm> absent)",
        ));
    }
    if !sorted {
        out.nodes.sort_unstable();
    }
    out.nodes.dedup_by_key(|n| n.id);
    Ok(out)
}

fn attr(file: &str, e: &BytesStart<'_>, name: &[u8], element: &str) -> Result<String, OsmError> {
    let field = String::from_utf8_lossy(name).into_owned();
    let bad = |message: String| OsmError::Element {
        file: file.to_owned(),
        element: element.to_owned(),
        field: field.clone(),
        message,
    };
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .unescape_value()
            .map(|v| v.into_owned())
            .map_err(|err| bad(format!("valeur illisible ({err})"))),
        Ok(None) => Err(bad("attribut absent".to_owned())),
        Err(err) => Err(bad(format!("attribut illisible ({err})"))),
    }
}

fn xml_id(file: &str, e: &BytesStart<'_>, what: &str) -> Result<i64, OsmError> {
    let v = attr(file, e, b"id", what)?;
    v.parse().map_err(|_| OsmError::Element {
        file: file.to_owned(),
        element: what.to_owned(),
        field: "id".to_owned(),
        message: format!("identifiant invalide : {v:?}"),
    })
}

fn xml_node(file: &str, e: &BytesStart<'_>) -> Result<OsmNode, OsmError> {
    let id = xml_id(file, e, "nœud")?;
    let element = format!("nœud {id}");
    let coord = |name: &[u8], field: &str, limit: f64| -> Result<i32, OsmError> {
        let v = attr(file, e, name, &element)?;
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => Ok((x * 1e7).round() as i32),
            _ => Err(OsmError::Element {
                file: file.to_owned(),
                element: element.clone(),
                field: field.to_owned(),
                message: format!(
                    "coordonnée invalide (attendu un nombre de degrés entre -{limit} et {limit}) : {v:?}"
                ),
            }),
        }
    };
    Ok(OsmNode {
        id,
        lat_e7: coord(b"lat", "lat", 90.0)?,
        lon_e7: coord(b"lon", "lon", 180.0)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
  <node id="1" lat="49.44" lon="1.09"/>
  <node id="2" lat="49.441" lon="1.09"/>
  <node id="3" lat="49.441" lon="1.091"><tag k="amenity" v="bench"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="motorway"/></way>
  <way id="12"><nd ref="1"/><nd ref="3"/><tag k="building" v="yes"/></way>
</osm>"#;

    #[test]
    fn xml_keeps_walkable_ways_and_counts_highways() {
        let w = read_walkable("synthetic.osm", SMALL.as_bytes().to_vec()).unwrap();
        assert_eq!(
            w.ways,
            vec![OsmWay {
                id: 10,
                refs: vec![1, 2]
            }]
        );
        assert_eq!(w.highway_ways, 2);
        assert_eq!(w.node(3).map(|n| n.lon_e7), Some(10_910_000));
    }

    #[test]
    fn a_bad_coordinate_names_the_node_and_field_in_french() {
        let text = SMALL.replace(r#"lat="49.441" lon="1.091""#, r#"lat="49.441" lon="abc""#);
        let e = read_walkable("synthetic.osm", text.into_bytes()).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("synthetic.osm") && msg.contains("nœud 3") && msg.contains("« lon »"),
            "{msg}"
        );
    }

    #[test]
    fn broken_xml_and_unknown_names_are_errors() {
        let e = read_walkable("x.osm", b"<osm><node id=\"1\" lat=".to_vec()).unwrap_err();
        assert!(e.to_string().contains("XML mal formé"), "{e}");
        let e = read_walkable("x.geojson", Vec::new()).unwrap_err();
        assert!(matches!(e, OsmError::UnknownFormat { .. }), "{e}");
        let e = read_walkable("x.osm.pbf", b"not a pbf".to_vec()).unwrap_err();
        assert!(e.to_string().contains("PBF illisible"), "{e}");
        let e = read_walkable("x.osm", b"<html></html>".to_vec()).unwrap_err();
        assert!(e.to_string().contains("<osm>"), "{e}");
    }
}
