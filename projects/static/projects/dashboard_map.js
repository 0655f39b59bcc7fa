// 监管总览: a marker per located project, each opening its 项目总览.
(function () {
  var element = document.getElementById("dashboard-map");
  if (!element || typeof L === "undefined") { return; }
  var settings = JSON.parse(document.getElementById("map-settings").textContent);
  var markers = JSON.parse(document.getElementById("map-markers").textContent);
  var map = L.map(element).setView(window.jmzhgdMap.JIANGMEN_CENTER, 9);
  window.jmzhgdMap.addTiles(map, settings);
  var points = [];
  markers.forEach(function (m) {
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name + "（" + m.code + "）";
    L.marker([m.lat, m.lng], { title: m.name }).addTo(map).bindPopup(link);
    points.push([m.lat, m.lng]);
  });
  if (points.length > 1) { map.fitBounds(points, { padding: [30, 30], maxZoom: 14 }); }
  else if (points.length === 1) { map.setView(points[0], 13); }
})();
