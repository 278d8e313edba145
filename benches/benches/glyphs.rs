//! SDF glyph ranges for the map's labels: rendering one 256-code-point range of DejaVu Sans
//! (what the first request of a range costs) against serving it from the cache (every later one).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_glyphs::{FontCatalog, GlyphCache, GlyphRange, render_range};

fn glyphs(c: &mut Criterion) {
    let fonts = FontCatalog::default();
    let regular = fonts.fonts()[0];
    let latin = GlyphRange::parse("0-255").expect("valid range");
    let latin_ext = GlyphRange::parse("256-511").expect("valid range");

    let mut render = c.benchmark_group("glyphs_render");
    render.sample_size(10);
    render.bench_function("dejavu_sans_0_255", |b| {
        b.iter(|| render_range(black_box(&regular), latin))
    });
    render.bench_function("dejavu_sans_256_511", |b| {
        b.iter(|| render_range(black_box(&regular), latin_ext))
    });
    render.finish();

    let cache = GlyphCache::new(fonts);
    cache.get("DejaVu Sans", latin).expect("renders");
    c.bench_function("glyphs_cached/dejavu_sans_0_255", |b| {
        b.iter(|| cache.get(black_box("DejaVu Sans"), latin))
    });
}

criterion_group!(benches, glyphs);
criterion_main!(benches);
