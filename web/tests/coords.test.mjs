// The coordinates a person types to place a point (web/app/coords.js): Lambert-93 ↔ WGS84 against
// the reference point of the brief (IGN formulas, GRS80), and the French error of a bad entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toLambert93, fromLambert93, readPoint, parseNumber } from '../app/coords.js';

test('WGS84 (1.0993, 49.4431) is Lambert-93 x 562122.093, y 6928734.087, and back', () => {
  const [x, y] = toLambert93(1.0993, 49.4431);
  assert.ok(Math.abs(x - 562122.093) < 0.001, `${x}`);
  assert.ok(Math.abs(y - 6928734.087) < 0.001, `${y}`);
  const [lon, lat] = fromLambert93(562122.093, 6928734.087);
  assert.ok(Math.abs(lon - 1.0993) < 1e-8 && Math.abs(lat - 49.4431) < 1e-8, `${lon} ${lat}`);
  // The projection's origin: (3°E, 46.5°N) is (700000, 6600000).
  const [x0, y0] = toLambert93(3, 46.5);
  assert.ok(Math.abs(x0 - 700000) < 1e-6 && Math.abs(y0 - 6600000) < 1e-6);
});

test('typed coordinates: French decimals, both systems, and errors naming the field', () => {
  assert.equal(parseNumber('49,4431'), 49.4431);
  assert.equal(parseNumber('562 122,093'), 562122.093);
  assert.ok(Number.isNaN(parseNumber('49°26')));
  assert.deepEqual(readPoint('wgs84', '1,0993', '49,4431'), { lon: 1.0993, lat: 49.4431 });
  const p = readPoint('l93', '562122,093', '6928734,087');
  assert.ok(Math.abs(p.lon - 1.0993) < 1e-8 && Math.abs(p.lat - 49.4431) < 1e-8);
  assert.deepEqual(readPoint('wgs84', 'est', '49').field, 'a');
  assert.match(readPoint('wgs84', '1', '95').error, /^Latitude illisible : « 95 »/);
  assert.match(readPoint('l93', '562122', '49,44').error, /^Y \(Lambert-93\) hors de la France métropolitaine/);
});
