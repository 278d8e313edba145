//! Peak memory of loading a big GeoJSON, against its size (issue 14: at most 4× the file).
//!
//! Writes a synthetic commune boundaries file BY CODE (named so: "synthétique"), about 200 MB:
//! 94 000 communes (codes 01001…95999) on a grid over metropolitan France, each a 100-vertex
//! polygon; loads it as a territory and prints the peak resident memory (`VmHWM`) over the file
//! size. Then writes the same file with every feature's code missing and prints how many lines
//! the load error has (capped: the first 100 problems in full, then counts per kind and field).
//!
//! `cargo run --release -p repere-benches --example big_geojson [-- VERTICES]`
//!
//! Run it alone: the figure is the process's own peak, other work in the process adds to it.

use std::io::Write;
use std::time::Instant;

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Writes the synthetic file; `with_codes: false` leaves out every `code` property.
fn write_file(path: &std::path::Path, vertices: usize, with_codes: bool) -> anyhow::Result<usize> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    let (cols, rows) = (310usize, 310usize);
    let (lon0, lat0, dlon, dlat) = (-4.5, 42.5, 12.5 / cols as f64, 8.5 / rows as f64);
    let mut n = 0;
    for dep in 1..=95u32 {
        for num in 1..=999u32 {
            let k = n;
            let (cx, cy) = (
                lon0 + ((k % cols) as f64 + 0.5) * dlon,
                lat0 + ((k / cols) as f64 + 0.5) * dlat,
            );
            if n > 0 {
                out.write_all(b",\n")?;
            }
            let code = format!("{dep:02}{num:03}");
            let props = if with_codes {
                format!("{{\"code\":\"{code}\",\"nom\":\"Commune synthétique {code}\"}}")
            } else {
                format!("{{\"nom\":\"Commune synthétique {code}\"}}")
            };
            write!(
                out,
                "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
            )?;
            // A regular polygon inscribed in the grid cell, counter-clockwise, closed.
            for v in 0..=vertices {
                let a = (v % vertices) as f64 / vertices as f64 * std::f64::consts::TAU;
                let (x, y) = (cx + 0.45 * dlon * a.cos(), cy + 0.45 * dlat * a.sin());
                if v > 0 {
                    out.write_all(b",")?;
                }
                write!(out, "[{x:.6},{y:.6}]")?;
            }
            out.write_all(b"]]}}")?;
            n += 1;
        }
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(n)
}

fn main() -> anyhow::Result<()> {
    let vertices: usize = std::env::args()
        .nth(1)
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100);
    let dir = std::env::temp_dir().join(format!("repere-big-geojson-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let manifest = dir.join("territory.toml");
    std::fs::write(
        &manifest,
        "[territory]\nname = \"Grande couche synthétique\"\nmargin_m = 0\n\n[communes]\n\
         boundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }\n",
    )?;
    let file = dir.join("communes.geojson");

    let features = write_file(&file, vertices, true)?;
    let size = std::fs::metadata(&file)?.len();
    let before_kib = vm_hwm_kib();
    let t = Instant::now();
    let territory = repere_engine::Territory::from_path(&manifest)?;
    let (ds, _) = repere_engine::load::load(&territory)?;
    let load_s = t.elapsed().as_secs_f64();
    let peak_kib = vm_hwm_kib();
    println!(
        "valid file: {features} polygons of {} vertices, {:.1} MB; loaded {} communes in {load_s:.1} s",
        vertices + 1,
        size as f64 / 1e6,
        ds.communes.len()
    );
    println!(
        "peak resident memory {:.1} MB (before loading {:.1} MB): {:.2}× the file size",
        peak_kib as f64 * 1024.0 / 1e6,
        before_kib as f64 * 1024.0 / 1e6,
        (peak_kib * 1024) as f64 / size as f64
    );
    drop(ds);

    write_file(&file, vertices, false)?;
    let territory = repere_engine::Territory::from_path(&manifest)?;
    match repere_engine::load::load(&territory) {
        Ok(_) => anyhow::bail!("the file without codes loaded"),
        Err(e) => {
            let text = e.to_string();
            println!(
                "invalid file ({features} features without `code`): the error has {} lines, {} bytes",
                text.lines().count(),
                text.len()
            );
            for line in text
                .lines()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                println!("  … {line}");
            }
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
