// Reads a PMTiles archive written by `repere tiles export` with the pmtiles JS library (the one
// MapLibre pages use) through a local file source, and checks header, metadata and one tile.
// Usage: node check_pmtiles_js.mjs FILE.pmtiles (with `pmtiles` resolvable, see the .sh).
import { open } from "node:fs/promises";
import assert from "node:assert/strict";
import { PMTiles } from "pmtiles";

class FileSource {
  constructor(path) { this.path = path; }
  getKey() { return this.path; }
  async getBytes(offset, length) {
    const fh = await open(this.path);
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) };
    } finally {
      await fh.close();
    }
  }
}

const archive = new PMTiles(new FileSource(process.argv[2]));
const header = await archive.getHeader();
const metadata = await archive.getMetadata();
assert.equal(header.specVersion, 3);
assert.equal(header.tileType, 1, "MVT");
assert.ok(header.minZoom <= 10 && header.maxZoom === 14, `zooms ${header.minZoom}-${header.maxZoom}`);
const ids = metadata.vector_layers.map((l) => l.id);
assert.ok(ids.includes("communes") && ids.includes("qpv"), ids.join(","));
const tile = await archive.getZxy(14, 8243, 5594);
assert.ok(tile && tile.data.byteLength > 100, "the z14 tile over Les Hauts de Rouen is present");
// The layer name "qpv" is stored as a string in the (decompressed) protobuf.
assert.ok(Buffer.from(tile.data).includes("QN07620M"), "QN07620M in the tile");
const missing = await archive.getZxy(14, 0, 0);
assert.equal(missing, undefined);
console.log(`pmtiles JS ${header.specVersion}: z${header.minZoom}-${header.maxZoom}, layers ${ids.join(",")}, z14 tile ${tile.data.byteLength} bytes: ok`);
