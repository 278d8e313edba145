//! GeoPackage geometry blobs (OGC 12-128r18, § 2.1.3): the `GP` header, then ISO WKB.

/// A WGS84 point as a GeoPackage blob: magic `GP`, version 0, flags (little-endian, no envelope),
/// the SRS id, then a little-endian WKB Point.
///
/// # Examples
/// ```
/// let blob = repere_store::gpkg::binary::point_blob(4326, 1.0993, 49.4431);
/// assert_eq!(&blob[..4], b"GP\x00\x01");
/// assert_eq!(blob.len(), 8 + 21);
/// assert_eq!(repere_store::gpkg::binary::read_point(&blob), Some((1.0993, 49.4431)));
/// ```
pub fn point_blob(srs_id: i32, x: f64, y: f64) -> Vec<u8> {
    let mut b = Vec::with_capacity(29);
    b.extend_from_slice(b"GP");
    b.push(0); // version 1.0 of the blob format
    b.push(0b0000_0001); // binary type standard, not empty, no envelope, little-endian
    b.extend_from_slice(&srs_id.to_le_bytes());
    b.push(1); // WKB little-endian
    b.extend_from_slice(&1u32.to_le_bytes()); // wkbPoint
    b.extend_from_slice(&x.to_le_bytes());
    b.extend_from_slice(&y.to_le_bytes());
    b
}

/// Reads back a point written by [`point_blob`] (or any little- or big-endian 2D point blob).
pub fn read_point(blob: &[u8]) -> Option<(f64, f64)> {
    if blob.get(..2)? != b"GP" {
        return None;
    }
    let flags = *blob.get(3)?;
    let envelope_len = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    let wkb = blob.get(8 + envelope_len..)?;
    let little = *wkb.first()? == 1;
    let f = |at: usize| -> Option<f64> {
        let bytes: [u8; 8] = wkb.get(at..at + 8)?.try_into().ok()?;
        Some(if little {
            f64::from_le_bytes(bytes)
        } else {
            f64::from_be_bytes(bytes)
        })
    };
    let ty: [u8; 4] = wkb.get(1..5)?.try_into().ok()?;
    let ty = if little {
        u32::from_le_bytes(ty)
    } else {
        u32::from_be_bytes(ty)
    };
    (ty == 1).then_some(())?;
    Some((f(5)?, f(13)?))
}
