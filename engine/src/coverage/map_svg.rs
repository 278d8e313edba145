//! The map of a coverage report as SVG, drawn by the server from the same geometry as the check
//! (Lambert-93 metres, north up), so the report prints without a browser map: commune
//! boundaries, QPV 2024 outlines, the reached 200 m cells coloured by the site reaching them
//! first, and the numbered sites.

use std::fmt::Write;

use crate::coverage::CoverageReport;
use crate::dataset::Dataset;
use crate::text::escape_xml;
use geo::{BoundingRect, Intersects, MultiPolygon, Rect, Simplify, coord};

/// Colours of the sites' cells, cycled (distinct at print, readable on white).
pub const SITE_COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

const WIDTH_PX: f64 = 680.0;

fn path_of(mp: &MultiPolygon, tx: &impl Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for poly in &mp.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for (i, c) in ring.coords().enumerate() {
                let (x, y) = tx(c.x, c.y);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// The SVG (a standalone `<svg>` element with a title and a description).
pub fn render_map(ds: &Dataset, r: &CoverageReport) -> String {
    // Extent: reached cells and sites, with a margin, at least 3 km wide.
    let cell_m = 200.0;
    let mut xs: Vec<f64> = r
        .cells
        .iter()
        .flat_map(|c| [c.x_l93, c.x_l93 + cell_m])
        .collect();
    let mut ys: Vec<f64> = r
        .cells
        .iter()
        .flat_map(|c| [c.y_l93, c.y_l93 + cell_m])
        .collect();
    xs.extend(r.sites.iter().map(|s| s.site.point_l93.x()));
    ys.extend(r.sites.iter().map(|s| s.site.point_l93.y()));
    let fold = |v: &[f64], f: fn(f64, f64) -> f64, init: f64| v.iter().copied().fold(init, f);
    let (mut x0, mut x1) = (
        fold(&xs, f64::min, f64::INFINITY),
        fold(&xs, f64::max, f64::NEG_INFINITY),
    );
    let (mut y0, mut y1) = (
        fold(&ys, f64::min, f64::INFINITY),
        fold(&ys, f64::max, f64::NEG_INFINITY),
    );
    if !(x0.is_finite() && y0.is_finite()) {
        return String::new();
    }
    let pad = ((x1 - x0).max(y1 - y0) * 0.12).max(500.0);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let half = (
        (x1 - x0).max(3000.0) / 2.0 + pad,
        (y1 - y0).max(2000.0) / 2.0 + pad,
    );
    (x0, x1, y0, y1) = (cx - half.0, cx + half.0, cy - half.1, cy + half.1);
    let scale = WIDTH_PX / (x1 - x0);
    let height_px = (y1 - y0) * scale;
    let tx = |x: f64, y: f64| ((x - x0) * scale, (y1 - y) * scale);
    let view = Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 });
    let tol = 1.0 / scale; // one pixel

    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"report-map\" role=\"img\" aria-labelledby=\"map-title map-desc\" viewBox=\"0 0 {WIDTH_PX:.0} {height_px:.0}\" width=\"100%\" style=\"max-width:{WIDTH_PX:.0}px\">\
<title id=\"map-title\">Carte des sites prévus et des carreaux atteints en {} min</title>\
<desc id=\"map-desc\">{} site(s), {} carreaux de 200 m atteints ; contours des communes en gris, des QPV 2024 en rose, sites numérotés.</desc>\
<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        r.threshold_min,
        r.sites.len(),
        r.cells.len()
    );
    // Reached cells, by site colour.
    s.push_str("<g stroke=\"none\" fill-opacity=\"0.45\">");
    for c in &r.cells {
        let (x, y) = tx(c.x_l93, c.y_l93 + cell_m);
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"{}\"/>",
            SITE_COLORS[c.site % SITE_COLORS.len()],
            w = cell_m * scale
        );
    }
    s.push_str("</g><g fill=\"none\" stroke=\"#777\" stroke-width=\"1\">");
    for c in &ds.communes {
        if c.boundary_l93
            .bounding_rect()
            .is_some_and(|b| b.intersects(&view))
        {
            let _ = write!(
                s,
                "<path d=\"{}\"/>",
                path_of(&c.boundary_l93.simplify(tol), &tx)
            );
        }
    }
    s.push_str(
        "</g><g fill=\"#c2185b\" fill-opacity=\"0.08\" stroke=\"#c2185b\" stroke-width=\"2\">",
    );
    let vintage = ds.latest_qpv_vintage().unwrap_or(2024);
    for q in ds.qpv_of_vintage(vintage) {
        if q.boundary_l93
            .bounding_rect()
            .is_some_and(|b| b.intersects(&view))
        {
            let _ = write!(
                s,
                "<path d=\"{}\"><title>{} {}</title></path>",
                path_of(&q.boundary_l93.simplify(tol), &tx),
                escape_xml(q.code.as_str()),
                escape_xml(&q.name)
            );
        }
    }
    s.push_str("</g><g font-family=\"sans-serif\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\">");
    for (i, site) in r.sites.iter().enumerate() {
        let (x, y) = tx(site.site.point_l93.x(), site.site.point_l93.y());
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"{}\" stroke=\"#111\" stroke-width=\"2\"/><text x=\"{x:.1}\" y=\"{:.1}\" fill=\"#fff\">{}</text>",
            SITE_COLORS[i % SITE_COLORS.len()],
            y + 4.0,
            i + 1
        );
    }
    // Scale bar: 1 km.
    let bar = 1000.0 * scale;
    let _ = write!(
        s,
        "</g><g font-family=\"sans-serif\" font-size=\"11\"><rect x=\"10\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"4\" fill=\"#111\"/><text x=\"10\" y=\"{:.1}\">1 km</text><text x=\"{:.1}\" y=\"16\" text-anchor=\"end\">N ↑ — Lambert-93</text></g></svg>",
        height_px - 14.0,
        height_px - 20.0,
        WIDTH_PX - 8.0
    );
    s
}
