// Maps of Greater Manchester, drawn with Leaflet from our own GeoJSON (no
// tile server). Every map is a picture of a table on the same page, which
// holds the same figures for people who cannot use the map. Each map gets
// a key (its colour steps and what they mean) drawn as ordinary HTML after
// it, and zooms to fit the areas drawn (fractional zoom, so Greater
// Manchester fills the box instead of the nearest whole zoom level).

const loadScript = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = reject;
  document.head.appendChild(s);
});

// Five blues, light to dark, each darker step a clear change; the darkest
// is GOV.UK's dark blue.
export const steps = ['#d2e2f1', '#9fc2e4', '#5694ca', '#1d70b8', '#003078'];

// legend writes the key of a map: a heading and one row per colour.
export function legend(el, title, rows) {
  const box = document.createElement('div');
  box.className = 'svhub-legend';
  const h = document.createElement('p');
  h.className = 'govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1';
  h.textContent = title;
  const list = document.createElement('ul');
  list.className = 'svhub-legend__list govuk-body-s';
  for (const r of rows) {
    const li = document.createElement('li');
    li.className = 'svhub-legend__item';
    const sw = document.createElement('span');
    sw.className = 'svhub-legend__swatch';
    sw.setAttribute('aria-hidden', 'true');
    sw.style.backgroundColor = r.colour; // CSSOM, allowed by the CSP
    if (r.outline) sw.style.borderColor = r.outline;
    li.append(sw, document.createTextNode(r.label));
    list.append(li);
  }
  box.append(h, list);
  el.after(box);
}

// equalSteps splits 0..max into five equal ranges and labels each with
// format(from) and format(to); step(v) gives the colour of a value.
export function equalSteps(max, format) {
  const top = max > 0 ? max : 1;
  const bounds = steps.map((_, i) => (top * (i + 1)) / steps.length);
  const step = (v) => steps[Math.min(steps.length - 1, bounds.findIndex((b) => v <= b + 1e-12))];
  const rows = steps.map((c, i) => ({ colour: c, label: `${format(i === 0 ? 0 : bounds[i - 1])} to ${format(bounds[i])}` }));
  return { step, rows };
}

// draw shows the GeoJSON at el.dataset.geojson with style(feature) and
// tooltip(feature), fitted to the areas drawn; onClick(feature) is optional.
export async function draw(el, { style, tooltip, onClick }) {
  if (window.L === undefined) await loadScript('/static/vendor/leaflet/leaflet.js');
  const res = await fetch(el.dataset.geojson);
  if (!res.ok) return null;
  const data = await res.json();
  const L = window.L;
  el.hidden = false;
  const map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.1, zoomDelta: 0.5 });
  const layer = L.geoJSON(data, {
    style,
    onEachFeature: (f, l) => {
      l.bindTooltip(tooltip(f));
      if (onClick) l.on('click', () => onClick(f));
    },
  }).addTo(map);
  const fit = () => map.fitBounds(layer.getBounds(), { padding: [6, 6] });
  map.invalidateSize();
  fit();
  // Keep Greater Manchester filling the box when the page is resized.
  if (window.ResizeObserver) new ResizeObserver(() => { map.invalidateSize(); fit(); }).observe(el);
  map.attributionControl.setPrefix(false);
  if (el.dataset.attribution) map.attributionControl.addAttribution(el.dataset.attribution);
  return map;
}
