// 监管总览: Jiangmen's districts shaded by the figure the supervisor chooses, a click on one narrowing
// the page to it, and a pin per located project coloured by its worst pending alert.
(function () {
  var element = document.getElementById("dashboard-map");
  if (!element || typeof L === "undefined") { return; }
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  var settings = read("map-settings");
  var markers = read("map-markers");
  var figures = read("district-figures");
  var worst = read("worst-alerts");
  var select = document.getElementById("map-metric");
  var legend = document.getElementById("map-legend");
  // ColorBrewer's sequential Blues (five classes): ordered by lightness, so it reads in grey too.
  var PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var rows = {};
  figures.rows.forEach(function (row) { rows[row.code] = row; });
  var metric = select ? select.value : figures.metrics[0][0];

  function unitOf(key) {
    var found = figures.metrics.filter(function (m) { return m[0] === key; })[0];
    return found ? found[2] : "";
  }
  function top() {
    var max = 0;
    figures.rows.forEach(function (row) { max = Math.max(max, row[metric]); });
    return max;
  }
  function classOf(value) {
    var max = top();
    if (!max || !value) { return 0; }
    return Math.min(PALETTE.length - 1, Math.ceil(value / max * (PALETTE.length - 1)));
  }
  function style(feature) {
    var code = feature.properties.code;
    var row = rows[code];
    var chosen = figures.selected === code;
    return {
      color: chosen ? "#000000" : "#495057",
      weight: chosen ? 3 : 1,
      fillColor: row ? PALETTE[classOf(row[metric])] : "#f8f9fa",
      fillOpacity: figures.selected && !chosen ? 0.45 : 0.9
    };
  }
  function tooltip(feature) {
    var row = rows[feature.properties.code];
    if (!row) { return feature.properties.name + "（不在监管范围）"; }
    return feature.properties.name + "：" + row[metric] + unitOf(metric) + "（点击筛选）";
  }
  function drawLegend() {
    if (!legend) { return; }
    var max = top();
    var unit = unitOf(metric);
    legend.innerHTML = "";
    var counted = unit !== "%";  // whole numbers: a class can hold none of them
    var previous = 0;
    PALETTE.forEach(function (colour, i) {
      // Class i holds the values above the previous class, up to i/4 of the largest (class 0: none).
      var high = max * i / (PALETTE.length - 1);
      if (counted) { high = Math.floor(high); }
      if (i > 0 && (!max || high <= previous)) { return; }
      previous = high;
      var label = i === 0 ? "0" : "≤" + (counted ? String(high) : high.toFixed(1)) + unit;
      var item = document.createElement("li");
      item.className = "list-inline-item";
      var swatch = document.createElement("span");
      swatch.className = "map-swatch";
      swatch.style.background = colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label));
      legend.appendChild(item);
    });
  }

  var map = L.map(element, { zoomSnap: 0.25 }).setView(window.jmzhgdMap.JIANGMEN_CENTER, 9);
  element.leafletMap = map;  // for tests and debugging
  var districts = null;
  window.jmzhgdMap.addBaseMap(map, settings, {
    style: style,
    tooltip: tooltip,
    onEachFeature: function (feature, path) {
      var code = feature.properties.code;
      if (!rows[code]) { return; }
      path.on("click", function () {
        var url = new URL(window.location.href);
        url.searchParams.delete("page");
        url.searchParams.delete("project");
        if (figures.selected === code) { url.searchParams.delete("district"); }
        else { url.searchParams.set("district", code); }
        url.searchParams.set("metric", metric);
        window.location.assign(url.toString());
      });
    }
  }).then(function (layer) {
    districts = layer;
    if (!layer) { return; }
    var bounds = L.latLngBounds([]);
    layer.eachLayer(function (path) {
      var code = path.feature.properties.code;
      if (figures.selected ? code === figures.selected : rows[code]) { bounds.extend(path.getBounds()); }
    });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
  });
  drawLegend();

  if (select) {
    select.addEventListener("change", function () {
      metric = select.value;
      if (districts) {
        districts.setStyle(style);
        districts.eachLayer(function (path) { path.setTooltipContent(tooltip(path.feature)); });
      }
      drawLegend();
      var url = new URL(window.location.href);
      url.searchParams.set("metric", metric);
      window.history.replaceState(null, "", url.toString());
    });
  }

  var levels = figures.severity;
  markers.forEach(function (m) {
    var level = worst[String(m.id)] || 0;
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name + "（" + m.code + "）";
    var note = document.createElement("div");
    note.className = "small";
    note.textContent = levels[level];
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(note);
    var icon = L.divIcon({ className: "project-pin project-pin-" + level, iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8] });
    L.marker([m.lat, m.lng], { icon: icon, title: m.name + "：" + levels[level], alt: m.name })
      .addTo(map).bindPopup(popup);
  });
})();
