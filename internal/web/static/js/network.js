// The anchors network as a force-directed drawing. It is a picture of the
// table beside it (which is the accessible version), so it is hidden from
// assistive technology. Dots are coloured by kind of organisation, with a
// key after the drawing; anchors are drawn larger and outlined. Names are
// written beside anchors only where a name does not overlap another name or
// a dot (every name is in the dot's title and in the table); the text uses
// the page's font (.svhub-network in svhub.css).
const loadScript = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = reject;
  document.head.appendChild(s);
});

const kinds = [
  { kind: 'public_body', colour: '#1d70b8', label: 'Public body' },
  { kind: 'business', colour: '#505a5f', label: 'Business' },
  { kind: 'vcse', colour: '#00703c', label: 'Voluntary, community or social enterprise (VCSE) organisation' },
];
const colourOf = (k) => (kinds.find((x) => x.kind === k) || kinds[1]).colour;

// placeLabels chooses, for each anchor in turn (most links first), the first
// of eight places round its dot where the name's box overlaps no name
// already placed, no dot and stays inside the drawing; names that fit
// nowhere are left out.
function placeLabels(nodes, degree, width, height, fontSize) {
  const charWidth = fontSize * 0.58;
  const boxes = nodes.map((d) => ({ x0: d.px - 10, y0: d.py - 10, x1: d.px + 10, y1: d.py + 10 }));
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const placed = [];
  const anchors = nodes.filter((d) => d.anchor).sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0));
  for (const d of anchors) {
    const w = d.name.length * charWidth;
    const h = fontSize + 2;
    const tries = [
      { x: d.px + 13, y: d.py + fontSize / 3, anchor: 'start' },
      { x: d.px - 13, y: d.py + fontSize / 3, anchor: 'end' },
      { x: d.px, y: d.py - 14, anchor: 'middle' },
      { x: d.px, y: d.py + 14 + fontSize * 0.7, anchor: 'middle' },
      { x: d.px + 10, y: d.py - 12, anchor: 'start' },
      { x: d.px + 10, y: d.py + 12 + fontSize * 0.7, anchor: 'start' },
      { x: d.px - 10, y: d.py - 12, anchor: 'end' },
      { x: d.px - 10, y: d.py + 12 + fontSize * 0.7, anchor: 'end' },
    ];
    for (const t of tries) {
      const x0 = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
      const box = { x0, y0: t.y - fontSize * 0.8, x1: x0 + w, y1: t.y - fontSize * 0.8 + h };
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      if (placed.some((p) => overlaps(p.box, box)) || boxes.some((b, i) => nodes[i] !== d && overlaps(b, box))) continue;
      placed.push({ d, box, ...t });
      break;
    }
  }
  return placed;
}

export async function drawNetwork(el) {
  const data = JSON.parse(el.dataset.network);
  if (!data.nodes.length) return;
  if (window.d3 === undefined) await loadScript('/static/vendor/d3.min.js');
  const d3 = window.d3;
  const width = el.clientWidth || 640;
  const height = Math.min(640, Math.max(360, data.nodes.length * 8));
  const fontSize = 14;
  const nodes = data.nodes.map((n) => ({ ...n }));
  const links = data.edges.map((e) => ({ source: e.from, target: e.to, kind: e.kind }));
  const degree = new Map();
  for (const e of data.edges) {
    degree.set(e.from, (degree.get(e.from) || 0) + 1);
    degree.set(e.to, (degree.get(e.to) || 0) + 1);
  }
  const svg = d3.create('svg').attr('class', 'svhub-network').attr('viewBox', [0, 0, width, height])
    .attr('width', width).attr('height', height).attr('aria-hidden', 'true').attr('focusable', 'false');
  const sim = d3.forceSimulation(nodes)
    .force('link', d3.forceLink(links).id((d) => d.id).distance(70))
    .force('charge', d3.forceManyBody().strength(-120))
    .force('x', d3.forceX(width / 2).strength(0.06))
    .force('y', d3.forceY(height / 2).strength(0.1))
    .force('collide', d3.forceCollide((d) => (d.anchor ? 18 : 10)))
    .stop();
  for (let i = 0; i < 400; i++) sim.tick();
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  for (const d of nodes) {
    d.px = clamp(d.x, 12, width - 12);
    d.py = clamp(d.y, 12, height - 12);
  }
  svg.append('g').attr('stroke', '#b1b4b6').selectAll('line').data(links).join('line')
    .attr('x1', (d) => d.source.px).attr('y1', (d) => d.source.py)
    .attr('x2', (d) => d.target.px).attr('y2', (d) => d.target.py);
  const g = svg.append('g').selectAll('g').data(nodes).join('g')
    .attr('transform', (d) => `translate(${d.px},${d.py})`);
  g.append('circle').attr('r', (d) => (d.anchor ? 9 : 5)).attr('fill', (d) => colourOf(d.kind))
    .attr('stroke', (d) => (d.anchor ? '#0b0c0c' : 'none')).attr('stroke-width', 2);
  g.append('title').text((d) => d.name);
  const labels = placeLabels(nodes, degree, width, height, fontSize);
  svg.append('g').selectAll('text').data(labels).join('text')
    .attr('x', (l) => l.x).attr('y', (l) => l.y).attr('text-anchor', (l) => l.anchor)
    .attr('fill', '#0b0c0c').text((l) => l.d.name);
  el.replaceChildren(svg.node());
  drawKey(el, labels.length, nodes.filter((d) => d.anchor).length);
}

// drawKey writes the drawing's key after it, as HTML.
function drawKey(el, named, anchors) {
  const box = document.createElement('div');
  box.className = 'svhub-legend';
  const h = document.createElement('p');
  h.className = 'govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1';
  h.textContent = 'Key';
  const list = document.createElement('ul');
  list.className = 'svhub-legend__list govuk-body-s';
  const item = (colour, ring, text) => {
    const li = document.createElement('li');
    li.className = 'svhub-legend__item';
    const sw = document.createElement('span');
    sw.className = 'svhub-legend__swatch svhub-legend__swatch--ring';
    sw.setAttribute('aria-hidden', 'true');
    sw.style.backgroundColor = colour;
    sw.style.borderColor = ring ? '#0b0c0c' : colour;
    if (ring) sw.style.borderWidth = '2px';
    li.append(sw, document.createTextNode(text));
    list.append(li);
  };
  for (const k of kinds) item(k.colour, false, k.label);
  item('#ffffff', true, `Anchor institution (larger, outlined; ${named} of ${anchors} named where the name fits — all are in the table)`);
  const line = document.createElement('li');
  line.className = 'svhub-legend__item';
  const ls = document.createElement('span');
  ls.className = 'svhub-legend__swatch';
  ls.setAttribute('aria-hidden', 'true');
  ls.style.height = '0';
  ls.style.borderWidth = '1px 0 0';
  ls.style.borderColor = '#b1b4b6';
  line.append(ls, document.createTextNode('A relationship between two organisations'));
  list.append(line);
  box.append(h, list);
  el.after(box);
}
