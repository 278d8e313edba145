//! The project report as a printable French page, paginated for A4 on purpose: `@page` margins,
//! the map sized to fit one page with its legend (never pushed alone onto a page of its own),
//! table rows that do not break across pages and headers repeated on each page, headings kept
//! with what follows them. No script: one inline stylesheet and the map as inline SVG.

use std::fmt::Write;

use repere_engine::project::map::{COMMUNE_LABEL, MapDrawing, QPV_LABEL, SITE_COLORS};

use super::report::{Block, COMMUNE_COLOR, MapBlock, QPV_COLOR, ReportDoc, Swatch, Table};
use crate::french::esc;

const STYLE: &str = "@page{size:A4;margin:14mm 12mm 16mm}\
body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.35;font-size:10.5pt}\
h1{font-size:1.45rem;margin:0 0 .2rem}.sub{color:#333;margin:0 0 .6rem}\
h2{font-size:1.08rem;margin:1rem 0 .35rem;border-bottom:2px solid #0f4c81;padding-bottom:.1rem;break-after:avoid;page-break-after:avoid}\
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:8.5pt;table-layout:fixed}\
thead{display:table-header-group}\
th,td{border:1px solid #999;padding:.15rem .3rem;overflow-wrap:anywhere;text-align:left;vertical-align:top}th{background:#eef2f6}td.n{text-align:right;white-space:nowrap}\
tr{break-inside:avoid;page-break-inside:avoid}\
table.id th{width:28%;background:#f5f7f9}\
.note{color:#444;font-size:9pt}.caveat{border-left:4px solid #b45309;background:#fff7ed;padding:.3rem .5rem;font-size:9.5pt;break-inside:avoid}\
figure{margin:.4rem 0;break-inside:avoid;page-break-inside:avoid}figure svg{display:block;width:100%;height:auto;max-height:165mm}\
figcaption{font-size:9pt;color:#444}ul.legend{list-style:none;padding:0;margin:.3rem 0;font-size:9pt;columns:2}\
ul.legend li{break-inside:avoid;margin:.1rem 0}.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-right:.35em;box-sizing:border-box}\
.page-break{break-before:page;page-break-before:always;border-top:1px dashed #bbb;margin:1.2rem 0 0}\
.print{margin:.5rem 0}@media print{.page-break{border:0;margin:0}body{margin:0;max-width:none;padding:0}.print{display:none}a{color:inherit;text-decoration:none}}";

/// The map as an SVG element.
pub fn map_svg(d: &MapDrawing) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"report-map\" role=\"img\" aria-labelledby=\"map-title\" viewBox=\"0 0 {:.0} {:.0}\" preserveAspectRatio=\"xMidYMid meet\"><title id=\"map-title\">Carte des sites du projet, des carreaux atteints, des communes et des QPV</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><g stroke=\"none\" fill-opacity=\"0.45\">",
        d.width, d.height
    );
    for c in &d.cells {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"{}\"/>",
            c.x,
            c.y,
            SITE_COLORS[c.site % SITE_COLORS.len()],
            w = c.size
        );
    }
    let path = |rings: &[Vec<(f64, f64)>]| {
        let mut p = String::new();
        for ring in rings {
            for (i, (x, y)) in ring.iter().enumerate() {
                let _ = write!(p, "{}{x:.1},{y:.1}", if i == 0 { 'M' } else { 'L' });
            }
            p.push('Z');
        }
        p
    };
    let _ = write!(
        s,
        "</g><g fill=\"none\" stroke=\"{COMMUNE_COLOR}\" stroke-width=\"1\">"
    );
    for c in &d.communes {
        let _ = write!(s, "<path d=\"{}\"/>", path(&c.rings));
    }
    let _ = write!(
        s,
        "</g><g fill=\"{QPV_COLOR}\" fill-opacity=\"0.06\" stroke=\"{QPV_COLOR}\" stroke-width=\"2\">"
    );
    for q in &d.qpv {
        let _ = write!(s, "<path d=\"{}\"/>", path(&q.rings));
    }
    s.push_str("</g><g font-family=\"DejaVu Sans, sans-serif\" text-anchor=\"middle\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\">");
    for c in &d.communes {
        if let Some((x, y)) = c.label_at {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{COMMUNE_LABEL}\" fill=\"#555\">{}</text>",
                esc(&c.name)
            );
        }
    }
    for q in &d.qpv {
        if let Some((x, y)) = q.label_at {
            let _ = write!(
                s,
                "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{QPV_LABEL}\" font-style=\"italic\" fill=\"{QPV_COLOR}\">{}</text>",
                esc(&q.name)
            );
        }
    }
    s.push_str("</g><g font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\">");
    for m in &d.sites {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"9\" fill=\"{}\" stroke=\"#111\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#fff\">{}</text>",
            m.x,
            m.y,
            SITE_COLORS[m.site % SITE_COLORS.len()],
            m.x,
            m.y + 4.0,
            m.site + 1
        );
    }
    let _ = write!(
        s,
        "</g><g font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\"><rect x=\"10\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"#111\"/><text x=\"10\" y=\"{:.1}\">1 km</text><text x=\"{:.1}\" y=\"16\" text-anchor=\"end\">N ↑ — Lambert-93</text></g></svg>",
        d.height - 14.0,
        d.km,
        d.height - 20.0,
        d.width - 8.0
    );
    s
}

fn table(h: &mut String, t: &Table) {
    // The same column widths as the PDF's, so that rows wrap (and pages fill) alike.
    h.push_str("<table><colgroup>");
    let total: f64 = t.widths.iter().sum::<f64>().max(1e-9);
    for w in &t.widths {
        let _ = write!(h, "<col style=\"width:{:.1}%\">", w / total * 100.0);
    }
    h.push_str("</colgroup><thead><tr>");
    for c in &t.header {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        h.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let class = if t.numeric.get(i).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{}</td>", esc(c));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
}

fn map(h: &mut String, m: &MapBlock) {
    let _ = write!(h, "<figure>{}<ul class=\"legend\">", map_svg(&m.drawing));
    for (swatch, label) in &m.legend {
        let style = match swatch {
            Swatch::Fill(c) => format!("background:{c};opacity:.7;border:1px solid #333"),
            Swatch::Outline(c, w) => format!("border:{w}px solid {c}"),
        };
        let _ = write!(
            h,
            "<li><span class=\"key\" style=\"{style}\"></span>{}</li>",
            esc(label)
        );
    }
    let _ = write!(
        h,
        "</ul><figcaption>{}</figcaption></figure>",
        esc(&m.caption)
    );
}

/// The page of a project's report.
pub fn render(doc: &ReportDoc) -> String {
    render_as(doc, "dossier de couverture")
}

/// The page of any document built as a [`ReportDoc`] (a project's report, the portfolio's
/// decision note), `kind` naming it in the window title.
pub fn render_as(doc: &ReportDoc, kind: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t} — {k}</title><style>{STYLE}</style></head><body><main><h1>{t}</h1><p class=\"sub\">{s}</p>",
        t = esc(&doc.title),
        k = esc(kind),
        s = esc(&doc.subtitle)
    );
    h.push_str("<table class=\"id\"><tbody>");
    for (k, v) in &doc.identity {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(k),
            esc(v)
        );
    }
    h.push_str("</tbody></table>");
    for b in &doc.blocks {
        match b {
            Block::Heading(t) => {
                let _ = write!(h, "<h2>{}</h2>", esc(t));
            }
            Block::Para(t) => {
                let _ = write!(h, "<p>{}</p>", esc(t));
            }
            Block::Note(t) => {
                let _ = write!(h, "<p class=\"note\">{}</p>", esc(t));
            }
            Block::Caveat(t) => {
                let _ = write!(h, "<p class=\"caveat\">{}</p>", esc(t));
            }
            Block::Bullets(items) => {
                h.push_str("<ul>");
                for i in items {
                    let _ = write!(h, "<li>{}</li>", esc(i));
                }
                h.push_str("</ul>");
            }
            Block::Table(t) => table(&mut h, t),
            Block::Map(m) => map(&mut h, m),
            Block::PageBreak => h.push_str("<div class=\"page-break\"></div>"),
        }
    }
    h.push_str("</main></body></html>");
    h
}
