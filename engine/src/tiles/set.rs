//! [`TileSet`]: the prepared layers of a dataset and the per-request entry point.

use serde_json::json;

use super::clip::{TileWindow, clip_polygons};
use super::coord::TileCoord;
use super::error::TileError;
use super::layers::{CommuneExtras, dataset_layers};
use super::mvt::{TileFeature, TileGeometry, encode_layer, encode_tile};
use super::prepare::{PreparedGeometry, PreparedLayer, PropertyLayer, envelope};
use super::source::{SourceLayer, ZoomRange};
use super::{BUFFER, EXTENT, MAX_ZOOM};
use crate::dataset::Dataset;

/// What clients need to know about a layer (TileJSON `vector_layers`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerInfo {
    /// Name.
    pub id: String,
    /// Description.
    pub description: String,
    /// Side of the layer's square cells, metres, for a cell layer (the gap layers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell_m: Option<f64>,
    /// Lowest zoom.
    pub minzoom: u8,
    /// Highest zoom.
    pub maxzoom: u8,
    /// Field name → type name (`String`, `Number`, `Boolean`).
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Every layer of a dataset, prepared once; immutable and shared.
#[derive(Debug)]
pub struct TileSet {
    /// The dataset version the tiles were built from (cache keys, tile URLs).
    pub version: String,
    /// Shared with the tile set of an edit when the layer reads no actor (see
    /// [`TileSet::rebuild_edited_actors`]).
    layers: Vec<std::sync::Arc<PreparedLayer>>,
    /// Layers `0..base` make up `all`; the others (overlays such as the gap layers) are only
    /// served when named, as their own tileset.
    base: usize,
}

impl TileSet {
    /// Prepares source layers (in the given order, which is the order of layers in tiles).
    pub fn build(version: &str, sources: Vec<SourceLayer>) -> Self {
        let base = sources.len();
        Self {
            version: version.to_owned(),
            layers: sources
                .into_iter()
                .map(|s| std::sync::Arc::new(PreparedLayer::prepare(s)))
                .collect(),
            base,
        }
    }

    /// Prepares base layers (the `all` selection) followed by overlays, selectable by name only.
    pub fn with_overlays(
        version: &str,
        base: Vec<SourceLayer>,
        overlays: Vec<SourceLayer>,
    ) -> Self {
        let n = base.len();
        let mut set = Self::build(version, base.into_iter().chain(overlays).collect());
        set.base = n;
        set
    }

    /// Prepares the dataset's layers (the `all` selection), with per-commune extra properties
    /// (diagnostic indicators, priority score and rank), plus `overlays` (e.g. the gap layers)
    /// served only when named.
    pub fn from_dataset(
        dataset: &Dataset,
        commune_extras: &CommuneExtras,
        overlays: Vec<SourceLayer>,
    ) -> Self {
        Self::with_overlays(
            &dataset.version,
            dataset_layers(dataset, commune_extras),
            overlays,
        )
    }

    /// The tile set of `dataset` after an edit, reusing the prepared geometry of every layer of
    /// `self` whose features kept the same geometry (only properties are prepared again). The
    /// result is the one [`TileSet::from_dataset`] would build.
    pub fn rebuild(
        &self,
        dataset: &Dataset,
        commune_extras: &CommuneExtras,
        overlays: Vec<SourceLayer>,
    ) -> Self {
        let base = dataset_layers(dataset, commune_extras);
        let n = base.len();
        let layers = base
            .into_iter()
            .chain(overlays)
            .map(|source| {
                let previous = self.layers.iter().find(|l| l.name == source.name);
                std::sync::Arc::new(PreparedLayer::prepare_reusing(
                    source,
                    previous.map(|p| &**p),
                ))
            })
            .collect();
        Self {
            version: dataset.version.clone(),
            layers,
            base: n,
        }
    }

    /// The tile set of `dataset` when only its actors differ from those of the dataset `self`
    /// was built from (an edit laid over the same base territory): the layers that read no
    /// actor (QPV, stops, IRIS, labels) are shared with `self` as they are; the `communes`
    /// layer (its diagnostic fields) and the `actors` layer are prepared again, reusing their
    /// geometry when it is unchanged; the overlays (the gap layers, whose cells are the same
    /// but whose minutes change) take `overlay_properties` over their prepared geometry, or,
    /// when those are `None` or not for the same features, are prepared again from `overlays`.
    /// The result is the one [`TileSet::from_dataset`] would build.
    pub fn rebuild_edited_actors(
        &self,
        dataset: &Dataset,
        commune_extras: &CommuneExtras,
        overlay_properties: Option<Vec<PropertyLayer>>,
        overlays: impl FnOnce() -> Vec<SourceLayer>,
    ) -> Self {
        let mut layers = self.layers.clone();
        let mut fresh: Vec<SourceLayer> = vec![
            super::layers::communes(dataset, commune_extras),
            super::layers::actors(dataset),
        ];
        let same_features = overlay_properties.and_then(|props| {
            props
                .into_iter()
                .map(|p| {
                    let i = layers.iter().position(|l| l.name == p.name)?;
                    Some((i, layers[i].with_properties(p)?))
                })
                .collect::<Option<Vec<_>>>()
        });
        match same_features {
            Some(prepared) => {
                for (i, layer) in prepared {
                    layers[i] = std::sync::Arc::new(layer);
                }
            }
            None => fresh.extend(overlays()),
        }
        for source in fresh {
            match layers.iter_mut().find(|l| l.name == source.name) {
                Some(slot) => {
                    *slot =
                        std::sync::Arc::new(PreparedLayer::prepare_reusing(source, Some(&**slot)));
                }
                // Not in the previous set (never with the same base): prepared on its own, in
                // the overlays' place.
                None => layers.push(std::sync::Arc::new(PreparedLayer::prepare(source))),
            }
        }
        Self {
            version: dataset.version.clone(),
            layers,
            base: self.base,
        }
    }

    /// Names of the layers, in tile order.
    pub fn layer_names(&self) -> Vec<&str> {
        self.layers.iter().map(|l| l.name.as_str()).collect()
    }

    /// Resolves a layer selection: `all` (the base layers, not the overlays), one name or
    /// comma-separated names (martin's composite sources; `all` may be one of them), into layer
    /// indices in tile order, without duplicates.
    ///
    /// # Errors
    /// [`TileError::UnknownLayer`] naming the first unknown name.
    pub fn select(&self, selection: &str) -> Result<Vec<usize>, TileError> {
        let mut out = Vec::new();
        for name in selection.split(',') {
            if name == "all" {
                out.extend(0..self.base);
                continue;
            }
            let i = self
                .layers
                .iter()
                .position(|l| l.name == name)
                .ok_or_else(|| TileError::UnknownLayer {
                    name: name.to_owned(),
                    available: self.layer_names().join(", "),
                })?;
            out.push(i);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Metadata of the selected layers.
    pub fn layer_infos(&self, selected: &[usize]) -> Vec<LayerInfo> {
        selected
            .iter()
            .filter_map(|&i| self.layers.get(i))
            .map(|l| LayerInfo {
                id: l.name.clone(),
                description: l.description.clone(),
                cell_m: l.cell_m,
                minzoom: l.zooms.min,
                maxzoom: l.zooms.max,
                fields: l
                    .schema
                    .fields
                    .iter()
                    .map(|(k, t)| (k.clone(), t.as_str().to_owned()))
                    .collect(),
            })
            .collect()
    }

    /// Union of the zoom ranges of the selected layers.
    pub fn zooms(&self, selected: &[usize]) -> ZoomRange {
        let ls = || selected.iter().filter_map(|&i| self.layers.get(i));
        ZoomRange::new(
            ls().map(|l| l.zooms.min).min().unwrap_or(0),
            ls().map(|l| l.zooms.max).max().unwrap_or(MAX_ZOOM),
        )
    }

    /// WGS84 bounds `[west, south, east, north]` of the selected layers.
    pub fn bounds_wgs84(&self, selected: &[usize]) -> Option<[f64; 4]> {
        selected
            .iter()
            .filter_map(|&i| self.layers.get(i)?.bounds_wgs84)
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
    }

    /// A TileJSON 3.0.0 document for the selected layers, `tile_url` being the `{z}/{x}/{y}`
    /// template (absolute, with the version in it so caches never mix datasets).
    pub fn tilejson(&self, selected: &[usize], name: &str, tile_url: &str) -> serde_json::Value {
        let zooms = self.zooms(selected);
        let bounds = self.bounds_wgs84(selected).unwrap_or([
            -180.0,
            -85.051_128_779_806_59,
            180.0,
            85.051_128_779_806_59,
        ]);
        let center = [
            (bounds[0] + bounds[2]) / 2.0,
            (bounds[1] + bounds[3]) / 2.0,
            f64::from(zooms.min.max(10)),
        ];
        json!({
            "tilejson": "3.0.0",
            "name": name,
            "version": "1.0.0",
            "attribution": "Repère — données IGN, INSEE, ANCT, data·inclusion, GTFS (voir SOURCE.md)",
            "scheme": "xyz",
            "tiles": [tile_url],
            "minzoom": zooms.min,
            "maxzoom": zooms.max,
            "bounds": bounds,
            "center": center,
            "vector_layers": self.layer_infos(selected),
        })
    }

    /// Encodes one tile of the selected layers. `Ok(None)` is an empty tile: no selected layer
    /// has a feature there (or the zoom is outside every selected layer's range).
    ///
    /// # Errors
    /// [`TileError::Encode`] only on a defect of the tiler.
    pub fn encode(
        &self,
        selected: &[usize],
        coord: TileCoord,
    ) -> Result<Option<Vec<u8>>, TileError> {
        let z = coord.z();
        let e = i64::from(EXTENT);
        let window = TileWindow {
            origin_x: i64::from(coord.x()) * e,
            origin_y: i64::from(coord.y()) * e,
            extent: e,
            buffer: i64::from(BUFFER),
        };
        let w = window.buffered();
        // Grid coordinates of zoom ≤ MAX_ZOOM fit i32.
        let origin = [window.origin_x as i32, window.origin_y as i32];
        let mut layers = Vec::new();
        for layer in selected.iter().filter_map(|&i| self.layers.get(i)) {
            if !layer.zooms.contains(z) {
                continue;
            }
            let mut features = Vec::new();
            match &*layer.geometry {
                PreparedGeometry::Polygons(per_zoom) => {
                    let Some(zp) = per_zoom.get(usize::from(z - layer.zooms.min)) else {
                        continue;
                    };
                    let mut hits: Vec<usize> = zp
                        .tree
                        .locate_in_envelope_intersecting(&envelope(w[0], w[1], w[2], w[3]))
                        .map(|g| g.data)
                        .collect();
                    hits.sort_unstable();
                    for h in hits {
                        let item = &zp.items[h];
                        let shapes = clip_polygons(&item.shapes, &item.bbox, &window);
                        if shapes.is_empty() {
                            continue;
                        }
                        features.push(TileFeature {
                            id: item.feature as u64 + 1,
                            tags: &layer.tags[item.feature],
                            geometry: TileGeometry::Polygons { shapes, origin },
                        });
                    }
                }
                PreparedGeometry::Points(tree, min_zooms) => {
                    // Points live on the MAX_ZOOM grid: scale the window up, then shift down.
                    let shift = u32::from(MAX_ZOOM - z);
                    let env = envelope(
                        w[0] << shift,
                        w[1] << shift,
                        ((w[2] + 1) << shift) - 1,
                        ((w[3] + 1) << shift) - 1,
                    );
                    let mut hits: Vec<(usize, [i64; 2])> = tree
                        .locate_in_envelope(&env)
                        .map(|g| (g.data, *g.geom()))
                        .collect();
                    hits.sort_unstable();
                    for (feature, p) in hits {
                        if min_zooms.get(feature).is_some_and(|&m| m > z) {
                            continue;
                        }
                        // Within the buffered window: the local values fit i32.
                        let x = ((p[0] >> shift) - window.origin_x) as i32;
                        let y = ((p[1] >> shift) - window.origin_y) as i32;
                        features.push(TileFeature {
                            id: feature as u64 + 1,
                            tags: &layer.tags[feature],
                            geometry: TileGeometry::Point([x, y]),
                        });
                    }
                }
            }
            if let Some(l) = encode_layer(&layer.name, &layer.keys, &layer.values, &features)? {
                layers.push(l);
            }
        }
        Ok(encode_tile(layers))
    }

    /// The tiles of zoom `z` that a feature of the selected layers touches (its bounding box,
    /// with the tile buffer, or its point), in row order: every non-empty tile is among them.
    /// Exports and benches walk these rather than [`Self::tiles_covering`], whose rectangle is
    /// mostly sea for France with its overseas départements.
    pub fn tiles_touched(&self, selected: &[usize], z: u8) -> Vec<TileCoord> {
        let mut touched = std::collections::BTreeSet::new();
        let e = i64::from(EXTENT);
        let b = i64::from(BUFFER);
        let last = (1i64 << z) - 1;
        for layer in selected.iter().filter_map(|&i| self.layers.get(i)) {
            if !layer.zooms.contains(z) {
                continue;
            }
            match &*layer.geometry {
                PreparedGeometry::Polygons(per_zoom) => {
                    let Some(zp) = per_zoom.get(usize::from(z - layer.zooms.min)) else {
                        continue;
                    };
                    for item in &zp.items {
                        let x0 = ((item.bbox[0] - b).div_euclid(e)).clamp(0, last);
                        let y0 = ((item.bbox[1] - b).div_euclid(e)).clamp(0, last);
                        let x1 = ((item.bbox[2] + b).div_euclid(e)).clamp(0, last);
                        let y1 = ((item.bbox[3] + b).div_euclid(e)).clamp(0, last);
                        for y in y0..=y1 {
                            for x in x0..=x1 {
                                touched.insert((y, x));
                            }
                        }
                    }
                }
                PreparedGeometry::Points(tree, min_zooms) => {
                    let shift = u32::from(MAX_ZOOM - z);
                    for p in tree.iter() {
                        if min_zooms.get(p.data).is_some_and(|&m| m > z) {
                            continue;
                        }
                        let (gx, gy) = (p.geom()[0] >> shift, p.geom()[1] >> shift);
                        let span = |v: i64| {
                            ((v - b).div_euclid(e)).clamp(0, last)
                                ..=((v + b).div_euclid(e)).clamp(0, last)
                        };
                        for y in span(gy) {
                            for x in span(gx) {
                                touched.insert((y, x));
                            }
                        }
                    }
                }
            }
        }
        touched
            .into_iter()
            .filter_map(|(y, x)| TileCoord::new(z, x as u32, y as u32).ok())
            .collect()
    }

    /// The tiles of zoom `z` covering the bounds of the selected layers (for exports).
    pub fn tiles_covering(&self, selected: &[usize], z: u8) -> Vec<TileCoord> {
        let Some(b) = self.bounds_wgs84(selected) else {
            return Vec::new();
        };
        let (x0, y0) = super::mercator::tile_of_lonlat(b[0], b[3], z);
        let (x1, y1) = super::mercator::tile_of_lonlat(b[2], b[1], z);
        (x0..=x1)
            .flat_map(|x| (y0..=y1).filter_map(move |y| TileCoord::new(z, x, y).ok()))
            .collect()
    }
}
