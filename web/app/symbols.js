// Actor symbols: one shape AND one colour per actor group (colour is never the only cue), drawn on
// a canvas and registered with map.addImage, so no sprite sheet is downloaded.

/** Actor groups in display order (the engine's `ActorGroup` serde names) with label, shape, colour. */
export const ACTOR_GROUPS = [
  { code: 'ML', label: 'Mission locale', shape: 'circle', color: '#0b62a4' },
  { code: 'FT', label: 'France Travail', shape: 'square', color: '#c62828' },
  { code: 'RFS', label: 'France services', shape: 'diamond', color: '#6a1b9a' },
  { code: 'SIAE', label: "Insertion par l'activité économique (SIAE)", shape: 'triangle', color: '#b45309' },
  { code: 'CS', label: 'Centre social, espace de vie sociale', shape: 'hexagon', color: '#2e7d32' },
  { code: 'PIJ_BIJ', label: 'Information jeunesse (PIJ, BIJ, MJC)', shape: 'star', color: '#ad1457' },
  { code: 'E2C_EPIDE', label: 'École de la 2e chance, EPIDE', shape: 'triangle-down', color: '#5d4037' },
  { code: 'ASSO', label: 'Association', shape: 'cross', color: '#00796b' },
  { code: 'AUTRE', label: 'Autre structure', shape: 'ring', color: '#555555' },
];

const SIZE = 22; // CSS pixels
const RATIO = 2;

function path(ctx, shape, c, r) {
  ctx.beginPath();
  const poly = (n, rot, rad = r) => {
    for (let i = 0; i < n; i++) {
      const a = rot + (i * 2 * Math.PI) / n;
      const x = c + rad * Math.cos(a);
      const y = c + rad * Math.sin(a);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    ctx.closePath();
  };
  switch (shape) {
    case 'circle': ctx.arc(c, c, r * 0.92, 0, 2 * Math.PI); break;
    case 'ring': ctx.arc(c, c, r * 0.8, 0, 2 * Math.PI); break;
    case 'square': ctx.rect(c - r * 0.8, c - r * 0.8, r * 1.6, r * 1.6); break;
    case 'diamond': poly(4, -Math.PI / 2, r * 1.05); break;
    case 'triangle': poly(3, -Math.PI / 2, r * 1.08); break;
    case 'triangle-down': poly(3, Math.PI / 2, r * 1.08); break;
    case 'hexagon': poly(6, 0, r); break;
    case 'star': {
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rad = i % 2 === 0 ? r * 1.1 : r * 0.5;
        const x = c + rad * Math.cos(a);
        const y = c + rad * Math.sin(a);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.closePath();
      break;
    }
    case 'cross': {
      const w = r * 0.42;
      ctx.moveTo(c - w, c - r); ctx.lineTo(c + w, c - r); ctx.lineTo(c + w, c - w); ctx.lineTo(c + r, c - w);
      ctx.lineTo(c + r, c + w); ctx.lineTo(c + w, c + w); ctx.lineTo(c + w, c + r); ctx.lineTo(c - w, c + r);
      ctx.lineTo(c - w, c + w); ctx.lineTo(c - r, c + w); ctx.lineTo(c - r, c - w); ctx.lineTo(c - w, c - w);
      ctx.closePath();
      break;
    }
    default: ctx.arc(c, c, r, 0, 2 * Math.PI);
  }
}

/** Draws one group's symbol on a new canvas (SIZE × SIZE CSS pixels at RATIO). */
export function drawSymbol(group) {
  const canvas = document.createElement('canvas');
  canvas.width = SIZE * RATIO;
  canvas.height = SIZE * RATIO;
  const ctx = canvas.getContext('2d');
  ctx.scale(RATIO, RATIO);
  const c = SIZE / 2;
  const r = SIZE / 2 - 3;
  path(ctx, group.shape, c, r);
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  if (group.shape === 'ring') {
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = group.color;
    ctx.stroke();
  } else {
    ctx.fillStyle = group.color;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.stroke();
  }
  return canvas;
}

/** Registers every group's symbol as `actor-<CODE>` on the map. */
export function addActorImages(map) {
  for (const g of ACTOR_GROUPS) {
    const id = `actor-${g.code}`;
    if (map.hasImage(id)) continue;
    const canvas = drawSymbol(g);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    map.addImage(id, data, { pixelRatio: RATIO });
  }
}

/** An <img> of a group's symbol for legends (decorative: the label follows it). */
export function symbolImg(group) {
  const img = document.createElement('img');
  img.src = drawSymbol(group).toDataURL('image/png');
  img.alt = '';
  img.width = 20;
  img.height = 20;
  return img;
}
