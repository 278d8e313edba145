//! The printable French HTML page of a coverage check (server-rendered, no script).

use std::fmt::Write;

use repere_engine::coverage::{CoverageReport, Mode};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fr(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

/// Renders a report as a standalone, printable page.
pub fn render(territory: &str, r: &CoverageReport) -> String {
    let mode = |m: Mode| match m {
        Mode::Walk => "à pied",
        Mode::Transit => "à pied et en transport en commun",
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Couverture des sites prévus — {t}</title>\
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}}table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}\
th,td{{border:1px solid #bbb;padding:.3rem .5rem;text-align:left}}td.n{{text-align:right}}.note{{color:#555;font-size:.9rem}}\
@media print{{body{{margin:0}}}}</style></head><body>\
<h1>Couverture des sites prévus</h1><p>{t} — seuil de {m} minutes {mode}.</p>",
        t = esc(territory),
        m = fr(r.threshold_min, 0),
        mode = mode(r.mode),
    );
    for w in &r.warnings {
        let _ = write!(
            h,
            "<p class=\"note\"><strong>Attention :</strong> {}</p>",
            esc(w)
        );
    }
    let _ = write!(
        h,
        "<h2>En résumé</h2><ul><li>Jeunes de 15 à 29 ans atteints (estimation) : <strong>{}</strong></li>\
<li>Carreaux de 200 m atteints : {}</li><li>Dont jeunes déjà à moins de {} min d'un acteur existant{} : {}</li>\
<li>Carreaux en zone blanche nouvellement couverts : {} ({} jeunes)</li></ul>",
        fr(r.youth_reached, 0),
        r.cells_reached,
        fr(r.threshold_min, 0),
        r.group
            .map_or(String::new(), |g| format!(" ({})", esc(g.label()))),
        fr(r.youth_already_covered, 0),
        r.gap_cells_newly_covered,
        fr(r.youth_in_gap_cells_newly_covered, 0),
    );
    h.push_str("<h2>Sites</h2><table><tr><th>Site</th><th>Lon, lat</th><th>Commune</th><th>QPV</th><th>Carreaux</th><th>Jeunes atteints</th></tr>");
    for s in &r.sites {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{:.5}, {:.5}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(s.site.name.as_deref().unwrap_or(&s.site.id)),
            s.site.lon,
            s.site.lat,
            esc(s.commune.as_deref().unwrap_or("hors territoire")),
            esc(s.qpv.as_deref().unwrap_or("—")),
            s.cells,
            fr(s.youth_reached, 0)
        );
    }
    h.push_str("</table><h2>Quartiers prioritaires atteints</h2>");
    if r.qpv.is_empty() {
        h.push_str("<p>Aucun QPV n'est atteint dans le seuil.</p>");
    } else {
        h.push_str("<table><tr><th>QPV</th><th>Nom</th><th>Part de la surface atteinte</th><th>Jeunes atteints</th></tr>");
        for q in &r.qpv {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{} %</td><td class=\"n\">{}</td></tr>",
                esc(&q.code),
                esc(&q.name),
                fr(q.share_reached_pct, 0),
                fr(q.youth_reached, 0)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>Communes concernées</h2><table><tr><th>Code</th><th>Commune</th><th>Carreaux</th><th>Jeunes atteints</th></tr>");
    for c in &r.communes {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.code),
            esc(&c.name),
            c.cells,
            fr(c.youth_reached, 0)
        );
    }
    h.push_str("</table><h2>Acteurs existants couvrant déjà ces carreaux</h2>");
    if r.overlapping_actors.is_empty() {
        h.push_str("<p>Aucun.</p>");
    } else {
        h.push_str("<table><tr><th>Acteur</th><th>Type</th><th>Carreaux en commun</th></tr>");
        for a in &r.overlapping_actors {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&a.name),
                esc(&a.kind),
                a.cells
            );
        }
        h.push_str("</table>");
    }
    let _ = write!(
        h,
        "<h2>Méthode</h2><p class=\"note\">{}. Jeunes de 15 à 29 ans : recensement par IRIS (contours) ou par commune, \
répartis uniformément sur la surface ; estimation, pas un décompte.</p></body></html>",
        esc(&r.method)
    );
    h
}
