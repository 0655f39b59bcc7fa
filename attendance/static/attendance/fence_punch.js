// 【移动考勤】 (docs/geofence.md): pick the worker, take a photo, send the position and its accuracy.
// Each punch is a record of the offline queue (static/js/offline-queue.js) with an ID made here that
// the server answers idempotently: sent at once with a connection, kept on the phone and sent by
// itself when the connection returns; the 【待上传】 list shows each punch's state and answer.
// The on-site roster is kept on the phone (localStorage) so a worker can be found offline too.
(function () {
  "use strict";
  var root = document.getElementById("fence-punch");
  if (!root) { return; }
  var form = document.getElementById("punch-form");
  var state = { worker: null, photo: null, position: null };
  var lastId = null;  // the punch just made: its answer is shown under the button
  var ROSTER_KEY = "fence-roster:" + root.dataset.project;
  var KEEP_SENT_MS = 3 * 24 * 3600 * 1000;  // an uploaded punch stays in the list three days
  var STATES = {
    pending: ["待上传", "text-bg-warning"], sending: ["上传中", "text-bg-info"],
    sent: ["已上传", "text-bg-success"], refused: ["被退回", "text-bg-danger"]
  };
  var list = root.querySelector("[data-role=queue-list]");
  var summary = root.querySelector("[data-role=queue-summary]");
  var offlineBanner = root.querySelector("[data-role=offline-banner]");
  var loginBanner = root.querySelector("[data-role=login-banner]");
  var rosterStatus = root.querySelector("[data-role=roster-status]");

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
  function csrfToken() {  // the cookie first: a page kept offline may carry a token of an older login
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  var result = document.getElementById("punch-result");
  function show(kind, text) {
    result.className = "mt-3 alert alert-" + kind;
    result.textContent = text;
  }

  // The queue: a record's data is the punch; its ID is the `uuid` the server keys it by.
  var queue = new OfflineQueue({
    name: "fence-punch-" + root.dataset.project,
    url: root.dataset.submitUrl,
    newId: newUuid,
    headers: function () {
      return { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" };
    },
    toBody: function (record) {
      var d = record.data;
      return JSON.stringify({
        uuid: record.id, entryId: d.entryId, direction: d.direction, time: d.time,
        lat: d.lat, lng: d.lng, accuracy: d.accuracy, image: d.image
      });
    },
    // An uploaded punch keeps no photo and no position on the phone.
    keepWhenSent: function (record) {
      var d = record.data;
      return { name: d.name, idMasked: d.idMasked, direction: d.direction, time: d.time };
    },
    onChange: render,
    onLoginRequired: render
  });

  function item(record) {
    var d = record.data, badge = STATES[record.state] || STATES.pending;
    var li = document.createElement("li");
    li.className = "list-group-item"; li.dataset.testid = "queue-item"; li.dataset.recordId = record.id;
    var head = document.createElement("div");
    head.className = "d-flex justify-content-between align-items-start gap-2";
    var who = document.createElement("div");
    who.innerHTML = '<div class="fw-bold"></div><div class="small text-muted"></div>';
    who.firstChild.textContent = d.name + " " + (d.direction === "02" ? "出场" : "进场");
    who.lastChild.textContent = d.idMasked + " · " + d.time;
    var span = document.createElement("span");
    span.className = "badge " + badge[1]; span.textContent = badge[0]; span.dataset.role = "state";
    head.append(who, span);
    li.appendChild(head);
    var answer = record.state === "sent" && record.answer ? record.answer : null;
    var text = record.state === "refused" ? record.reason : answer ? answer.message : "";
    if (text) {
      var p = document.createElement("p");
      p.className = "small mb-1 mt-1 " + (record.state === "refused" ? "text-danger"
        : answer.status === "counted" ? "text-success" : "text-warning-emphasis");
      p.dataset.role = "reason"; p.textContent = text;
      li.appendChild(p);
    }
    if (record.state === "refused") {
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "btn btn-sm btn-outline-danger mt-1"; drop.textContent = "删除";
      drop.addEventListener("click", function () {
        if (window.confirm("删除这条被退回的打卡？删除后无法恢复，需要时请重新打卡。")) { queue.remove(record.id); }
      });
      li.appendChild(drop);
    }
    return li;
  }

  function render() {
    var page = { offlineBanner: offlineBanner, loginBanner: loginBanner, list: list, summary: summary, item: item };
    queue.show(Object.assign(page, { empty: "本机没有打卡记录。" })).then(function (records) {
      var last = records.filter(function (r) { return r.id === lastId; })[0];
      if (!last) { return; }
      var name = last.data.name + "：";
      if (last.state === "sent") {
        show(last.answer.status === "counted" ? "success" : "warning", name + last.answer.message);
      } else if (last.state === "refused") {
        show("danger", name + last.reason);
      } else {
        show("info", name + "打卡已保存到本机，" + (navigator.onLine ? "正在上传。" : "联网后自动上传。"));
      }
    });
  }

  // The on-site roster kept on the phone: refreshed at each opening with a connection.
  function keptRoster() {
    try { return JSON.parse(localStorage.getItem(ROSTER_KEY) || "null"); } catch (e) { return null; }
  }
  function describeRoster() {
    var kept = keptRoster();
    rosterStatus.textContent = kept
      ? "本机已保存 " + kept.date + " 的在场名单（" + kept.workers.length + " 人" + (kept.truncated ? "，仅前 " + kept.workers.length + " 人" : "") + "），无网络时也可查找。"
      : "本机尚未保存在场名单：联网打开本页后可在无网络时查找工人。";
  }
  function refreshRoster() {
    if (!navigator.onLine) { describeRoster(); return; }
    fetch(root.dataset.rosterUrl, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        try { localStorage.setItem(ROSTER_KEY, JSON.stringify(data)); } catch (e) { /* full: keep the old one */ }
      })
      .catch(function () {})
      .then(describeRoster);
  }
  // Offline: a name containing the query, or an ID number whose visible characters (the first and
  // last four; the rest is masked) agree with the query's.
  function searchKept(q) {
    var kept = keptRoster();
    if (!kept) { return { results: [], message: "没有网络，本机也未保存在场名单，暂时无法查找。" }; }
    var upper = q.toUpperCase();
    var results = kept.workers.filter(function (w) {
      if (w.name.indexOf(q) !== -1) { return true; }
      var m = w.idMasked || "";
      if (upper.length === m.length) {
        for (var i = 0; i < m.length; i++) { if (m[i] !== "*" && m[i] !== upper[i]) { return false; } }
        return true;
      }
      return upper.length >= 4 && /^[0-9X]+$/.test(upper) && m.slice(-upper.length) === upper;
    }).slice(0, 10);
    return {
      results: results,
      message: (results.length ? "" : "本机保存的在场名单中没有找到。") + "（无网络：从本机 " + kept.date + " 的名单查找）"
    };
  }

  // Worker search: the server with a connection, the kept roster without.
  var query = document.getElementById("worker-query");
  var results = document.getElementById("worker-results");
  var chosen = document.getElementById("worker-chosen");
  function showHits(data) {
    results.innerHTML = "";
    if (data.message) {
      var note = document.createElement("div");
      note.className = "list-group-item small text-muted";
      note.textContent = data.message;
      results.appendChild(note);
    }
    (data.results || []).forEach(function (hit) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.textContent = hit.name + " " + hit.idMasked + (hit.team ? "（" + hit.team + "）" : "");
      button.addEventListener("click", function () {
        state.worker = { entryId: hit.entryId, name: hit.name, idMasked: hit.idMasked };
        chosen.textContent = "已选择：" + button.textContent;
        results.innerHTML = "";
      });
      results.appendChild(button);
    });
  }
  function search() {
    results.innerHTML = "";
    var q = query.value.trim();
    if (!q) { return; }
    if (!navigator.onLine) { showHits(searchKept(q)); return; }
    fetch(root.dataset.workersUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin", redirect: "manual" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(showHits)
      .catch(function () { showHits(searchKept(q)); });
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
    if (!state.worker) { show("warning", "请先查找并选择打卡的工人。"); query.focus(); return; }
    if (!state.photo) { show("warning", "请拍摄现场照片。"); photoInput.focus(); return; }
    if (!state.position) { show("warning", "尚未获取到位置，请允许定位或点击【重新定位】。"); return; }
    var data = {
      entryId: state.worker.entryId, name: state.worker.name, idMasked: state.worker.idMasked,
      direction: form.querySelector("input[name=direction]:checked").value,
      time: beijingNow(),
      lat: state.position.lat, lng: state.position.lng, accuracy: state.position.accuracy,
      image: state.photo
    };
    var button = document.getElementById("punch-submit");
    button.disabled = true;
    queue.add(data).then(function (record) {
      lastId = record.id;
      state.worker = null; state.photo = null; chosen.textContent = "";
      photoInput.value = ""; preview.classList.add("d-none"); query.value = "";
      render();
    }).catch(function () {
      show("danger", "无法在本机保存打卡（浏览器存储不可用），请重试。");
    }).then(function () { button.disabled = false; });
  });
  root.querySelector("[data-action=retry]").addEventListener("click", function () { queue.retryNow(); });
  window.addEventListener("online", function () { render(); refreshRoster(); });
  window.addEventListener("offline", render);
  window.fencePunchQueue = queue;  // for the browser tests and the console

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
  refreshRoster();
  queue.list().then(function (records) {  // uploaded punches older than KEEP_SENT_MS leave the list
    var old = records.filter(function (r) { return r.state === "sent" && r.sentAt < Date.now() - KEEP_SENT_MS; });
    return Promise.all(old.map(function (r) { return queue.remove(r.id); }));
  }).then(function () { return queue.start(); });
})();
