// 【项目定位】: a draggable marker kept in step with the latitude/longitude inputs.
(function () {
  var element = document.getElementById("project-map");
  if (!element || typeof L === "undefined") { return; }
  var settings = JSON.parse(document.getElementById("map-settings").textContent);
  var editable = element.dataset.editable === "1";
  var latInput = document.getElementById("id_lat");
  var lngInput = document.getElementById("id_lng");

  function readInputs() {
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    return isFinite(lat) && isFinite(lng) ? L.latLng(lat, lng) : null;
  }
  function writeInputs(latlng) {
    latInput.value = latlng.lat.toFixed(6);
    lngInput.value = latlng.lng.toFixed(6);
  }

  var start = readInputs();
  var map = L.map(element).setView(start || window.jmzhgdMap.JIANGMEN_CENTER, start ? 16 : 11);
  window.jmzhgdMap.addBaseMap(map, settings);
  var marker = L.marker(start || window.jmzhgdMap.JIANGMEN_CENTER, {
    draggable: editable, title: "项目位置", autoPan: true
  }).addTo(map);
  element.projectMarker = marker;  // for tests and debugging
  element.leafletMap = map;  // fences.js draws the site's 电子围栏 on it

  if (editable) {
    marker.on("dragend", function () { writeInputs(marker.getLatLng()); });
    map.on("click", function (event) {
      if (element.dataset.drawing) { return; }  // the click draws a fence (fences.js)
      marker.setLatLng(event.latlng); writeInputs(event.latlng);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var latlng = readInputs();
        if (latlng) { marker.setLatLng(latlng); map.panTo(latlng); }
      });
    });
  }

  var button = document.getElementById("geocode-button");
  var query = document.getElementById("geocode-query");
  var results = document.getElementById("geocode-results");
  if (button) {  // answered by the geocoding service or, without one, by the built-in gazetteer
    var search = function () {
      results.innerHTML = "";
      if (!query.value.trim()) { return; }
      fetch(element.dataset.geocodeUrl + "?q=" + encodeURIComponent(query.value.trim()), {
        headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin"
      })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.message) {
            var note = document.createElement("div");
            note.className = "list-group-item small text-muted";
            note.textContent = data.message;
            results.appendChild(note);
          }
          (data.results || []).forEach(function (hit) {
            var item = document.createElement("button");
            item.type = "button";
            item.className = "list-group-item list-group-item-action small";
            item.textContent = (hit.label || "") + "（" + hit.lat.toFixed(6) + ", " + hit.lng.toFixed(6) + "）";
            item.addEventListener("click", function () {
              var latlng = L.latLng(hit.lat, hit.lng);
              marker.setLatLng(latlng); map.setView(latlng, 16); writeInputs(latlng);
              results.innerHTML = "";
            });
            results.appendChild(item);
          });
        })
        .catch(function () {
          results.innerHTML = '<div class="list-group-item small text-danger">地址搜索失败，请拖动标记或填写经纬度。</div>';
        });
    };
    button.addEventListener("click", search);
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
  }
})();
