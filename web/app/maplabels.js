// Behaviour of the map's text layers (their definitions are in layers.js): an actor's name shown
// on hover or while it is chosen, whatever the zoom.

/** Shows the name of actor `id` whatever the zoom ('' hides it). */
export function showActorName(map, id) {
  if (map.getLayer('actors-label-hover')) map.setFilter('actors-label-hover', ['==', ['get', 'id'], id || '']);
}

/** Actor names on hover (mouse) over their symbols; `chosen()` is the id kept shown otherwise. */
export function initActorHover(map, chosen = () => '') {
  if (!map.getLayer('actors-symbol')) return;
  map.on('mousemove', 'actors-symbol', (e) => { if (e.features && e.features[0]) showActorName(map, e.features[0].properties.id); });
  map.on('mouseleave', 'actors-symbol', () => showActorName(map, chosen()));
}
