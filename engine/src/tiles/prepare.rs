//! One layer prepared for tiling: projected once, simplified per zoom, snapped to the integer
//! grid of each zoom, made valid, oriented, and indexed.
//!
//! Polygons: for each zoom of the layer, every ring goes through Douglas-Peucker at
//! [`SIMPLIFY_TOLERANCE_UNITS`] in grid units (so the tolerance in metres halves at each zoom),
//! is rounded to integers, and the rings of each feature are rebuilt by i_overlay with the
//! even-odd rule into OGC-valid polygons whose exterior rings have positive area in tile
//! coordinates (y down), as MVT 2.1 requires; degenerate rings vanish there. Points: kept on the
//! grid of [`MAX_ZOOM`] and shifted down per zoom. Where a tile is too dense at a zoom, its
//! smallest polygons (or least important points) are left out at that zoom
//! ([`super::density`]).

use std::collections::HashMap;

use geo::{BoundingRect, Coord, LineString, Simplify};
use geozero::mvt::tile;
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::{ContourDirection, IntOverlayOptions};
use i_overlay::core::simplify::Simplify as _;
use i_overlay::i_float::int::point::IntPoint;
use i_overlay::i_shape::int::shape::{IntContour, IntShapes};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::MAX_ZOOM;
use super::density::{
    Candidate, FeatureCost, POINT_BUDGET_BYTES, POLYGON_BUDGET_BYTES, home_of_bbox, home_of_point,
    keep_within_budget, shapes_area,
};
use super::mercator::{lonlat_to_mercator_m, mercator_m_to_grid};
use super::schema::{FieldValue, LayerSchema};
use super::source::{SourceGeometry, SourceLayer, ZoomRange};

/// Douglas-Peucker tolerance, grid units (a tile is 4096 units, shown on 512 screen pixels:
/// a quarter of a pixel).
pub const SIMPLIFY_TOLERANCE_UNITS: f64 = 2.0;

/// An R-tree entry: a grid bounding box and a feature index.
pub type GridBox = GeomWithData<Rectangle<[i64; 2]>, usize>;
/// An R-tree entry: a grid point and a feature index.
pub type GridPoint = GeomWithData<[i64; 2], usize>;

/// The options every i_overlay call of the tiler uses: OGC-valid output, exterior rings
/// counter-clockwise in i_overlay's sense, which is positive shoelace area on our y-down grid.
pub fn overlay_options() -> IntOverlayOptions {
    IntOverlayOptions {
        output_direction: ContourDirection::CounterClockwise,
        ..IntOverlayOptions::ogc()
    }
}

/// A feature's polygons on the grid of one zoom.
#[derive(Debug, Clone)]
pub struct GridPolygons {
    /// Index of the feature in the layer.
    pub feature: usize,
    /// Valid polygons: each shape is an exterior ring then its holes, rings open (not repeated).
    pub shapes: IntShapes,
    /// Bounding box `[min_x, min_y, max_x, max_y]`, grid units.
    pub bbox: [i64; 4],
}

/// Polygons of one zoom and their index.
#[derive(Debug, Default)]
pub struct ZoomPolygons {
    /// Features that survived snapping at this zoom.
    pub items: Vec<GridPolygons>,
    /// Index over `items` (data = position in `items`).
    pub tree: RTree<GridBox>,
}

/// Prepared geometry of a layer.
#[derive(Debug)]
pub enum PreparedGeometry {
    /// Polygons per zoom, indexed by `z - zooms.min`.
    Polygons(Vec<ZoomPolygons>),
    /// Points on the grid of [`MAX_ZOOM`] and their index (data = feature index), with the
    /// lowest zoom at which each feature is drawn (by feature index; the layer's own minimum
    /// unless a dense tile leaves it out below, see [`super::density`]).
    Points(RTree<GridPoint>, Vec<u8>),
}

/// A layer ready to be tiled.
#[derive(Debug)]
pub struct PreparedLayer {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Side of the layer's square cells, metres (see [`SourceLayer::cell_m`]).
    pub cell_m: Option<f64>,
    /// Zoom range.
    pub zooms: ZoomRange,
    /// Field schema.
    pub schema: LayerSchema,
    /// Key table of the layer: every property name, in first-seen order.
    pub keys: Vec<String>,
    /// Value table of the layer: every distinct property value.
    pub values: Vec<tile::Value>,
    /// Tags of each feature: `[key index, value index]` into `keys` and `values`, in property
    /// order. Built once, so a request only remaps the indices it uses into the tile's tables.
    pub tags: Vec<Vec<[u32; 2]>>,
    /// Geometry, shared with the layer of a rebuilt tile set whose features have the same
    /// geometry (see [`PreparedLayer::prepare_reusing`]).
    pub geometry: std::sync::Arc<PreparedGeometry>,
    /// Fingerprint of the source geometries (every coordinate's bits, in feature order).
    pub geometry_key: u64,
    /// WGS84 bounds `[west, south, east, north]` of the features, `None` when empty.
    pub bounds_wgs84: Option<[f64; 4]>,
}

impl PreparedLayer {
    /// Prepares a source layer. Polygon and point features cannot be mixed in one layer: a layer
    /// takes the kind of its first feature and points in a polygon layer (or the reverse) are
    /// left out.
    pub fn prepare(source: SourceLayer) -> Self {
        Self::prepare_reusing(source, None)
    }

    /// Prepares a source layer, reusing the prepared geometry of `previous` when its source
    /// geometries were exactly these (same fingerprint, same zooms): only the properties are
    /// prepared again. A rebuild after an actor edit changes the properties of most layers
    /// (diagnostic fields of the communes, access of the gap cells) but not their geometry,
    /// which is the costly part (simplification and validation per zoom).
    pub fn prepare_reusing(source: SourceLayer, previous: Option<&PreparedLayer>) -> Self {
        let schema = LayerSchema::collect(source.features.iter().map(|f| f.properties.as_slice()));
        let (keys, values, tags) =
            tag_tables(source.features.iter().map(|f| f.properties.as_slice()));
        let bounds_wgs84 = bounds(&source);
        let geometry_key = geometry_key(&source);
        let reused = previous
            .filter(|p| p.geometry_key == geometry_key && p.zooms == source.zooms)
            .map(|p| p.geometry.clone());
        let geometry = match reused {
            Some(g) => g,
            // The density rule reads the properties' count and priority: a reused geometry keeps
            // the previous build's choice (an actor edit changes neither populations nor fields).
            None => std::sync::Arc::new(prepare_geometry(&source, &tags)),
        };
        Self {
            name: source.name,
            description: source.description,
            cell_m: source.cell_m,
            zooms: source.zooms,
            schema,
            keys,
            values,
            tags,
            geometry,
            geometry_key,
            bounds_wgs84,
        }
    }
}

/// A layer's properties alone, one list per feature in feature order, for a layer whose
/// features have the geometry of a prepared one (see [`PreparedLayer::with_properties`]).
#[derive(Debug, Clone)]
pub struct PropertyLayer {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Zoom range.
    pub zooms: ZoomRange,
    /// Side of the layer's square cells, metres.
    pub cell_m: Option<f64>,
    /// Properties of each feature.
    pub properties: Vec<Vec<(String, FieldValue)>>,
}

impl PreparedLayer {
    /// The layer `self` with other properties, its geometry shared: what
    /// [`PreparedLayer::prepare`] gives for a source of the same features (same geometry, in
    /// the same order) with `layer`'s properties. `None` when `layer` is not for the same
    /// features (another name, zoom range or number of features).
    pub fn with_properties(&self, layer: PropertyLayer) -> Option<Self> {
        if layer.name != self.name
            || layer.zooms != self.zooms
            || layer.properties.len() != self.tags.len()
        {
            return None;
        }
        let schema = LayerSchema::collect(layer.properties.iter().map(Vec::as_slice));
        let (keys, values, tags) = tag_tables(layer.properties.iter().map(Vec::as_slice));
        Some(Self {
            name: layer.name,
            description: layer.description,
            cell_m: layer.cell_m,
            zooms: layer.zooms,
            schema,
            keys,
            values,
            tags,
            geometry: self.geometry.clone(),
            geometry_key: self.geometry_key,
            bounds_wgs84: self.bounds_wgs84,
        })
    }
}

/// Fingerprint of a layer's source geometries: kind, then every coordinate's bits, per feature.
fn geometry_key(source: &SourceLayer) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    source.features.len().hash(&mut h);
    for f in &source.features {
        match &f.geometry_wgs84 {
            SourceGeometry::Point(p) => {
                0u8.hash(&mut h);
                (p.x().to_bits(), p.y().to_bits()).hash(&mut h);
            }
            SourceGeometry::Polygons(mp) => {
                1u8.hash(&mut h);
                mp.0.len().hash(&mut h);
                for p in &mp.0 {
                    for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                        ring.0.len().hash(&mut h);
                        for c in &ring.0 {
                            (c.x.to_bits(), c.y.to_bits()).hash(&mut h);
                        }
                    }
                }
            }
        }
    }
    h.finish()
}

/// Projects, simplifies, snaps and indexes the geometry of a source layer.
fn prepare_geometry(source: &SourceLayer, tags: &[Vec<[u32; 2]>]) -> PreparedGeometry {
    {
        let is_points = matches!(
            source.features.first().map(|f| &f.geometry_wgs84),
            Some(SourceGeometry::Point(_))
        );
        if is_points {
            let entries: Vec<GridPoint> = source
                .features
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match &f.geometry_wgs84 {
                    SourceGeometry::Point(p) => {
                        let (mx, my) = lonlat_to_mercator_m(p.x(), p.y());
                        let (gx, gy) = mercator_m_to_grid(mx, my, MAX_ZOOM);
                        // The grid of MAX_ZOOM has 2^26 units: rounding to i64 is exact.
                        Some(GeomWithData::new([gx.round() as i64, gy.round() as i64], i))
                    }
                    SourceGeometry::Polygons(_) => None,
                })
                .collect();
            let min_zooms = point_min_zooms(source, &entries, tags);
            PreparedGeometry::Points(RTree::bulk_load(entries), min_zooms)
        } else {
            let mercator: Vec<Option<MercatorRings>> = source
                .features
                .iter()
                .map(|f| match &f.geometry_wgs84 {
                    SourceGeometry::Polygons(mp) => Some(
                        mp.0.iter()
                            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                            .map(|ring| {
                                ring.0
                                    .iter()
                                    .map(|c| lonlat_to_mercator_m(c.x, c.y))
                                    .collect()
                            })
                            .collect(),
                    ),
                    SourceGeometry::Point(_) => None,
                })
                .collect();
            let zooms = (source.zooms.min..=source.zooms.max)
                .map(|z| polygons_at_zoom(&mercator, z, tags))
                .collect();
            PreparedGeometry::Polygons(zooms)
        }
    }
}

/// The rings (exteriors and holes alike) of a feature, Web Mercator metres.
type MercatorRings = Vec<Vec<(f64, f64)>>;

/// Key and value tables of a layer and each feature's tags into them.
fn tag_tables<'a>(
    features: impl Iterator<Item = &'a [(String, FieldValue)]>,
) -> (Vec<String>, Vec<tile::Value>, Vec<Vec<[u32; 2]>>) {
    // Values are told apart by type and exact content (floats by their bits).
    #[derive(PartialEq, Eq, Hash)]
    enum ValueKey<'v> {
        Str(&'v str),
        Int(i64),
        Double(u64),
        Bool(bool),
    }
    let mut key_index: HashMap<&str, u32> = HashMap::new();
    let mut value_index: HashMap<ValueKey<'_>, u32> = HashMap::new();
    let mut keys = Vec::new();
    let mut values = Vec::new();
    let mut tags = Vec::new();
    for props in features {
        let mut t = Vec::with_capacity(props.len());
        for (k, v) in props {
            let ki = *key_index.entry(k.as_str()).or_insert_with(|| {
                keys.push(k.clone());
                (keys.len() - 1) as u32
            });
            let vk = match v {
                FieldValue::Str(s) => ValueKey::Str(s),
                FieldValue::Int(n) => ValueKey::Int(*n),
                FieldValue::Double(d) => ValueKey::Double(d.to_bits()),
                FieldValue::Bool(b) => ValueKey::Bool(*b),
            };
            let vi = *value_index.entry(vk).or_insert_with(|| {
                values.push(mvt_value(v));
                (values.len() - 1) as u32
            });
            t.push([ki, vi]);
        }
        tags.push(t);
    }
    (keys, values, tags)
}

/// A property value as an MVT value (integers as `sint`, zig-zag encoded, as geozero does).
fn mvt_value(v: &FieldValue) -> tile::Value {
    match v {
        FieldValue::Str(s) => tile::Value {
            string_value: Some(s.clone()),
            ..Default::default()
        },
        FieldValue::Int(n) => tile::Value {
            sint_value: Some(*n),
            ..Default::default()
        },
        FieldValue::Double(d) => tile::Value {
            double_value: Some(*d),
            ..Default::default()
        },
        FieldValue::Bool(b) => tile::Value {
            bool_value: Some(*b),
            ..Default::default()
        },
    }
}

fn bounds(source: &SourceLayer) -> Option<[f64; 4]> {
    let mut acc: Option<[f64; 4]> = None;
    for f in &source.features {
        let r = match &f.geometry_wgs84 {
            SourceGeometry::Polygons(mp) => match mp.bounding_rect() {
                Some(r) => r,
                None => continue,
            },
            SourceGeometry::Point(p) => geo::Rect::new(p.0, p.0),
        };
        acc = Some(match acc {
            None => [r.min().x, r.min().y, r.max().x, r.max().y],
            Some(b) => [
                b[0].min(r.min().x),
                b[1].min(r.min().y),
                b[2].max(r.max().x),
                b[3].max(r.max().y),
            ],
        });
    }
    acc
}

/// The lowest zoom at which each point is drawn: the layer's minimum, or, for a layer with a
/// priority property, the lowest zoom from which no dense tile leaves it out.
fn point_min_zooms(source: &SourceLayer, entries: &[GridPoint], tags: &[Vec<[u32; 2]>]) -> Vec<u8> {
    let zooms = source.zooms;
    let mut min_zooms = vec![zooms.min; source.features.len()];
    let Some(field) = &source.priority else {
        return min_zooms;
    };
    let weight = |feature: usize| {
        source.features[feature]
            .properties
            .iter()
            .find(|(k, _)| k == field)
            .and_then(|(_, v)| match v {
                FieldValue::Int(n) => Some(*n as f64),
                FieldValue::Double(d) => Some(*d),
                FieldValue::Str(_) | FieldValue::Bool(_) => None,
            })
            .unwrap_or(f64::MIN)
    };
    // From the highest zoom down: a point left out at `z` is left out below too (monotone).
    for z in (zooms.min..zooms.max).rev() {
        let candidates: Vec<Candidate> = entries
            .iter()
            .map(|e| Candidate {
                home: home_of_point(*e.geom(), MAX_ZOOM, z),
                weight: weight(e.data),
                cost: FeatureCost {
                    vertices: 1,
                    rings: 0,
                    properties: tags[e.data].len(),
                },
            })
            .collect();
        for (e, kept) in entries
            .iter()
            .zip(keep_within_budget(&candidates, POINT_BUDGET_BYTES))
        {
            if !kept {
                min_zooms[e.data] = min_zooms[e.data].max(z + 1);
            }
        }
    }
    min_zooms
}

/// Rings (in Web Mercator metres) of each feature → valid grid polygons at zoom `z`; where a
/// home tile is too dense, its smallest polygons are left out ([`super::density`]).
fn polygons_at_zoom(
    features: &[Option<MercatorRings>],
    z: u8,
    tags: &[Vec<[u32; 2]>],
) -> ZoomPolygons {
    let mut items = Vec::new();
    for (feature, rings) in features.iter().enumerate() {
        let Some(rings) = rings else { continue };
        let contours: Vec<IntContour> =
            rings.iter().filter_map(|ring| snap_ring(ring, z)).collect();
        if contours.is_empty() {
            continue;
        }
        let shapes = contours.simplify(FillRule::EvenOdd, overlay_options());
        if let Some(bbox) = shapes_bbox(&shapes) {
            items.push(GridPolygons {
                feature,
                shapes,
                bbox,
            });
        }
    }
    let candidates: Vec<Candidate> = items
        .iter()
        .map(|g| Candidate {
            home: home_of_bbox(&g.bbox),
            weight: shapes_area(&g.shapes),
            cost: FeatureCost {
                vertices: g.shapes.iter().flatten().map(Vec::len).sum(),
                rings: g.shapes.iter().map(Vec::len).sum(),
                properties: tags.get(g.feature).map_or(0, Vec::len),
            },
        })
        .collect();
    let kept = keep_within_budget(&candidates, POLYGON_BUDGET_BYTES);
    let items: Vec<GridPolygons> = items
        .into_iter()
        .zip(kept)
        .filter_map(|(g, k)| k.then_some(g))
        .collect();
    let tree = RTree::bulk_load(
        items
            .iter()
            .enumerate()
            .map(|(i, g)| {
                GeomWithData::new(
                    Rectangle::from_corners([g.bbox[0], g.bbox[1]], [g.bbox[2], g.bbox[3]]),
                    i,
                )
            })
            .collect(),
    );
    ZoomPolygons { items, tree }
}

/// One ring in Mercator metres → simplified, snapped grid contour (open), or `None` when it
/// collapses below three distinct points.
fn snap_ring(ring_m: &[(f64, f64)], z: u8) -> Option<IntContour> {
    let line: LineString<f64> = ring_m
        .iter()
        .map(|&(x, y)| {
            let (gx, gy) = mercator_m_to_grid(x, y, z);
            Coord { x: gx, y: gy }
        })
        .collect();
    let line = line.simplify(SIMPLIFY_TOLERANCE_UNITS);
    let mut out: IntContour = Vec::with_capacity(line.0.len());
    for c in &line.0 {
        // Grid coordinates of zoom ≤ MAX_ZOOM are within [0, 2^26]: they fit i32.
        let p = IntPoint::new(c.x.round() as i32, c.y.round() as i32);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    (out.len() >= 3).then_some(out)
}

/// Bounding box of shapes, grid units.
pub fn shapes_bbox(shapes: &IntShapes) -> Option<[i64; 4]> {
    let mut points = shapes.iter().flat_map(|s| s.first()).flatten();
    let first = points.next()?;
    let mut b = [
        i64::from(first.x),
        i64::from(first.y),
        i64::from(first.x),
        i64::from(first.y),
    ];
    for p in points {
        b[0] = b[0].min(i64::from(p.x));
        b[1] = b[1].min(i64::from(p.y));
        b[2] = b[2].max(i64::from(p.x));
        b[3] = b[3].max(i64::from(p.y));
    }
    Some(b)
}

/// An envelope query box.
pub fn envelope(min_x: i64, min_y: i64, max_x: i64, max_y: i64) -> AABB<[i64; 2]> {
    AABB::from_corners([min_x, min_y], [max_x, max_y])
}
