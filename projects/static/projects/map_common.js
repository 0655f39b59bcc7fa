// Shared by the project map pages: the base layer from settings (none = a plain background).
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
  }
};
