// French labels and units of the indicator fields (tile properties and diagnostic JSON share names).

const LABELS = {
  population: ['Population', ''],
  area_km2: ['Superficie', 'km²'],
  youth_15_29: ['Jeunes de 15 à 29 ans', ''],
  youth_15_29_share_pct: ['Part des 15-29 ans', '%'],
  neet_share_2008_pct: ['Part de jeunes NEET (2008)', '%'],
  neet_share_2013_pct: ['Part de jeunes NEET (2013)', '%'],
  neet_share_2018_pct: ['Part de jeunes NEET (2018)', '%'],
  neet_share_pct: ['Part de jeunes NEET', '%'],
  neet_trend_2008_2018_pts: ['Évolution de la part NEET 2008-2018', 'pts'],
  neet_trend_2013_2018_pts: ['Évolution de la part NEET 2013-2018', 'pts'],
  estimated_neet_count: ['Jeunes NEET (estimation)', ''],
  qpv_area_m2: ['Surface en QPV', 'm²'],
  qpv_area_share_pct: ['Part de la surface en QPV', '%'],
  youth_15_29_in_qpv_est: ['Jeunes de 15-29 ans en QPV (estimation)', ''],
  distance_to_nearest_ml_ft_m: ['Distance à la mission locale ou France Travail la plus proche', 'm'],
  accessibility_index_per_1000: ['Accessibilité aux acteurs (offre pour 1 000 jeunes)', ''],
  stops_near_qpv: ['Arrêts à moins de 500 m des QPV', ''],
  priority_score: ['Score de priorité', ''],
  priority_rank: ['Rang de priorité', ''],
  score: ['Score de priorité', ''],
  rank: ['Rang de priorité', ''],
  qpv_count: ['Nombre de QPV', ''],
};

/** `[label, unit]` of a field; unknown fields get their name with spaces. */
export function label(field) {
  return LABELS[field] || [field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()), ''];
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
