// 【电子围栏】 on 项目定位: circles (one click at the centre, radius typed) and polygons (a click per
// vertex, then 【完成多边形】) drawn on the map, listed in a table, saved as JSON (projects.geofence).
(function () {
  var element = document.getElementById("project-map");
  var table = document.getElementById("fence-table");
  if (!element || !table || typeof L === "undefined" || !element.leafletMap) { return; }
  var map = element.leafletMap;
  var fences = JSON.parse(document.getElementById("site-fences").textContent) || [];
  var form = document.getElementById("fence-form");
  var editable = !!form;
  var hint = document.getElementById("fence-hint");
  var layers = L.layerGroup().addTo(map);
  var draft = null;  // {type, points, layer} while a polygon is being drawn
  var mode = "";
  var style = { color: "#d63384", weight: 2, fillOpacity: 0.15 };

  function say(text) { if (hint) { hint.textContent = text; } }
  function setMode(next) {
    mode = next;
    if (next) { element.dataset.drawing = next; } else { delete element.dataset.drawing; }
    document.getElementById("fence-finish").disabled = next !== "polygon";
    document.getElementById("fence-cancel").disabled = !next;
  }
  function layerFor(fence) {
    return fence.type === "circle"
      ? L.circle(fence.center, Object.assign({ radius: fence.radius }, style))
      : L.polygon(fence.points, style);
  }
  function extent(fence) {
    return fence.type === "circle" ? "半径 " + fence.radius + " 米" : fence.points.length + " 个顶点";
  }
  function render() {
    layers.clearLayers();
    var body = table.querySelector("tbody");
    body.innerHTML = "";
    fences.forEach(function (fence, index) {
      layers.addLayer(layerFor(fence).bindTooltip(fence.name));
      var row = document.createElement("tr");
      var nameCell = document.createElement("td");
      if (editable) {
        var input = document.createElement("input");
        input.className = "form-control form-control-sm";
        input.maxLength = 50;
        input.value = fence.name;
        input.setAttribute("aria-label", "第 " + (index + 1) + " 个围栏的名称");
        input.addEventListener("change", function () { fence.name = input.value; sync(); });
        nameCell.appendChild(input);
      } else {
        nameCell.textContent = fence.name;
      }
      row.appendChild(nameCell);
      var typeCell = document.createElement("td");
      typeCell.textContent = fence.type === "circle" ? "圆形" : "多边形";
      row.appendChild(typeCell);
      var extentCell = document.createElement("td");
      extentCell.textContent = extent(fence);
      row.appendChild(extentCell);
      if (editable) {
        var cell = document.createElement("td");
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-outline-danger btn-sm";
        remove.textContent = "删除";
        remove.setAttribute("aria-label", "删除围栏 " + fence.name);
        remove.addEventListener("click", function () { fences.splice(index, 1); render(); });
        cell.appendChild(remove);
        row.appendChild(cell);
      }
      body.appendChild(row);
    });
    if (!fences.length) {
      body.innerHTML = '<tr><td colspan="4" class="text-muted small">尚未设置电子围栏。</td></tr>';
    }
    sync();
  }
  function sync() {
    if (form) { document.getElementById("fence-data").value = JSON.stringify(fences); }
    element.dataset.fences = String(fences.length);  // for the browser tests
  }
  function round(value) { return Math.round(value * 1e6) / 1e6; }

  render();
  if (fences.length) { map.fitBounds(layers.getLayers().map(function (l) { return l.getBounds(); })
    .reduce(function (a, b) { return a.extend(b); })); }
  if (!editable) { return; }

  document.getElementById("fence-circle").addEventListener("click", function () {
    setMode("circle");
    say("请在地图上点击圆心位置。");
  });
  document.getElementById("fence-polygon").addEventListener("click", function () {
    setMode("polygon");
    draft = { points: [], layer: L.polyline([], style).addTo(map) };
    say("请在地图上依次点击多边形的顶点（至少 3 个），然后点击【完成多边形】。");
  });
  document.getElementById("fence-cancel").addEventListener("click", function () {
    if (draft) { map.removeLayer(draft.layer); draft = null; }
    setMode("");
    say("已取消绘制。");
  });
  document.getElementById("fence-finish").addEventListener("click", function () {
    if (!draft || draft.points.length < 3) { say("多边形至少需要 3 个顶点。"); return; }
    map.removeLayer(draft.layer);
    fences.push({ type: "polygon", name: "围栏" + (fences.length + 1), points: draft.points });
    draft = null;
    setMode("");
    render();
    say("已添加多边形围栏，点击【更新电子围栏】后生效。");
  });
  map.on("click", function (event) {
    var point = [round(event.latlng.lat), round(event.latlng.lng)];
    if (mode === "circle") {
      var radius = parseInt(document.getElementById("fence-radius").value, 10);
      if (!(radius >= 10 && radius <= 5000)) { say("半径应在 10–5000 米之间。"); return; }
      fences.push({ type: "circle", name: "围栏" + (fences.length + 1), center: point, radius: radius });
      setMode("");
      render();
      say("已添加圆形围栏，点击【更新电子围栏】后生效。");
    } else if (mode === "polygon" && draft) {
      draft.points.push(point);
      draft.layer.setLatLngs(draft.points);
      say("已点击 " + draft.points.length + " 个顶点。");
    }
  });
})();
