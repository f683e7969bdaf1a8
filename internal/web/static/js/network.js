// The anchors network as a force-directed drawing. It is a picture of the
// table beside it (which is the accessible version), so it is hidden from
// assistive technology. Anchors are drawn larger and outlined.
const loadScript = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = reject;
  document.head.appendChild(s);
});

const colours = { public_body: '#1d70b8', business: '#505a5f', vcse: '#00703c' };

export async function drawNetwork(el) {
  const data = JSON.parse(el.dataset.network);
  if (!data.nodes.length) return;
  if (window.d3 === undefined) await loadScript('/static/vendor/d3.min.js');
  const d3 = window.d3;
  const width = el.clientWidth || 640;
  const height = Math.min(560, Math.max(320, data.nodes.length * 6));
  const nodes = data.nodes.map((n) => ({ ...n }));
  const links = data.edges.map((e) => ({ source: e.from, target: e.to, kind: e.kind }));
  const svg = d3.create('svg').attr('viewBox', [0, 0, width, height]).attr('width', width).attr('height', height).attr('aria-hidden', 'true').attr('focusable', 'false');
  const sim = d3.forceSimulation(nodes)
    .force('link', d3.forceLink(links).id((d) => d.id).distance(60))
    .force('charge', d3.forceManyBody().strength(-60))
    .force('center', d3.forceCenter(width / 2, height / 2))
    .force('collide', d3.forceCollide(10))
    .stop();
  for (let i = 0; i < 300; i++) sim.tick();
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  svg.append('g').attr('stroke', '#b1b4b6').selectAll('line').data(links).join('line')
    .attr('x1', (d) => clamp(d.source.x, 8, width - 8)).attr('y1', (d) => clamp(d.source.y, 8, height - 8))
    .attr('x2', (d) => clamp(d.target.x, 8, width - 8)).attr('y2', (d) => clamp(d.target.y, 8, height - 8));
  const g = svg.append('g').selectAll('g').data(nodes).join('g')
    .attr('transform', (d) => `translate(${clamp(d.x, 8, width - 8)},${clamp(d.y, 8, height - 8)})`);
  g.append('circle').attr('r', (d) => (d.anchor ? 9 : 5)).attr('fill', (d) => colours[d.kind] || '#505a5f')
    .attr('stroke', (d) => (d.anchor ? '#0b0c0c' : 'none')).attr('stroke-width', 2);
  g.append('title').text((d) => d.name);
  g.filter((d) => d.anchor).append('text').attr('x', 12).attr('y', 4).attr('font-size', 12).attr('fill', '#0b0c0c').text((d) => d.name);
  el.replaceChildren(svg.node());
}
