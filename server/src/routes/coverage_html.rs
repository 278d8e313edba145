//! The printable French A4 report of a coverage check (server-rendered, no script): territory,
//! date, data vintages and sources, parameters, a map drawn as SVG by the server, the figures per
//! actor group, the tables, the method and its limits.

use std::fmt::Write;

use repere_engine::coverage::CoverageReport;
use repere_engine::{Dataset, LoadReport};

use repere_engine::coverage::map_svg::{SITE_COLORS, render_map};

use crate::french::{esc, fr, mode_fr};
use crate::projects::report::{NO_GEOCODER, SitePlace, invisibles_fr, place_fr};

/// Renders a report as a standalone, printable page. `places` gives each site's place (its
/// nearest address by reverse geocoding, or its coordinates only and why), in the order of
/// `r.sites`; a site without one is written with its coordinates only.
pub fn render(
    ds: &Dataset,
    load: &LoadReport,
    r: &CoverageReport,
    places: &[SitePlace],
    date: &str,
) -> String {
    let thr = fr(r.threshold_min, 0);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Couverture des sites prévus — {t}</title><style>\
@page{{size:A4;margin:14mm 12mm}}\
body{{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.4;font-size:11pt}}\
h1{{font-size:1.5rem;margin:0 0 .3rem}}h2{{font-size:1.1rem;margin:1.2rem 0 .4rem;border-bottom:2px solid #0f4c81;padding-bottom:.1rem;break-after:avoid}}\
table{{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:10pt}}\
th,td{{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}}th{{background:#eef2f6}}td.n{{text-align:right;white-space:nowrap}}\
tr{{break-inside:avoid}}.note{{color:#444;font-size:9.5pt}}.key{{display:inline-block;width:.9em;height:.9em;border:1px solid #111;vertical-align:-.1em;margin-right:.3em}}\
figure{{margin:.5rem 0;break-inside:avoid}}figcaption{{font-size:9.5pt;color:#444}}.meta{{color:#333}}\
.print{{margin:.5rem 0}}@media print{{body{{margin:0;max-width:none;padding:0}}.print{{display:none}}a{{color:inherit;text-decoration:none}}}}\
</style></head><body><main>\
<h1>Couverture des sites prévus</h1>\
<p class=\"meta\">Territoire : <strong>{t}</strong> — rapport du {date} — seuil de <strong>{thr} minutes {mode}</strong>.</p>\
<p class=\"print\"><button type=\"button\" onclick=\"window.print()\">Imprimer ou enregistrer en PDF</button></p>",
        t = esc(&ds.name),
        date = esc(date),
        mode = mode_fr(r.mode),
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
        "<h2>En résumé</h2><ul><li>Jeunes de 15 à 29 ans atteints en {thr} min {mode}, tous sites : <strong>{}</strong> (estimation), sur {} carreaux de 200 m.</li>",
        fr(r.youth_reached, 0),
        r.cells_reached,
        mode = mode_fr(r.mode)
    );
    for g in &r.groups {
        let label = esc(g.group_label);
        let _ = write!(
            h,
            "<li>Sites « {label} » ({n}) : {y} jeunes atteints en {thr} min, dont <strong>{a}</strong> déjà à moins de {thr} min d'un acteur existant « {label} » et <strong>{b}</strong> en zone blanche « {label} » à {thr} min, nouvellement couverts ({c} carreaux).{absent}</li>",
            n = g.site_ids.len(),
            y = fr(g.youth_reached, 0),
            a = fr(g.youth_already_covered, 0),
            b = fr(g.youth_newly_covered, 0),
            c = g.gap_cells_newly_covered,
            absent = if g.group_in_data {
                String::new()
            } else {
                format!(
                    " Aucun acteur « {label} » n'est placé dans les données : personne n'est compté comme déjà couvert."
                )
            },
        );
    }
    if let Some(line) = invisibles_fr(ds, r) {
        let _ = write!(h, "<li id=\"invisibles\">{}</li>", esc(&line));
    }
    h.push_str("</ul>");

    // Map.
    let _ = write!(
        h,
        "<h2>Carte</h2><figure>{}<figcaption>Carreaux de 200 m dont le centre est à moins de {thr} min {} d'un site, colorés selon le site qui les atteint le plus vite ; contours des communes (gris) et des QPV 2024 (rose).</figcaption></figure>",
        render_map(ds, r),
        mode_fr(r.mode)
    );

    h.push_str("<h2>Sites</h2><table><thead><tr><th>N°</th><th>Site</th><th>Service (groupe)</th><th>Jours et horaires</th><th>Commune</th><th>QPV</th><th>Carreaux</th><th>Jeunes atteints</th></tr></thead><tbody>");
    for (i, s) in r.sites.iter().enumerate() {
        let days = s.site.days.as_ref().map(|d| {
            d.iter()
                .map(|w| ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"][w.index()])
                .collect::<Vec<_>>()
                .join(", ")
        });
        let hours = s.site.hours.map(|(a, b)| {
            format!(
                "{:02}h{:02}-{:02}h{:02}",
                a / 3600,
                a / 60 % 60,
                b / 3600,
                b / 60 % 60
            )
        });
        let when = match (days, hours) {
            (None, None) => "—".to_owned(),
            (d, hh) => [d, hh]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ; "),
        };
        let commune = s
            .commune
            .as_ref()
            .and_then(|c| ds.communes.iter().find(|x| x.code.as_str() == c))
            .map_or("—".to_owned(), |c| format!("{} ({})", c.name, c.code));
        let place = places
            .get(i)
            .cloned()
            .unwrap_or_else(|| SitePlace::Coordinates {
                lon: s.site.lon,
                lat: s.site.lat,
                why: NO_GEOCODER.to_owned(),
            });
        let _ = write!(
            h,
            "<tr><td><span class=\"key\" style=\"background:{}\"></span>{}</td><td>{}<br><span class=\"note site-place\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            SITE_COLORS[i % SITE_COLORS.len()],
            i + 1,
            esc(s.site.name.as_deref().unwrap_or(&s.site.id)),
            esc(&place_fr(&place)),
            esc(s.group.label()),
            esc(&when),
            esc(&commune),
            esc(s.qpv.as_deref().unwrap_or("—")),
            s.cells,
            fr(s.youth_reached, 0)
        );
    }
    let _ = write!(
        h,
        "</tbody></table><h2>Quartiers prioritaires atteints (seuil {thr} min, tous sites)</h2>"
    );
    if r.qpv.is_empty() {
        h.push_str("<p>Aucun QPV n'est atteint dans le seuil.</p>");
    } else {
        h.push_str("<table><thead><tr><th>Code</th><th>Nom</th><th>Part de la surface atteinte</th><th>Jeunes 15-29 ans atteints</th></tr></thead><tbody>");
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
        h.push_str("</tbody></table>");
    }
    let _ = write!(
        h,
        "<h2>Communes concernées (seuil {thr} min, tous sites)</h2><table><thead><tr><th>Code</th><th>Commune</th><th>Carreaux</th><th>Jeunes 15-29 ans atteints</th></tr></thead><tbody>"
    );
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
    h.push_str("</tbody></table>");
    for g in &r.groups {
        let label = esc(g.group_label);
        let _ = write!(
            h,
            "<h2>Acteurs existants « {label} » dans le même périmètre ({thr} min)</h2>"
        );
        if g.overlapping_actors.is_empty() {
            let _ = write!(
                h,
                "<p>Aucun acteur « {label} » existant ne couvre déjà ces carreaux.</p>"
            );
        } else {
            h.push_str("<table><thead><tr><th>Acteur</th><th>Type</th><th>Carreaux en commun</th></tr></thead><tbody>");
            for a in &g.overlapping_actors {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                    esc(&a.name),
                    esc(&a.kind),
                    a.cells
                );
            }
            h.push_str("</tbody></table>");
        }
    }

    // Sources and vintages.
    h.push_str("<h2>Données et millésimes</h2><ul>");
    let _ = write!(
        h,
        "<li>Communes : {} communes membres (contours IGN Admin Express COG 2018, simplifiés ; liste des membres 2026, découpage administratif Etalab).</li>",
        load.communes
    );
    for (v, n) in &load.qpv {
        let decree = if *v == 2024 {
            " (décret 2023-1314)"
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li>Quartiers prioritaires {v}{decree} : {n} QPV (ANCT, data.gouv.fr).</li>"
        );
    }
    let _ = write!(
        h,
        "<li>Jeunes de 15 à 29 ans : recensement de la population INSEE {} par IRIS ({} IRIS dont {} avec contours) ou par commune.</li>",
        load.youth
            .census_vintage
            .map_or("(millésime inconnu)".to_owned(), |v| v.to_string()),
        load.youth.iris,
        load.youth.iris_with_contours
    );
    let _ = write!(h, "<li>Acteurs : {} structures", load.actors);
    let sources: Vec<String> = load
        .actor_sources
        .iter()
        .map(|s| {
            format!(
                "source « {} » : {} retenues (fichier {})",
                s.source, s.kept, s.file
            )
        })
        .collect();
    if !sources.is_empty() {
        let _ = write!(h, " — {}", esc(&sources.join(" ; ")));
    }
    h.push_str(".</li>");
    if let Some(t) = &load.transport {
        let _ = write!(
            h,
            "<li>Transport : {} arrêts, {} lignes (GTFS) ; {}.</li>",
            t.stops,
            t.routes,
            if t.timetable_available {
                "horaires disponibles"
            } else {
                "sans horaires : accès mesuré à pied"
            }
        );
    }
    let _ = write!(
        h,
        "<li>Version des données : {} ; origine et licence de chaque fichier dans les SOURCE.md du dossier data/.</li></ul>",
        esc(&load.version)
    );
    let _ = write!(
        h,
        "<h2>Méthode et limites</h2><p class=\"note\">Temps d'accès {}. Un site est compté pour le service qu'il offre (groupe d'acteurs) : \
les jeunes « déjà couverts » sont à moins de {thr} min d'un acteur existant du même groupe, les autres sont en zone blanche de ce groupe ; \
les deux s'additionnent pour donner les jeunes atteints. Jeunes de 15 à 29 ans : recensement par IRIS (contours) ou par commune, \
répartis uniformément sur la surface des carreaux de 200 m (Lambert-93) ; c'est une estimation, pas un décompte, qui ignore où les jeunes habitent réellement \
(bois, zones d'activité et Seine en reçoivent aussi). Les distances à pied sont à vol d'oiseau corrigées d'un facteur de détour, sans tenir compte du relief ni des coupures (voies ferrées, fleuve). \
Les QPV sont atteints pour la part de leur surface située dans des carreaux atteints.</p></main></body></html>",
        esc(&r.method)
    );
    h
}
