// 【移动考勤】 (docs/geofence.md): pick the worker, take a photo, send the position and its accuracy.
// Sending is one function, sendPunch(record), taking a whole record with an ID made here (uuid): the
// server answers a resend of the same record as the first time, so an offline queue can wrap it.
(function () {
  var root = document.getElementById("fence-punch");
  if (!root) { return; }
  var form = document.getElementById("punch-form");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var state = { entryId: null, name: "", photo: null, position: null };

  function newUuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function beijingNow() {  // "YYYY-MM-DD HH:MM:SS", the form devices use
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace("T", " ");
  }

  // Send one record: {uuid, entryId, direction, time, lat, lng, accuracy, image}. Resolves to
  // {ok, status, body}; rejects only when the network failed (the record is then still unsent).
  function sendPunch(record) {
    return fetch(root.dataset.submitUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify(record)
    }).then(function (response) {
      return response.json().catch(function () { return { message: "服务器返回了无法识别的结果（" + response.status + "）。" }; })
        .then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    });
  }
  window.jmzhgdFencePunch = { sendPunch: sendPunch, newUuid: newUuid };

  var result = document.getElementById("punch-result");
  function show(kind, text) {
    result.className = "mt-3 alert alert-" + kind;
    result.textContent = text;
  }

  // Worker search
  var query = document.getElementById("worker-query");
  var results = document.getElementById("worker-results");
  var chosen = document.getElementById("worker-chosen");
  function search() {
    results.innerHTML = "";
    var q = query.value.trim();
    if (!q) { return; }
    fetch(root.dataset.workersUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
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
          item.className = "list-group-item list-group-item-action";
          item.textContent = hit.name + " " + hit.idMasked + (hit.team ? "（" + hit.team + "）" : "");
          item.addEventListener("click", function () {
            state.entryId = hit.entryId; state.name = hit.name;
            chosen.textContent = "已选择：" + item.textContent;
            results.innerHTML = "";
          });
          results.appendChild(item);
        });
      })
      .catch(function () { show("danger", "查找失败，请检查网络后重试。"); });
  }
  document.getElementById("worker-search").addEventListener("click", search);
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });

  // Photo: compressed on the phone to at most 1280 px, JPEG
  var photoInput = document.getElementById("punch-photo");
  var preview = document.getElementById("photo-preview");
  photoInput.addEventListener("change", function () {
    var file = photoInput.files[0];
    state.photo = null;
    if (!file) { return; }
    var url = URL.createObjectURL(file);
    var img = new Image();
    img.onload = function () {
      var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale); canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      state.photo = canvas.toDataURL("image/jpeg", 0.8);
      preview.src = state.photo; preview.classList.remove("d-none");
      URL.revokeObjectURL(url);
    };
    img.onerror = function () { show("danger", "无法读取这张照片，请重新拍摄。"); };
    img.src = url;
  });

  // Position
  var positionText = document.getElementById("position");
  function locate() {
    if (!navigator.geolocation) { positionText.textContent = "此浏览器不支持定位。"; return; }
    positionText.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (p) {
      state.position = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy };
      positionText.textContent = "纬度 " + p.coords.latitude.toFixed(6) + "，经度 " + p.coords.longitude.toFixed(6)
        + "，精度约 " + Math.round(p.coords.accuracy) + " 米";
    }, function (error) {
      state.position = null;
      positionText.textContent = error.code === 1 ? "未允许定位：请在浏览器设置中允许本网站获取位置。" : "定位失败，请到开阔处后点击【重新定位】。";
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }
  document.getElementById("locate").addEventListener("click", locate);
  locate();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!state.entryId) { show("warning", "请先查找并选择打卡的工人。"); query.focus(); return; }
    if (!state.photo) { show("warning", "请拍摄现场照片。"); photoInput.focus(); return; }
    if (!state.position) { show("warning", "尚未获取到位置，请允许定位或点击【重新定位】。"); return; }
    var record = {
      uuid: newUuid(),
      entryId: state.entryId,
      direction: form.querySelector("input[name=direction]:checked").value,
      time: beijingNow(),
      lat: state.position.lat,
      lng: state.position.lng,
      accuracy: state.position.accuracy,
      image: state.photo
    };
    var button = document.getElementById("punch-submit");
    button.disabled = true;
    sendPunch(record).then(function (answer) {
      var body = answer.body || {};
      if (answer.ok) {
        show(body.status === "counted" ? "success" : "warning", state.name + "：" + body.message);
        state.entryId = null; state.photo = null; chosen.textContent = "";
        photoInput.value = ""; preview.classList.add("d-none"); query.value = "";
      } else {
        show("danger", body.message || "打卡未保存，请重试。");
      }
    }).catch(function () {
      show("danger", "网络连接失败，打卡未发送，请稍后重试。");
    }).then(function () { button.disabled = false; });
  });
})();
