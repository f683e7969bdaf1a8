// Progressive enhancement only: every page works without this file.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js';

initAll();

// A map of the districts, drawn from our own GeoJSON with no tile server.
// The same districts are in the table beside it for people who cannot use
// the map.
const mapEl = document.getElementById('gm-map');
if (mapEl) {
  import('/static/js/maps.js').then(async (maps) => {
    const map = await maps.draw(mapEl, {
      style: () => ({ color: '#1d70b8', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.12 }),
      tooltip: (f) => f.properties.area_name,
      onClick: (f) => { window.location.href = '/organisations?district=' + encodeURIComponent(f.properties.area_code); },
    });
    if (map) maps.legend(mapEl, 'Key', [{ colour: '#d2e2f1', outline: '#1d70b8', label: 'A district: select it to see the organisations based there' }]);
  });
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
