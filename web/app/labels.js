// French labels and units of the indicator fields (tile properties and diagnostic JSON share
// names). They are the engine's (`GET /api/fields`): a label that names an engine parameter, such
// as the stop catchment, says the value in use. `setFieldDocs` is called once at start-up.

/** @type {Object<string, import('./api.js').FieldDoc>} */
let docs = {};

/** @type {{census: number|null, population: number|null, qpv: number|null}} */
let years = { census: null, population: null, qpv: null };

/** Keeps the labels of `GET /api/fields` (its `fields` object) and the data's `vintages`. */
export function setFieldDocs(fields, vintages) {
  docs = fields;
  if (vintages) years = vintages;
}

/** The source and vintage of a field as the engine writes it (`RP 2013`, `QPV 2024`), or ''. */
export function sourceOf(field) {
  return (docs[field] && docs[field].source) || '';
}

/** "recensement 2013" (the census vintage of the loaded data; "recensement" when unknown). */
export function censusText() {
  return years.census ? `recensement ${years.census}` : 'recensement';
}

/** `[label, unit]` of a field; a field the engine does not document gets its name with spaces. */
export function label(field) {
  const d = docs[field];
  return d ? [d.label, d.unit] : [field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()), ''];
}

/** Whether a field reads better with no decimals. */
export function isCount(field) {
  return /(^population$|youth_15_29$|count|_est$|_m$|_m2$|rank|stops)/.test(field);
}

/** The French label of an actor group code. */
export const GROUP_LABELS = {
  ML: 'Mission locale',
  FT: 'France Travail',
  RFS: 'France services',
  SIAE: 'SIAE',
  CS: 'Centre social',
  PIJ_BIJ: 'Information jeunesse',
  E2C_EPIDE: 'E2C, EPIDE',
  ASSO: 'Association',
  AUTRE: 'Autre',
};
