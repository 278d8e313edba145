//! The map of a project's report as a drawing in page units (Lambert-93 metres scaled, north
//! up, origin top left): the reached 200 m cells coloured by the project's site reaching them
//! first, the commune and QPV outlines with their names, the numbered sites and a 1 km scale
//! bar. The HTML report draws it as SVG, the PDF as vector paths: one drawing, two renderers.

use geo::{BoundingRect, InteriorPoint, Intersects, MultiPolygon, Rect, Simplify, coord};

use crate::dataset::Dataset;

use super::coverage::ProjectCoverage;

/// Colours of the sites' cells, cycled (distinct at print, readable on white).
pub use crate::coverage::map_svg::SITE_COLORS;

/// Size of the commune names, page units.
pub const COMMUNE_LABEL: f64 = 11.0;
/// Size of the QPV names, page units.
pub const QPV_LABEL: f64 = 10.0;

/// One outline with its name and where to write it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    /// Code (INSEE or QPV).
    pub code: String,
    /// Name.
    pub name: String,
    /// Rings, each a closed list of page points.
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Where the name goes (the middle of its baseline, inside the shape and the view), if
    /// anywhere: names that would overlap a name placed first, or a site, are left out.
    pub label_at: Option<(f64, f64)>,
}

/// A reached cell, as a square in page units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapCell {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Side.
    pub size: f64,
    /// Index (from 0) of the project's site reaching it first.
    pub site: usize,
}

/// A numbered site.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapSite {
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// Index (from 0) of the project's site (its number is `site + 1`).
    pub site: usize,
}

/// The drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct MapDrawing {
    /// Width, page units.
    pub width: f64,
    /// Height, page units.
    pub height: f64,
    /// Reached cells.
    pub cells: Vec<MapCell>,
    /// Communes in view.
    pub communes: Vec<MapShape>,
    /// QPV (latest vintage) in view.
    pub qpv: Vec<MapShape>,
    /// QPV vintage drawn.
    pub qpv_vintage: u16,
    /// Sites, once per project site.
    pub sites: Vec<MapSite>,
    /// Length of 1 km, page units.
    pub km: f64,
}

/// Draws the map `width` units wide (the height follows the extent, at most `max_height`).
/// `None` when nothing is placed.
pub fn draw(
    ds: &Dataset,
    cov: &ProjectCoverage,
    width: f64,
    max_height: f64,
) -> Option<MapDrawing> {
    let r = cov.report.as_ref()?;
    let cell_m = 200.0;
    let mut x0 = f64::INFINITY;
    let mut x1 = f64::NEG_INFINITY;
    let mut y0 = f64::INFINITY;
    let mut y1 = f64::NEG_INFINITY;
    let mut grow = |x: f64, y: f64| {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    };
    for c in &r.cells {
        grow(c.x_l93, c.y_l93);
        grow(c.x_l93 + cell_m, c.y_l93 + cell_m);
    }
    for s in &r.sites {
        grow(s.site.point_l93.x(), s.site.point_l93.y());
    }
    if !(x0.is_finite() && y0.is_finite()) {
        return None;
    }
    let pad = ((x1 - x0).max(y1 - y0) * 0.08).max(500.0);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut half_w = (x1 - x0).max(3000.0) / 2.0 + pad;
    let mut half_h = (y1 - y0).max(2000.0) / 2.0 + pad;
    // Widen the view rather than exceed the page's height.
    let aspect_max = max_height / width;
    if half_h / half_w > aspect_max {
        half_w = half_h / aspect_max;
    } else {
        half_h = half_h.max(half_w * 0.55);
    }
    let (x0, x1, y0, y1) = (cx - half_w, cx + half_w, cy - half_h, cy + half_h);
    let scale = width / (x1 - x0);
    let height = (y1 - y0) * scale;
    let tx = |x: f64, y: f64| ((x - x0) * scale, (y1 - y) * scale);
    let view = Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 });
    let inner = Rect::new(
        coord! { x: x0 + 0.04 * (x1 - x0), y: y0 + 0.04 * (y1 - y0) },
        coord! { x: x1 - 0.04 * (x1 - x0), y: y1 - 0.04 * (y1 - y0) },
    );
    let tol = 1.0 / scale;
    let shape = |code: &str, name: &str, mp: &MultiPolygon| -> Option<MapShape> {
        if !mp.bounding_rect().is_some_and(|b| b.intersects(&view)) {
            return None;
        }
        let simple = mp.simplify(tol);
        let rings = simple
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.coords().map(|c| tx(c.x, c.y)).collect())
            .collect();
        // The label at geo's interior point when it lies well inside the view, else at the
        // middle of the part of the shape in view, else none.
        let label_at = mp
            .interior_point()
            .filter(|p| inner.intersects(p))
            .or_else(|| {
                let clipped =
                    geo::BooleanOps::intersection(mp, &MultiPolygon::from(inner.to_polygon()));
                clipped.interior_point()
            })
            .map(|p| tx(p.x(), p.y()));
        Some(MapShape {
            code: code.to_owned(),
            name: name.to_owned(),
            rings,
            label_at,
        })
    };
    let mut communes: Vec<MapShape> = ds
        .communes
        .iter()
        .filter_map(|c| shape(c.code.as_str(), &c.name, &c.boundary_l93))
        .collect();
    let qpv_vintage = ds.latest_qpv_vintage().unwrap_or(2024);
    let mut qpv: Vec<MapShape> = ds
        .qpv_of_vintage(qpv_vintage)
        .filter_map(|q| shape(q.code.as_str(), &q.name, &q.boundary_l93))
        .collect();
    // QPV names sit just under their point, commune names on it.
    for q in &mut qpv {
        q.label_at = q.label_at.map(|(x, y)| (x, y + QPV_LABEL + 2.0));
    }
    let site_of = |i: usize| cov.site_of.get(i).copied().unwrap_or(i);
    let cells = r
        .cells
        .iter()
        .map(|c| {
            let (x, y) = tx(c.x_l93, c.y_l93 + cell_m);
            MapCell {
                x,
                y,
                size: cell_m * scale,
                site: site_of(c.site),
            }
        })
        .collect();
    let mut sites: Vec<MapSite> = Vec::new();
    for (i, s) in r.sites.iter().enumerate() {
        let site = site_of(i);
        if sites.iter().any(|m| m.site == site) {
            continue;
        }
        let (x, y) = tx(s.site.point_l93.x(), s.site.point_l93.y());
        sites.push(MapSite { x, y, site });
    }
    declutter(r, &sites, &mut communes, &mut qpv);
    Some(MapDrawing {
        width,
        height,
        cells,
        communes,
        qpv,
        qpv_vintage,
        sites,
        km: 1000.0 * scale,
    })
}

/// Leaves out the names that would overlap a site marker or a name placed before them, placed
/// in this order: communes reached, QPV reached, other QPV, other communes.
fn declutter(
    r: &crate::coverage::CoverageReport,
    sites: &[MapSite],
    communes: &mut [MapShape],
    qpv: &mut [MapShape],
) {
    type Bx = (f64, f64, f64, f64);
    let boxed = |s: &MapShape, size: f64| -> Option<Bx> {
        let (x, y) = s.label_at?;
        let w = 0.6 * size * s.name.chars().count() as f64;
        Some((x - w / 2.0, y - size, x + w / 2.0, y + 0.25 * size))
    };
    let hit = |a: &Bx, b: &Bx| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let mut placed: Vec<Bx> = sites
        .iter()
        .map(|m| (m.x - 10.0, m.y - 10.0, m.x + 10.0, m.y + 10.0))
        .collect();
    let reached_c: Vec<&str> = r.communes.iter().map(|c| c.code.as_str()).collect();
    let reached_q: Vec<&str> = r.qpv.iter().map(|q| q.code.as_str()).collect();
    let mut order: Vec<(u8, bool, usize)> = Vec::new();
    for (i, c) in communes.iter().enumerate() {
        order.push((
            if reached_c.contains(&c.code.as_str()) {
                0
            } else {
                3
            },
            false,
            i,
        ));
    }
    for (i, q) in qpv.iter().enumerate() {
        order.push((
            if reached_q.contains(&q.code.as_str()) {
                1
            } else {
                2
            },
            true,
            i,
        ));
    }
    order.sort();
    for (_, is_qpv, i) in order {
        let (shape, size) = if is_qpv {
            (&mut qpv[i], QPV_LABEL)
        } else {
            (&mut communes[i], COMMUNE_LABEL)
        };
        if let Some(b) = boxed(shape, size) {
            if placed.iter().any(|p| hit(p, &b)) {
                shape.label_at = None;
            } else {
                placed.push(b);
            }
        }
    }
}
