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

// A bar chart of shares (People's Weights, shares of spend, verified
// delivery). Each bar's label sits above it, on one line, cut short with an
// ellipsis when it would not fit (the full text is in the bar's title and in
// the table beside the chart); the axis runs from 0 to at least the longest
// bar; the text uses the page's font (see .svhub-plot in svhub.css).
export async function drawWeights(el) {
  const rows = JSON.parse(el.dataset.chart);
  if (!rows.length) return;
  if (window.Plot === undefined) {
    await loadScript('/static/vendor/d3.min.js');
    await loadScript('/static/vendor/plot.umd.min.js');
  }
  const Plot = window.Plot;
  const width = el.clientWidth || 640;
  const fontSize = 14;
  const max = Math.max(...rows.map((d) => d.Weight), 0.01);
  const d3 = window.d3;
  const count = Math.max(2, Math.floor(width / 90));
  const step = d3.tickStep(0, max * 100, count);
  const end = Math.ceil((max * 100) / step - 1e-9) * step;
  const ticks = d3.range(0, end + step / 2, step);
  // The figure comes first so that cutting a long name short never hides it.
  const label = (d) => `${(d.Weight * 100).toFixed(1)}% – ${d.Title}`;
  const chart = Plot.plot({
    className: 'svhub-plot',
    marginLeft: 16,
    marginRight: 30,
    marginBottom: 48,
    width,
    height: 56 * rows.length + 56,
    // percent: true shows proportions as 0 to 100, so the axis is in
    // percent; it ends on a labelled tick at or past the longest bar.
    x: { label: el.dataset.label || "People's Weight (%)", percent: true, grid: true, domain: [0, end], ticks, labelAnchor: 'center', labelOffset: 42, labelArrow: 'none' },
    y: { axis: null, padding: 0.1 },
    marks: [
      Plot.barX(rows, { y: 'Title', x: 'Weight', fill: '#1d70b8', insetTop: 24, sort: { y: '-x' }, title: label }),
      Plot.text(rows, {
        y: 'Title', x: 0, text: label, title: label, textAnchor: 'start', dy: -12, fill: '#0b0c0c', fontSize,
        lineWidth: (width - 40) / fontSize, textOverflow: 'ellipsis',
      }),
      Plot.ruleX([0]),
    ],
  });
  el.replaceChildren(chart);
}

// A map of who took part: each district shaded by its share of ballots
// against its share of Greater Manchester's people.
export async function drawParticipation(el) {
  const maps = await import('/static/js/maps.js');
  const part = JSON.parse(el.dataset.participation);
  const byCode = new Map(part.map((p) => [p.District, p]));
  const bins = [
    { below: 0.5, label: 'Under half its share' },
    { below: 0.8, label: 'Half to four-fifths of its share' },
    { below: 1.25, label: 'About its share (four-fifths to one and a quarter)' },
    { below: 2, label: 'One and a quarter to twice its share' },
    { below: Infinity, label: 'Twice its share or more' },
  ];
  const none = '#f3f2f1';
  const colour = (p) => {
    if (!p || !(p.PopulationShare > 0) || !p.Ballots) return none;
    const r = p.BallotShare / p.PopulationShare;
    return maps.steps[bins.findIndex((b) => r < b.below)];
  };
  const map = await maps.draw(el, {
    style: (f) => ({ color: '#0b0c0c', weight: 1, fillColor: colour(byCode.get(f.properties.area_code)), fillOpacity: 0.85 }),
    tooltip: (f) => {
      const p = byCode.get(f.properties.area_code);
      return p ? `${p.Name}: ${p.Ballots} ${p.Ballots === 1 ? 'ballot' : 'ballots'}` : f.properties.area_name;
    },
  });
  if (!map) return;
  maps.legend(el, "Each district's share of ballots, against its share of people", [
    ...bins.map((b, i) => ({ colour: maps.steps[i], label: b.label })),
    { colour: none, label: 'No ballots' },
  ]);
}

// A choropleth of shares by district or ward (spend analysis): darker is more.
export async function drawShareMap(el) {
  const maps = await import('/static/js/maps.js');
  const shares = JSON.parse(el.dataset.shares);
  const byCode = new Map(shares.map((d) => [d.District, d]));
  const max = Math.max(...shares.map((d) => d.Share), 0);
  const pct = (v) => `${(v * 100).toFixed(max < 0.1 ? 1 : 0)}%`;
  const { step, rows } = maps.equalSteps(max, pct);
  const none = '#f3f2f1';
  const map = await maps.draw(el, {
    style: (f) => {
      const d = byCode.get(f.properties.area_code);
      return { color: '#0b0c0c', weight: 1, fillColor: d && d.Share > 0 ? step(d.Share) : none, fillOpacity: 0.85 };
    },
    tooltip: (f) => {
      const d = byCode.get(f.properties.area_code);
      return d ? `${d.Name}: ${pct(d.Share)}` : f.properties.area_name;
    },
  });
  if (!map) return;
  maps.legend(el, 'Share of placed spend', [...rows, { colour: none, label: 'None' }]);
}
