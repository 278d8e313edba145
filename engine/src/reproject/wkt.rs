//! Identifying the CRS of a `.prj` file (WKT 1, ESRI or OGC flavour) as an EPSG code.
//!
//! Order of trust: an `AUTHORITY["EPSG", code]` of the outermost CRS; else its name, matched
//! against ESRI's usual names and against the names of the EPSG table (`crs-definitions`, the
//! table proj4rs uses), after folding case and punctuation (`RGF93_Lambert_93` ≡
//! `RGF93 / Lambert-93`). A name match is accepted only if the projection parameters both texts
//! give (false easting, false northing, central meridian, standard parallels, latitude of
//! origin) agree, so that a renamed custom projection is not mistaken for the EPSG one.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A WKT node: `KEYWORD[arg, …]`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Number(f64),
    Tree { keyword: String, args: Vec<Node> },
}

fn parse(text: &str) -> Option<Node> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut pos = 0;
    let node = parse_node(&chars, &mut pos)?;
    Some(node)
}

fn skip_ws(c: &[char], pos: &mut usize) {
    while *pos < c.len() && c[*pos].is_whitespace() {
        *pos += 1;
    }
}

fn parse_node(c: &[char], pos: &mut usize) -> Option<Node> {
    skip_ws(c, pos);
    match c.get(*pos)? {
        '"' => {
            *pos += 1;
            let mut s = String::new();
            while *pos < c.len() {
                if c[*pos] == '"' {
                    // WKT escapes a quote by doubling it.
                    if c.get(*pos + 1) == Some(&'"') {
                        s.push('"');
                        *pos += 2;
                        continue;
                    }
                    *pos += 1;
                    return Some(Node::Text(s));
                }
                s.push(c[*pos]);
                *pos += 1;
            }
            None
        }
        ch if ch.is_ascii_digit() || *ch == '-' || *ch == '+' || *ch == '.' => {
            let start = *pos;
            while *pos < c.len()
                && (c[*pos].is_ascii_alphanumeric() || matches!(c[*pos], '-' | '+' | '.'))
            {
                *pos += 1;
            }
            c[start..*pos]
                .iter()
                .collect::<String>()
                .parse()
                .ok()
                .map(Node::Number)
        }
        _ => {
            let start = *pos;
            while *pos < c.len() && (c[*pos].is_ascii_alphanumeric() || c[*pos] == '_') {
                *pos += 1;
            }
            let keyword: String = c[start..*pos].iter().collect();
            skip_ws(c, pos);
            let close = match c.get(*pos) {
                Some('[') => ']',
                Some('(') => ')',
                // A bare keyword (AXIS directions such as EAST).
                _ => return (!keyword.is_empty()).then_some(Node::Text(keyword)),
            };
            *pos += 1;
            let mut args = Vec::new();
            loop {
                skip_ws(c, pos);
                if c.get(*pos) == Some(&close) {
                    *pos += 1;
                    break;
                }
                args.push(parse_node(c, pos)?);
                skip_ws(c, pos);
                match c.get(*pos) {
                    Some(',') => *pos += 1,
                    Some(x) if *x == close => {
                        *pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            Some(Node::Tree {
                keyword: keyword.to_ascii_uppercase(),
                args,
            })
        }
    }
}

impl Node {
    fn name(&self) -> Option<&str> {
        match self {
            Node::Tree { args, .. } => match args.first() {
                Some(Node::Text(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    fn children<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        let args: &[Node] = match self {
            Node::Tree { args, .. } => args,
            _ => &[],
        };
        args.iter()
            .filter(move |a| matches!(a, Node::Tree { keyword, .. } if keyword == key))
    }

    fn epsg_authority(&self) -> Option<u16> {
        let auth = self
            .children("AUTHORITY")
            .chain(self.children("ID"))
            .next()?;
        let Node::Tree { args, .. } = auth else {
            return None;
        };
        match (args.first(), args.get(1)) {
            (Some(Node::Text(a)), Some(Node::Text(code))) if a.eq_ignore_ascii_case("EPSG") => {
                code.trim().parse().ok()
            }
            (Some(Node::Text(a)), Some(Node::Number(code))) if a.eq_ignore_ascii_case("EPSG") => {
                Some(*code as u16)
            }
            _ => None,
        }
    }

    /// Projection parameters by folded name.
    fn parameters(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for p in self.children("PARAMETER") {
            if let Node::Tree { args, .. } = p
                && let (Some(Node::Text(name)), Some(Node::Number(v))) = (args.first(), args.get(1))
            {
                out.insert(fold(name), *v);
            }
        }
        out
    }
}

/// Lowercase, every run of non-alphanumerics as one `_`.
fn fold(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// ESRI names that differ from the EPSG ones after folding.
const ESRI_NAMES: &[(&str, u16)] = &[
    ("gcs_wgs_1984", 4326),
    ("wgs_1984_web_mercator_auxiliary_sphere", 3857),
    ("wgs_1984_web_mercator", 3857),
    ("wgs_84_pseudo_mercator", 3857),
    ("gcs_rgf_1993", 4171),
    ("rgf_1993_lambert_93", 2154),
    ("gcs_etrs_1989", 4258),
    ("etrs_1989_laea", 3035),
    ("etrs_1989_lambert_azimuthal_equal_area", 3035),
    ("ntf_paris_lambert_ii_etendu", 27572),
    ("ntf_paris_lambert_zone_ii", 27572),
];

fn epsg_by_name() -> &'static BTreeMap<String, u16> {
    static TABLE: OnceLock<BTreeMap<String, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = BTreeMap::new();
        for code in 1..=u16::MAX {
            if let Some(def) = crs_definitions::from_code(code)
                && let Some(name) = parse(def.wkt).as_ref().and_then(Node::name).map(fold)
            {
                // Keep the lowest code for a name (deprecated duplicates come later).
                m.entry(name).or_insert(code);
            }
        }
        for (name, code) in ESRI_NAMES {
            m.insert((*name).to_owned(), *code);
        }
        m
    })
}

/// The EPSG name of a code of the table (`RGF93 / Lambert-93` for 2154).
pub fn epsg_name(code: u16) -> Option<String> {
    if code == 4326 {
        return Some("WGS 84".to_owned());
    }
    let def = crs_definitions::from_code(code)?;
    parse(def.wkt)
        .as_ref()
        .and_then(Node::name)
        .map(str::to_owned)
}

/// The name of the outermost CRS of a WKT text.
pub fn name(text: &str) -> Option<String> {
    parse(text).as_ref().and_then(Node::name).map(str::to_owned)
}

/// Parameters whose values must agree for a name match (ESRI and EPSG spellings).
const CHECKED: &[&[&str]] = &[
    &["false_easting"],
    &["false_northing"],
    &[
        "central_meridian",
        "longitude_of_origin",
        "longitude_of_center",
    ],
    &["latitude_of_origin", "latitude_of_center"],
    &["scale_factor"],
];

fn same_parameters(a: &Node, b: &Node) -> bool {
    let (pa, pb) = (a.parameters(), b.parameters());
    let get =
        |p: &BTreeMap<String, f64>, names: &[&str]| names.iter().find_map(|n| p.get(*n).copied());
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
    // ESRI and EPSG list the two standard parallels in either order.
    let parallels = |p: &BTreeMap<String, f64>| {
        let mut v: Vec<f64> = ["standard_parallel_1", "standard_parallel_2"]
            .iter()
            .filter_map(|n| p.get(*n).copied())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (sa, sb) = (parallels(&pa), parallels(&pb));
    let parallels_agree = sa.len() != sb.len() || sa.iter().zip(&sb).all(|(x, y)| close(*x, *y));
    parallels_agree
        && CHECKED
            .iter()
            .all(|names| match (get(&pa, names), get(&pb, names)) {
                (Some(x), Some(y)) => close(x, y),
                _ => true,
            })
}

/// The EPSG code of a WKT CRS, if it can be established.
///
/// # Examples
/// ```
/// let prj = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",44.0],PARAMETER["Standard_Parallel_2",49.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
/// assert_eq!(repere_engine::reproject::wkt::identify(prj), Some(2154));
/// ```
pub fn identify(text: &str) -> Option<u16> {
    let root = parse(text)?;
    if let Some(code) = root.epsg_authority() {
        return Some(code);
    }
    let code = *epsg_by_name().get(&fold(root.name()?))?;
    if code == 4326 {
        return Some(code);
    }
    let reference = parse(crs_definitions::from_code(code)?.wkt)?;
    same_parameters(&root, &reference).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LB93_ESRI: &str = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",44.0],PARAMETER["Standard_Parallel_2",49.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;

    #[test]
    fn the_esri_lambert93_prj_is_epsg_2154() {
        assert_eq!(identify(LB93_ESRI), Some(2154));
    }

    #[test]
    fn an_authority_code_wins() {
        let wkt = crs_definitions::from_code(3857).unwrap().wkt;
        assert_eq!(identify(wkt), Some(3857));
        assert_eq!(
            identify(
                r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#
            ),
            Some(4326)
        );
    }

    #[test]
    fn a_known_name_with_other_parameters_is_not_identified() {
        let shifted = LB93_ESRI.replace("700000.0", "600000.0");
        assert_eq!(identify(&shifted), None);
    }

    #[test]
    fn an_unknown_name_is_not_identified() {
        let custom = LB93_ESRI.replace("RGF93_Lambert_93", "My_Own_Conic");
        assert_eq!(identify(&custom), None);
        assert_eq!(name(&custom).as_deref(), Some("My_Own_Conic"));
    }

    #[test]
    fn epsg_names_come_from_the_table() {
        assert_eq!(epsg_name(2154).as_deref(), Some("RGF93 / Lambert-93"));
    }
}
