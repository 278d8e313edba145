// The page's one state store. Every module reads the state with `get()`, changes it with
// `set(patch)` and reacts to changes with `subscribe(keys, fn)`; no module writes another's
// variables. The keys (see INITIAL) are what the planner sees and what the permalink keeps,
// plus the dataset version (`version`: one change refreshes every tile source and open panel)
// and the map's placing mode (`placing`: who receives the next click or keyboard placement).

/** The state at start-up, before the permalink is read. */
export const INITIAL = {
  /** Map view `{zoom, center: [lon, lat]}` (null: the territory's extent). */
  view: null,
  /** Field the communes are coloured by ('' for none, null: the default). */
  indicator: null,
  /** Keys of the visible layer groups (null: the defaults). */
  layers: null,
  /** INSEE code of the open commune card. */
  commune: null,
  /** Score weights that differ from the defaults. */
  weights: {},
  /** How many top communes of the ranking are highlighted. */
  highlight: 10,
  /** The open tab. */
  tab: 'layers',
  /** The gap map: `{group, minutes, mode, colour, shown}` (null: defaults). */
  gap: null,
  /** The project scenario: `{minutes, mode, sites: [{lon, lat, group, name, days, hours}]}`. */
  project: null,
  /** The saved project file opened: `{id, key}` (key null: read-only), null for none. */
  projectFile: null,
  /** Dataset version (`GET /health`); its change is the one "data changed" event. */
  version: null,
  /** Placing mode: null, or `{kind: 'site'|'actor-new'|'actor-place', label, actor?}`. */
  placing: null,
  /** Id of the actor chosen in the Acteurs list or on the map. */
  actor: null,
  /** The member communes (`GET /api/communes` rows, sorted by name), reloaded at each version. */
  communes: [],
  /** The current ranking (`GET /api/ranking`), for the card's priority box. */
  ranking: null,
  /** The actor inventory (`GET /api/actors`), reloaded at each version. */
  inventory: null,
};

export function createStore(initial = INITIAL) {
  let state = { ...initial };
  const subscribers = new Set();
  return {
    /** The current state (read only: change it with `set`). */
    get: () => state,
    /** Merges `patch` into the state and calls the subscribers of the keys that changed. */
    set(patch) {
      const changed = Object.keys(patch).filter((k) => !Object.is(state[k], patch[k]));
      if (!changed.length) return;
      const previous = state;
      state = { ...state, ...patch };
      for (const s of [...subscribers]) {
        if (!s.keys || s.keys.some((k) => changed.includes(k))) s.fn(state, previous, changed);
      }
    },
    /** Calls `fn(state, previous, changedKeys)` after each change of one of `keys` (null: any key); returns the unsubscribe function. */
    subscribe(keys, fn) {
      const s = { keys: keys ? [].concat(keys) : null, fn };
      subscribers.add(s);
      return () => subscribers.delete(s);
    },
  };
}

/** The page's store. */
export const store = createStore();
