// People's Priorities enhancements. The ballot works without them: the
// server checks the total. With JavaScript, a running total and sliders help
// people split their 100 points, and results get a chart and a map.

const loadScript = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = reject;
  document.head.appendChild(s);
});

export function enhanceBallot(fieldset) {
  const inputs = [...fieldset.querySelectorAll('input[data-points]')];
  const status = fieldset.querySelector('[data-points-status]');
  // A live bar chart of the split, drawn with plain elements whose widths are
  // set through the CSSOM (allowed by the CSP, unlike inline style).
  const chart = document.createElement('div');
  chart.className = 'svhub-split';
  chart.setAttribute('aria-hidden', 'true');
  const bars = inputs.map((input) => {
    const row = document.createElement('div');
    row.className = 'svhub-split__row';
    const name = document.createElement('span');
    name.className = 'svhub-split__name govuk-body-s';
    name.textContent = document.querySelector(`label[for="${input.id}"]`).textContent;
    const bar = document.createElement('span');
    bar.className = 'svhub-split__bar';
    row.append(name, bar);
    chart.append(row);
    return bar;
  });
  status.before(chart);
  const update = () => {
    const points = (input) => parseInt(input.value, 10) || 0;
    const total = inputs.reduce((s, i) => s + Math.max(0, Math.min(100, points(i))), 0);
    inputs.forEach((input, k) => { bars[k].style.width = `${Math.max(0, Math.min(100, points(input)))}%`; });
    status.hidden = false;
    // One priority over 100 (even 99999999999999999999999) is named, never
    // summed into a total that JavaScript would print as 1e+23.
    const over = inputs.find((i) => points(i) > 100);
    const under = inputs.find((i) => points(i) < 0);
    const label = (i) => document.querySelector(`label[for="${i.id}"]`).textContent.trim();
    status.textContent = over ? `Points for ‘${label(over)}’ must be 100 or less.`
      : under ? `Points for ‘${label(under)}’ cannot be negative.`
      : total === 100 ? 'Total: 100 points. Ready to submit.'
      : total < 100 ? `Total: ${total} points. Add ${100 - total} more.` : `Total: ${total} points. Take away ${total - 100}.`;
  };
  for (const input of inputs) {
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = '0';
    slider.max = '100';
    slider.value = input.value || '0';
    slider.className = 'svhub-slider';
    slider.setAttribute('aria-label', document.querySelector(`label[for="${input.id}"]`).textContent + ' (slider)');
    slider.addEventListener('input', () => { input.value = slider.value; update(); });
    input.addEventListener('input', () => { slider.value = input.value || '0'; update(); });
    input.after(slider);
  }
  update();
}

export async function drawWeights(el) {
  const rows = JSON.parse(el.dataset.chart);
  if (window.Plot === undefined) {
    await loadScript('/static/vendor/d3.min.js');
    await loadScript('/static/vendor/plot.umd.min.js');
  }
  const Plot = window.Plot;
  const chart = Plot.plot({
    className: 'svhub-plot',
    marginLeft: 20,
    marginRight: 60,
    width: el.clientWidth || 640,
    height: 56 * rows.length + 40,
    fontSize: 14,
    x: { label: el.dataset.label || "People's Weight (%)", percent: true, grid: true },
    y: { axis: null, padding: 0.1 },
    marks: [
      // Each label sits above its bar, so long priority names stay readable.
      Plot.barX(rows, { y: 'Title', x: 'Weight', fill: '#1d70b8', insetTop: 24, sort: { y: '-x' } }),
      Plot.text(rows, { y: 'Title', x: 0, text: (d) => `${d.Title}: ${(d.Weight * 100).toFixed(1)}%`, textAnchor: 'start', dy: -12, fill: '#0b0c0c', fontSize: 14 }),
      Plot.ruleX([0]),
    ],
  });
  el.replaceChildren(chart);
}

export async function drawParticipation(el) {
  const part = JSON.parse(el.dataset.participation);
  const byCode = new Map(part.map((p) => [p.District, p]));
  if (window.L === undefined) await loadScript('/static/vendor/leaflet/leaflet.js');
  const res = await fetch(el.dataset.geojson);
  if (!res.ok) return;
  const data = await res.json();
  const L = window.L;
  el.hidden = false;
  const map = L.map(el, { scrollWheelZoom: false });
  const layer = L.geoJSON(data, {
    style: (f) => {
      const p = byCode.get(f.properties.area_code);
      // Shade by representation: ballot share ÷ population share, capped at 2.
      const ratio = p && p.PopulationShare > 0 ? Math.min(p.BallotShare / p.PopulationShare, 2) : 0;
      return { color: '#0b0c0c', weight: 1, fillColor: '#1d70b8', fillOpacity: 0.1 + 0.4 * ratio };
    },
    onEachFeature: (f, l) => {
      const p = byCode.get(f.properties.area_code);
      l.bindTooltip(p ? `${p.Name}: ${p.Ballots} ballots` : f.properties.area_name);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds());
  map.attributionControl.setPrefix(false);
}

// A choropleth of shares by district (spend analysis): darker is more.
export async function drawShareMap(el) {
  const shares = JSON.parse(el.dataset.shares);
  const byCode = new Map(shares.map((d) => [d.District, d]));
  const max = Math.max(...shares.map((d) => d.Share), 0.0001);
  if (window.L === undefined) await loadScript('/static/vendor/leaflet/leaflet.js');
  const res = await fetch(el.dataset.geojson);
  if (!res.ok) return;
  const data = await res.json();
  const L = window.L;
  el.hidden = false;
  const map = L.map(el, { scrollWheelZoom: false });
  const layer = L.geoJSON(data, {
    style: (f) => {
      const d = byCode.get(f.properties.area_code);
      return { color: '#0b0c0c', weight: 1, fillColor: '#1d70b8', fillOpacity: 0.05 + 0.75 * ((d ? d.Share : 0) / max) };
    },
    onEachFeature: (f, l) => {
      const d = byCode.get(f.properties.area_code);
      l.bindTooltip(d ? `${d.Name}: ${(d.Share * 100).toFixed(1)}%` : f.properties.area_name);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds());
  map.attributionControl.setPrefix(false);
}
