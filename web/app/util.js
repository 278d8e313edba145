// Small DOM, number formatting and CSV helpers (French conventions: decimal comma, `;` separator).

const nf = new Map();

/** Formats a number in French with at most `digits` decimals; '—' for null/undefined/NaN. */
export function fmt(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (typeof value !== 'number') return String(value);
  if (!nf.has(digits)) nf.set(digits, new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }));
  return nf.get(digits).format(value);
}

/** Formats a distance in metres as "850 m" or "2,4 km". */
export function fmtDistance(m) {
  if (m === null || m === undefined || Number.isNaN(m)) return '—';
  return m < 1000 ? `${fmt(m, 0)} m` : `${fmt(m / 1000, 1)} km`;
}

/** Creates an element: el('td', {class: 'num'}, 'text', child…). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    // Through the CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
    else if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Serialises rows (arrays) to CSV with `;` separators and a BOM, the form French spreadsheets open. */
export function toCsv(header, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'number' ? String(v).replace('.', ',') : String(v);
    return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}

/** Offers a text as a file download. */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Debounces a function. */
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** Normalises a string for search (lowercase, no accents, no hyphens). */
export function fold(s) {
  return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[-'’]/g, ' ').toLowerCase().trim();
}
