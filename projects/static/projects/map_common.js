// Shared by the project map pages: the base map is Jiangmen's seven 区县, shipped with the platform
// (static/vendor/README.md), under the tiles of a configured tile server if there is one.
window.jmzhgdMap = {
  JIANGMEN_CENTER: [22.5787, 113.0815],
  addTiles: function (map, settings) {
    // Leaflet's default prefix is an English link 「Leaflet」; the tile provider's attribution stays.
    map.attributionControl.setPrefix(false);
    if (!settings.tileUrl) { return null; }
    var options = { maxZoom: 18, attribution: settings.tileAttribution || "" };
    // Tianditu serves from t0…t7; other providers use Leaflet's default a/b/c.
    if (settings.tileUrl.indexOf("{s}") >= 0 && settings.tileUrl.indexOf("tianditu") >= 0) {
      options.subdomains = "01234567";
    }
    return L.tileLayer(settings.tileUrl, options).addTo(map);
  },
  // Tiles (if any) and the district boundaries under every marker. options: style(feature),
  // tooltip(feature) → text, onEachFeature(feature, path). Resolves to the districts' layer.
  addBaseMap: function (map, settings, options) {
    options = options || {};
    var tiles = this.addTiles(map, settings);
    var element = map.getContainer();
    if (!settings.districtsUrl) { return Promise.resolve(null); }
    var plain = function () {
      // Over tiles the districts are outlines only; on their own they are the map's land.
      return { color: "#495057", weight: 1.5, fillColor: "#f1f3f5", fillOpacity: tiles ? 0 : 1 };
    };
    return fetch(settings.districtsUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: options.style || plain,
          onEachFeature: function (feature, path) {
            var text = options.tooltip ? options.tooltip(feature) : feature.properties.name;
            path.bindTooltip(text, { sticky: true });
            if (options.onEachFeature) { options.onEachFeature(feature, path); }
          }
        }).addTo(map);
        layer.bringToBack();
        element.dataset.districts = String(data.features.length);  // drawn: what the browser tests wait for
        return layer;
      })
      .catch(function () {
        element.dataset.districts = "0";
        return null;
      });
  }
};
