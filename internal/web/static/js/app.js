// Progressive enhancement only: every page works without this file.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js';

initAll();

// A map of the districts, drawn from our own GeoJSON with no tile server.
// The same facts are in the table beside it for people who cannot use the map.
const mapEl = document.getElementById('gm-map');
if (mapEl && window.L === undefined) {
  const s = document.createElement('script');
  s.src = '/static/vendor/leaflet/leaflet.js';
  s.onload = () => drawMap(mapEl);
  document.head.appendChild(s);
}

async function drawMap(el) {
  const res = await fetch(el.dataset.geojson);
  if (!res.ok) return;
  const data = await res.json();
  const L = window.L;
  el.hidden = false;
  const map = L.map(el, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
  const layer = L.geoJSON(data, {
    style: () => ({ color: '#1d70b8', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.12 }),
    onEachFeature: (f, l) => {
      const name = f.properties.area_name;
      l.bindTooltip(name);
      l.on('click', () => { window.location.href = '/organisations?district=' + encodeURIComponent(f.properties.area_code); });
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds());
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(el.dataset.attribution);
}

// People's Priorities: load the enhancements only where they are used.
const ballot = document.querySelector('[data-points-total]');
const weights = document.getElementById('weights-chart');
const participation = document.getElementById('participation-map');
const shareMaps = document.querySelectorAll('.svhub-share-map');
if (ballot || weights || participation || shareMaps.length) {
  import('/static/js/priorities.js').then((m) => {
    if (ballot) m.enhanceBallot(ballot);
    if (weights) m.drawWeights(weights);
    if (participation) m.drawParticipation(participation);
    shareMaps.forEach((el) => m.drawShareMap(el));
  });
}

// The anchors network drawing, where there is one.
const network = document.getElementById('network-graph');
if (network) import('/static/js/network.js').then((m) => m.drawNetwork(network));
