//! The project report as a PDF file, made by the server from the same document as the HTML page
//! ([`super::report::ReportDoc`]): A4 pages laid out here (text wrapped on the font's own
//! advance widths, table rows kept whole with their header repeated on each page, headings kept
//! with what follows, the map and its legend on one page), the map drawn as vector paths from
//! the engine's drawing, page numbers in the footer.
//!
//! The PDF is written with `pdf-writer` (a small, maintained writer of PDF objects) and
//! `ttf-parser` (glyphs and widths of a TrueType font); the text is set in DejaVu Sans and
//! DejaVu Sans Bold (the `dejavu` crate, already used for the map labels' glyphs), embedded as
//! CID fonts with a ToUnicode map, so that every French character prints and `pdftotext`
//! extracts the text. A new page is started only for something to put on it: no page is
//! without content.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use repere_engine::project::map::{COMMUNE_LABEL, MapDrawing, QPV_LABEL, SITE_COLORS};

use super::report::{Block, COMMUNE_COLOR, MapBlock, QPV_COLOR, ReportDoc, Swatch, Table};
use crate::AppError;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = 42.0;
const TOP: f32 = 46.0;
const BOTTOM: f32 = 52.0;
const WIDTH: f32 = PAGE_W - LEFT - RIGHT;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

struct FontData {
    face: ttf_parser::Face<'static>,
    raw: &'static [u8],
    /// The font file compressed once per process.
    deflated: OnceLock<Vec<u8>>,
    name: &'static [u8],
}

fn font(f: Face) -> Result<&'static FontData, AppError> {
    static REGULAR: OnceLock<Option<FontData>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontData>> = OnceLock::new();
    let (cell, raw, name) = match f {
        Face::Regular => (&REGULAR, dejavu::sans::regular(), &b"DejaVuSans"[..]),
        Face::Bold => (&BOLD, dejavu::sans::bold(), &b"DejaVuSans-Bold"[..]),
    };
    cell.get_or_init(|| {
        ttf_parser::Face::parse(raw, 0).ok().map(|face| FontData {
            face,
            raw,
            deflated: OnceLock::new(),
            name,
        })
    })
    .as_ref()
    .ok_or_else(|| AppError::Internal("police DejaVu illisible".into()))
}

/// A colour, RGB in 0..1.
type Rgb = (f32, f32, f32);

/// Hex colour `#rrggbb` to RGB in 0..1, lightened towards white by `1 - alpha`.
fn rgb(hex: &str, alpha: f32) -> (f32, f32, f32) {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .map_or(0.0, |v| f32::from(v) / 255.0)
    };
    let mix = |v: f32| 1.0 - alpha * (1.0 - v);
    (mix(c(0)), mix(c(2)), mix(c(4)))
}

/// Lays out pages of content.
struct Writer {
    fonts: [&'static FontData; 2],
    used: [BTreeMap<u16, char>; 2],
    pages: Vec<Content>,
    /// Distance from the top of the current page.
    y: f32,
}

impl Writer {
    fn new() -> Result<Self, AppError> {
        Ok(Self {
            fonts: [font(Face::Regular)?, font(Face::Bold)?],
            used: [BTreeMap::new(), BTreeMap::new()],
            pages: Vec::new(),
            y: PAGE_H,
        })
    }

    fn fi(f: Face) -> usize {
        match f {
            Face::Regular => 0,
            Face::Bold => 1,
        }
    }

    fn glyph(&self, f: Face, c: char) -> ttf_parser::GlyphId {
        let face = &self.fonts[Self::fi(f)].face;
        face.glyph_index(c)
            .or_else(|| face.glyph_index('?'))
            .unwrap_or(ttf_parser::GlyphId(0))
    }

    fn width(&self, f: Face, size: f32, text: &str) -> f32 {
        let face = &self.fonts[Self::fi(f)].face;
        let upm = f32::from(face.units_per_em());
        text.chars()
            .map(|c| f32::from(face.glyph_hor_advance(self.glyph(f, c)).unwrap_or(0)))
            .sum::<f32>()
            * size
            / upm
    }

    /// Splits text into lines at most `max` wide (words longer than a line are cut).
    fn wrap(&self, f: Face, size: f32, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(f, size, &candidate) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(f, size, &piece) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    /// Makes room for `h` points, starting a page when the current one has not enough (or
    /// when there is no page yet).
    fn room(&mut self, h: f32) {
        if self.pages.is_empty() || self.y + h > PAGE_H - BOTTOM {
            self.new_page();
        }
    }

    fn text(&mut self, f: Face, size: f32, x: f32, y_top: f32, text: &str, color: (f32, f32, f32)) {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let g = self.glyph(f, c);
            self.used[Self::fi(f)].entry(g.0).or_insert(c);
            bytes.extend_from_slice(&g.0.to_be_bytes());
        }
        let name = if f == Face::Bold { b"F2" } else { b"F1" };
        let baseline = PAGE_H - y_top - size * 0.8;
        let page = self.page();
        page.set_fill_rgb(color.0, color.1, color.2);
        page.begin_text();
        page.set_font(Name(name), size);
        page.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, baseline]);
        page.show(Str(&bytes));
        page.end_text();
    }

    /// A wrapped paragraph at the cursor, breaking pages between lines.
    fn para(&mut self, f: Face, size: f32, indent: f32, text: &str, color: (f32, f32, f32)) {
        let leading = size * 1.32;
        for line in self.wrap(f, size, text, WIDTH - indent) {
            self.room(leading);
            let y = self.y;
            self.text(f, size, LEFT + indent, y, &line, color);
            self.y += leading;
        }
    }

    fn heading(&mut self, text: &str) {
        // Kept with the next 80 points of content.
        self.room(22.0 + 80.0);
        self.y += 8.0;
        let y = self.y;
        self.text(Face::Bold, 12.5, LEFT, y, text, (0.06, 0.30, 0.51));
        self.y += 16.5;
        let yl = PAGE_H - self.y;
        let p = self.page();
        p.set_stroke_rgb(0.06, 0.30, 0.51);
        p.set_line_width(1.2);
        p.move_to(LEFT, yl);
        p.line_to(LEFT + WIDTH, yl);
        p.stroke();
        self.y += 5.0;
    }

    fn row_lines(&self, t: &Table, row: &[String], f: Face, widths: &[f32]) -> Vec<Vec<String>> {
        row.iter()
            .enumerate()
            .map(|(i, c)| self.wrap(f, 8.0, c, widths.get(i).copied().unwrap_or(40.0) - 6.0))
            .chain(std::iter::repeat_n(
                Vec::new(),
                t.header.len().saturating_sub(row.len()),
            ))
            .collect()
    }

    fn draw_row(&mut self, t: &Table, lines: &[Vec<String>], widths: &[f32], header: bool) {
        let leading = 10.2;
        let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = n as f32 * leading + 5.0;
        let top = self.y;
        let yb = PAGE_H - top - h;
        {
            let p = self.page();
            if header {
                p.set_fill_rgb(0.93, 0.95, 0.965);
                p.rect(LEFT, yb, WIDTH, h);
                p.fill_nonzero();
            }
            p.set_stroke_rgb(0.6, 0.6, 0.6);
            p.set_line_width(0.5);
            let mut x = LEFT;
            for w in widths {
                p.rect(x, yb, *w, h);
                x += w;
            }
            p.stroke();
        }
        let f = if header { Face::Bold } else { Face::Regular };
        let mut x = LEFT;
        for (i, cell) in lines.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0.0);
            let right = !header && t.numeric.get(i).copied().unwrap_or(false);
            for (k, line) in cell.iter().enumerate() {
                let tx = if right {
                    x + w - 3.0 - self.width(f, 8.0, line)
                } else {
                    x + 3.0
                };
                self.text(
                    f,
                    8.0,
                    tx,
                    top + 2.5 + k as f32 * leading,
                    line,
                    (0.1, 0.1, 0.1),
                );
            }
            x += w;
        }
        self.y += h;
    }

    fn table(&mut self, t: &Table, with_header: bool) {
        let total: f64 = t.widths.iter().sum::<f64>().max(1e-9);
        let widths: Vec<f32> = t
            .widths
            .iter()
            .map(|w| (w / total) as f32 * WIDTH)
            .collect();
        let head = self.row_lines(t, &t.header, Face::Bold, &widths);
        let head_h = head.iter().map(Vec::len).max().unwrap_or(1) as f32 * 10.2 + 5.0;
        let mut first = true;
        for row in &t.rows {
            let lines = self.row_lines(t, row, Face::Regular, &widths);
            let h = lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * 10.2 + 5.0;
            let need = if first && with_header { head_h + h } else { h };
            let before = self.pages.len();
            self.room(need);
            let new_page = self.pages.len() != before;
            if with_header && (first || new_page) {
                if !first && !new_page {
                    self.room(head_h + h);
                }
                self.draw_row(t, &head, &widths, true);
            }
            self.draw_row(t, &lines, &widths, false);
            first = false;
        }
        self.y += 8.0;
    }

    fn path(&mut self, rings: &[Vec<(f64, f64)>], tx: &impl Fn(f64, f64) -> (f32, f32)) {
        let p = self.page();
        for ring in rings {
            for (i, (x, y)) in ring.iter().enumerate() {
                let (a, b) = tx(*x, *y);
                if i == 0 {
                    p.move_to(a, b);
                } else {
                    p.line_to(a, b);
                }
            }
            p.close_path();
        }
    }

    fn circle(p: &mut Content, cx: f32, cy: f32, r: f32) {
        let k = 0.552_284_8 * r;
        p.move_to(cx + r, cy);
        p.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
        p.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
        p.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
        p.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
        p.close_path();
    }

    /// The map's scale, width and height on the page, and the height of its legend and caption.
    fn map_size(&self, m: &MapBlock) -> (f32, f32, f32, f32) {
        let d: &MapDrawing = &m.drawing;
        let legend_lines: usize = m
            .legend
            .iter()
            .map(|(_, l)| self.wrap(Face::Regular, 8.0, l, WIDTH - 16.0).len())
            .sum();
        let caption_lines = self.wrap(Face::Regular, 8.0, &m.caption, WIDTH).len();
        let extra = (legend_lines + caption_lines) as f32 * 10.5 + 14.0;
        // The map and its legend on one page (with its heading): as wide as the column, lower
        // if need be.
        let full = PAGE_H - TOP - BOTTOM - extra - 36.0;
        let mut scale = WIDTH / d.width as f32;
        if d.height as f32 * scale > full {
            scale = full / d.height as f32;
        }
        (
            scale,
            d.width as f32 * scale,
            d.height as f32 * scale,
            extra,
        )
    }

    fn map(&mut self, m: &MapBlock) {
        let d: &MapDrawing = &m.drawing;
        let (scale, w, h, extra) = self.map_size(m);
        self.room(h + extra);
        let (x0, top) = (LEFT + (WIDTH - w) / 2.0, self.y);
        let tx = move |x: f64, y: f64| (x0 + x as f32 * scale, PAGE_H - top - y as f32 * scale);
        {
            let p = self.page();
            p.save_state();
            p.rect(x0, PAGE_H - top - h, w, h);
            p.clip_nonzero();
            p.end_path();
            for c in &d.cells {
                let (r, g, b) = rgb(SITE_COLORS[c.site % SITE_COLORS.len()], 0.45);
                let (a, bb) = tx(c.x, c.y + c.size);
                let s = c.size as f32 * scale;
                p.set_fill_rgb(r, g, b);
                // A hair wider: no white seams between neighbouring cells.
                p.rect(a, bb, s + 0.05, s + 0.05);
                p.fill_nonzero();
            }
        }
        for c in &d.communes {
            self.path(&c.rings, &tx);
        }
        {
            let (r, g, b) = rgb(COMMUNE_COLOR, 1.0);
            let p = self.page();
            p.set_stroke_rgb(r, g, b);
            p.set_line_width(0.6);
            p.stroke();
        }
        for q in &d.qpv {
            self.path(&q.rings, &tx);
        }
        {
            let (r, g, b) = rgb(QPV_COLOR, 1.0);
            let p = self.page();
            p.set_stroke_rgb(r, g, b);
            p.set_line_width(1.3);
            p.stroke();
        }
        // Names centred on their baseline point, at the drawing's sizes scaled to the page.
        let grey = (0.33, 0.33, 0.33);
        let labels: Vec<(&str, (f64, f64), f32, Rgb)> = d
            .communes
            .iter()
            .filter_map(|c| {
                Some((
                    c.name.as_str(),
                    c.label_at?,
                    COMMUNE_LABEL as f32 * scale,
                    grey,
                ))
            })
            .chain(d.qpv.iter().filter_map(|q| {
                Some((
                    q.name.as_str(),
                    q.label_at?,
                    QPV_LABEL as f32 * scale,
                    rgb(QPV_COLOR, 1.0),
                ))
            }))
            .collect();
        for (name, (x, y), size, color) in labels {
            let (a, b) = tx(x, y);
            let tw = self.width(Face::Regular, size, name);
            self.text(
                Face::Regular,
                size,
                a - tw / 2.0,
                PAGE_H - b - size * 0.8,
                name,
                color,
            );
        }
        for s in &d.sites {
            let (a, b) = tx(s.x, s.y);
            let (r, g, bl) = rgb(SITE_COLORS[s.site % SITE_COLORS.len()], 1.0);
            {
                let p = self.page();
                p.set_fill_rgb(r, g, bl);
                p.set_stroke_rgb(0.07, 0.07, 0.07);
                p.set_line_width(1.2);
                Self::circle(p, a, b, 7.0);
                p.fill_nonzero_and_stroke();
            }
            let n = (s.site + 1).to_string();
            let tw = self.width(Face::Bold, 8.5, &n);
            self.text(
                Face::Bold,
                8.5,
                a - tw / 2.0,
                PAGE_H - b - 4.2,
                &n,
                (1.0, 1.0, 1.0),
            );
        }
        {
            // Scale bar (1 km) and north.
            let bar = d.km as f32 * scale;
            let p = self.page();
            p.set_fill_rgb(0.07, 0.07, 0.07);
            p.rect(x0 + 8.0, PAGE_H - top - h + 8.0, bar, 3.0);
            p.fill_nonzero();
            p.restore_state();
            p.set_stroke_rgb(0.4, 0.4, 0.4);
            p.set_line_width(0.5);
            p.rect(x0, PAGE_H - top - h, w, h);
            p.stroke();
        }
        self.text(
            Face::Regular,
            7.5,
            x0 + 8.0,
            top + h - 22.0,
            "1 km",
            (0.07, 0.07, 0.07),
        );
        let north = "N ↑ — Lambert-93";
        let nw = self.width(Face::Regular, 7.5, north);
        self.text(
            Face::Regular,
            7.5,
            x0 + w - nw - 6.0,
            top + 5.0,
            north,
            (0.07, 0.07, 0.07),
        );
        self.y = top + h + 6.0;
        for (swatch, label) in &m.legend {
            let y = self.y;
            {
                let p = self.page();
                match swatch {
                    Swatch::Fill(c) => {
                        let (r, g, b) = rgb(c, 0.6);
                        p.set_fill_rgb(r, g, b);
                        p.set_stroke_rgb(0.2, 0.2, 0.2);
                        p.set_line_width(0.5);
                        p.rect(LEFT, PAGE_H - y - 9.0, 9.0, 9.0);
                        p.fill_nonzero_and_stroke();
                    }
                    Swatch::Outline(c, lw) => {
                        let (r, g, b) = rgb(c, 1.0);
                        p.set_stroke_rgb(r, g, b);
                        p.set_line_width(*lw as f32 * 0.7);
                        p.rect(LEFT + 0.5, PAGE_H - y - 8.5, 8.0, 8.0);
                        p.stroke();
                    }
                }
            }
            for line in self.wrap(Face::Regular, 8.0, label, WIDTH - 16.0) {
                let yy = self.y;
                self.text(Face::Regular, 8.0, LEFT + 15.0, yy, &line, (0.1, 0.1, 0.1));
                self.y += 10.5;
            }
        }
        self.y += 2.0;
        self.para(Face::Regular, 8.0, 0.0, &m.caption, (0.27, 0.27, 0.27));
        self.y += 6.0;
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(t) => self.heading(t),
            Block::Para(t) => {
                self.para(Face::Regular, 9.5, 0.0, t, (0.1, 0.1, 0.1));
                self.y += 4.0;
            }
            Block::Note(t) => {
                self.para(Face::Regular, 8.5, 0.0, t, (0.27, 0.27, 0.27));
                self.y += 3.0;
            }
            Block::Caveat(t) => {
                let lines = self.wrap(Face::Regular, 9.0, t, WIDTH - 12.0);
                let h = lines.len() as f32 * 11.9 + 6.0;
                self.room(h.min(PAGE_H - TOP - BOTTOM));
                let top = self.y;
                {
                    let p = self.page();
                    p.set_fill_rgb(1.0, 0.97, 0.93);
                    p.rect(LEFT, PAGE_H - top - h, WIDTH, h);
                    p.fill_nonzero();
                    p.set_fill_rgb(0.71, 0.33, 0.04);
                    p.rect(LEFT, PAGE_H - top - h, 3.0, h);
                    p.fill_nonzero();
                }
                self.y += 3.0;
                for line in lines {
                    let y = self.y;
                    self.text(Face::Regular, 9.0, LEFT + 9.0, y, &line, (0.1, 0.1, 0.1));
                    self.y += 11.9;
                }
                self.y += 7.0;
            }
            Block::Bullets(items) => {
                for i in items {
                    let lines = self.wrap(Face::Regular, 9.5, i, WIDTH - 14.0);
                    for (k, line) in lines.iter().enumerate() {
                        self.room(12.6);
                        let y = self.y;
                        if k == 0 {
                            self.text(Face::Regular, 9.5, LEFT + 3.0, y, "•", (0.1, 0.1, 0.1));
                        }
                        self.text(Face::Regular, 9.5, LEFT + 14.0, y, line, (0.1, 0.1, 0.1));
                        self.y += 12.6;
                    }
                    self.y += 2.0;
                }
                self.y += 3.0;
            }
            Block::Table(t) => self.table(t, true),
            Block::Map(m) => self.map(m),
            Block::PageBreak => self.new_page(),
        }
    }

    fn footer(&mut self, title: &str) {
        let n = self.pages.len();
        for i in 0..n {
            let text = format!("{title} — page {} / {n}", i + 1);
            let mut bytes = Vec::new();
            for c in text.chars() {
                let g = self.glyph(Face::Regular, c);
                self.used[0].entry(g.0).or_insert(c);
                bytes.extend_from_slice(&g.0.to_be_bytes());
            }
            let tw = self.width(Face::Regular, 7.5, &text);
            let p = &mut self.pages[i];
            p.set_fill_rgb(0.4, 0.4, 0.4);
            p.begin_text();
            p.set_font(Name(b"F1"), 7.5);
            p.set_text_matrix([1.0, 0.0, 0.0, 1.0, PAGE_W - RIGHT - tw, BOTTOM - 24.0]);
            p.show(Str(&bytes));
            p.end_text();
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// Writes one embedded font (Type0 / CIDFontType2, Identity-H) and returns its Type0 ref.
fn write_font(pdf: &mut Pdf, alloc: &mut Ref, f: &FontData, used: &BTreeMap<u16, char>) -> Ref {
    let mut next = || alloc.bump();
    let (type0, cid, descriptor, file, cmap) = (next(), next(), next(), next(), next());
    let face = &f.face;
    let upm = f32::from(face.units_per_em());
    let to1000 = |v: f32| v * 1000.0 / upm;
    let base = Name(f.name);
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    {
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(to1000(f32::from(
                face.glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0),
            )))
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut w = c.widths();
        for &g in used.keys() {
            let adv = f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0));
            w.consecutive(g, [to1000(adv)]);
        }
    }
    let bb = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            to1000(f32::from(bb.x_min)),
            to1000(f32::from(bb.y_min)),
            to1000(f32::from(bb.x_max)),
            to1000(f32::from(bb.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(to1000(f32::from(face.ascender())))
        .descent(to1000(f32::from(face.descender())))
        .cap_height(to1000(f32::from(
            face.capital_height().unwrap_or(face.ascender()),
        )))
        .stem_v(if f.name.ends_with(b"Bold") {
            120.0
        } else {
            80.0
        })
        .font_file2(file);
    let data = f.deflated.get_or_init(|| deflate(f.raw));
    pdf.stream(file, data).filter(Filter::FlateDecode).pair(
        Name(b"Length1"),
        i32::try_from(f.raw.len()).unwrap_or(i32::MAX),
    );
    let mut map = UnicodeCmap::new(Name(b"Repere-UTF16"), info);
    for (&g, &c) in used {
        map.pair(g, c);
    }
    let buf = map.finish();
    pdf.cmap(cmap, &buf)
        .name(Name(b"Repere-UTF16"))
        .system_info(info);
    type0
}

/// Renders the document as a PDF file (A4).
///
/// # Errors
/// 500 when the embedded fonts do not read.
pub fn render(doc: &ReportDoc) -> Result<Vec<u8>, AppError> {
    let mut w = Writer::new()?;
    w.room(0.0);
    w.para(Face::Bold, 17.0, 0.0, &doc.title, (0.05, 0.05, 0.05));
    w.y += 2.0;
    w.para(Face::Regular, 10.0, 0.0, &doc.subtitle, (0.2, 0.2, 0.2));
    w.y += 6.0;
    let identity = Table {
        header: vec!["Projet".into(), String::new()],
        rows: doc
            .identity
            .iter()
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
        numeric: vec![false, false],
        widths: vec![1.2, 3.8],
    };
    w.table(&identity, false);
    for (i, b) in doc.blocks.iter().enumerate() {
        // A heading stays on the page of the map it titles.
        if let (Block::Heading(_), Some(Block::Map(m))) = (b, doc.blocks.get(i + 1)) {
            let (_, _, h, extra) = w.map_size(m);
            w.room(h + extra + 36.0);
        }
        w.block(b);
    }
    w.footer(&doc.title);

    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree = alloc.bump();
    let mut pdf = Pdf::new();
    let f1 = write_font(&mut pdf, &mut alloc, w.fonts[0], &w.used[0]);
    let f2 = write_font(&mut pdf, &mut alloc, w.fonts[1], &w.used[1]);
    let mut page_ids = Vec::new();
    for content in std::mem::take(&mut w.pages) {
        let (page, stream) = (alloc.bump(), alloc.bump());
        let data = deflate(&content.finish());
        pdf.stream(stream, &data).filter(Filter::FlateDecode);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(stream);
        let mut res = p.resources();
        let mut fonts = res.fonts();
        fonts.pair(Name(b"F1"), f1);
        fonts.pair(Name(b"F2"), f2);
        fonts.finish();
        res.finish();
        p.finish();
        page_ids.push(page);
    }
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    pdf.catalog(catalog).pages(tree);
    let mut info = pdf.document_info(alloc.bump());
    info.title(pdf_writer::TextStr(&doc.title));
    info.producer(pdf_writer::TextStr("Repère"));
    info.finish();
    Ok(pdf.finish())
}
