// 人员采集 as an offline app (docs/offline-collection.md): the form is saved on the phone as a
// record of the queue (static/js/offline-queue.js) and uploaded when there is a connection; the
// 【待上传】 list shows every record's state. Photos are compressed here (canvas → JPEG) first.
(function () {
  "use strict";
  var form = document.querySelector("[data-offline-app]");
  if (!form || !("indexedDB" in window) || !window.crypto || !crypto.randomUUID) { return; }
  var list = document.querySelector("[data-role=queue-list]");
  var summary = document.querySelector("[data-role=queue-summary]");
  var offlineBanner = document.querySelector("[data-role=offline-banner]");
  var loginBanner = document.querySelector("[data-role=login-banner]");
  var editNote = document.querySelector("[data-role=edit-note]");
  var formAlert = document.querySelector("[data-role=form-alert]");
  var IMAGE_NAMES = ["id_front_image", "id_back_image", "photo"];
  var KEEP = /^(entry-|enter$|csrfmiddlewaretoken$)/;  // what stays filled for the next worker
  var STATES = {
    pending: ["待上传", "text-bg-warning"], sending: ["上传中", "text-bg-info"],
    sent: ["已上传", "text-bg-success"], refused: ["被退回", "text-bg-danger"]
  };
  var MAX_SIDE = 1280, QUALITY = 0.8;
  var editing = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  var queue = new OfflineQueue({
    name: "collect-" + form.dataset.project,
    url: form.dataset.recordUrl,
    headers: function () { return { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }; },
    toBody: function (record) {
      var body = new FormData();
      body.append("record_id", record.id);
      record.data.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
      Object.keys(record.data.files).forEach(function (name) {
        body.append(name, record.data.files[name], name + ".jpg");
      });
      return body;
    },
    // An uploaded record keeps only its name and masked ID number on the phone.
    keepWhenSent: function (record) {
      return { fields: [["name", value(record, "name")], ["id_number", masked(value(record, "id_number"))]], files: {} };
    },
    onChange: render,
    onLoginRequired: render
  });

  function compress(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); });
    }).catch(function () { return file; });  // not an image the browser reads: the server says so
  }

  function masked(number) {
    number = number || "";
    return number.length > 8 ? number.slice(0, 4) + "*".repeat(number.length - 8) + number.slice(-4) : number;
  }

  function collect() {
    var fields = [], files = {}, pending = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (value instanceof File) {
        if (value.size) {
          pending.push(compress(value).then(function (blob) { files[name] = blob; }));
        }
        return;
      }
      fields.push([name, value]);
    });
    return Promise.all(pending).then(function () { return { fields: fields, files: files }; });
  }

  function value(record, name) {
    var pair = record.data.fields.filter(function (p) { return p[0] === name; })[0];
    return pair ? pair[1] : "";
  }

  function clearErrors() {
    form.querySelectorAll("[data-role=record-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    formAlert.hidden = true; formAlert.textContent = "";
  }

  function resetForm() {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || KEEP.test(el.name)) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = el.defaultChecked; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
    });
    var confirmBox = form.querySelector("[data-role=confirm-box]");
    if (confirmBox) { confirmBox.hidden = true; }
    editing = null; editNote.hidden = true; clearErrors();
  }

  function showErrors(errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var el = form.elements[name];
      if (name === "__all__" || !el || !el.classList) {
        formAlert.hidden = false;
        formAlert.textContent = (formAlert.textContent ? formAlert.textContent + " " : "") + errors[name].join(" ");
        return;
      }
      el.classList.add("is-invalid");
      var note = document.createElement("div");
      note.className = "invalid-feedback d-block"; note.dataset.role = "record-error";
      note.textContent = errors[name].join(" ");
      el.insertAdjacentElement("afterend", note);
    });
  }

  function edit(record) {
    resetForm();
    var names = {};
    record.data.fields.forEach(function (pair) { names[pair[0]] = true; });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file") { return; }
      var v = value(record, el.name);
      if (el.type === "checkbox") { el.checked = !!names[el.name]; return; }
      if (el.type === "radio") { el.checked = el.value === v; return; }
      if (el.tagName === "SELECT" && v && !el.querySelector("option[value='" + CSS.escape(v) + "']")) {
        var option = document.createElement("option"); option.value = v; option.textContent = v;
        el.appendChild(option);  // a team the list fills in once its unit's teams are looked up
      }
      el.value = v;
    });
    var confirmBox = form.querySelector("[data-role=confirm-box]");
    if (confirmBox && (record.code === "entry_needs_confirmation" || names.confirm_warnings)) { confirmBox.hidden = false; }
    form.querySelectorAll("[data-role=unit], #id_enter").forEach(function (el) {
      el.dispatchEvent(new Event("change"));
    });
    editing = record.id;
    editNote.hidden = false;
    showErrors(record.errors);
    form.scrollIntoView();
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "list-group-item"; li.dataset.testid = "queue-item"; li.dataset.recordId = record.id;
    var state = STATES[record.state] || STATES.pending;
    var head = document.createElement("div");
    head.className = "d-flex justify-content-between align-items-start gap-2";
    var who = document.createElement("div");
    who.innerHTML = '<div class="fw-bold"></div><div class="small text-muted"></div>';
    who.firstChild.textContent = value(record, "name") || "（未填姓名）";
    who.lastChild.textContent = masked(value(record, "id_number"));
    var badge = document.createElement("span");
    badge.className = "badge " + state[1]; badge.textContent = state[0]; badge.dataset.role = "state";
    head.append(who, badge);
    li.appendChild(head);
    var text = record.state === "refused" ? record.reason : record.state === "sent" && record.answer ? record.answer.message : "";
    if (text) {
      var p = document.createElement("p");
      p.className = "small mb-1 mt-1 " + (record.state === "refused" ? "text-danger" : "text-success");
      p.dataset.role = "reason"; p.textContent = text;
      li.appendChild(p);
    }
    if (record.state === "pending" || record.state === "refused") {
      var actions = document.createElement("div");
      actions.className = "d-flex gap-2 mt-1";
      var change = document.createElement("button");
      change.type = "button"; change.className = "btn btn-sm btn-outline-primary"; change.textContent = "修改";
      change.addEventListener("click", function () { edit(record); });
      actions.appendChild(change);
      if (record.state === "refused") {
        var drop = document.createElement("button");
        drop.type = "button"; drop.className = "btn btn-sm btn-outline-danger"; drop.textContent = "删除";
        drop.addEventListener("click", function () {
          if (window.confirm("删除这条被退回的记录？删除后无法恢复。")) { queue.remove(record.id); }
        });
        actions.appendChild(drop);
      }
      li.appendChild(actions);
    }
    return li;
  }

  function render() {
    queue.show({
      offlineBanner: offlineBanner, loginBanner: loginBanner, list: list, summary: summary, item: item,
      empty: "本机没有采集记录。"
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    collect().then(function (data) {
      if (!editing) { return queue.add(data); }
      return queue.get(editing).then(function (old) {
        IMAGE_NAMES.forEach(function (name) {  // photos not retaken are kept
          if (!data.files[name] && old && old.data.files[name]) { data.files[name] = old.data.files[name]; }
        });
        return queue.replace(editing, data);
      });
    }).then(function (record) {
      var note = document.querySelector("[data-role=saved-note]");
      if (!record) {  // sent meanwhile (by this or another tab): the form keeps what was typed
        note.textContent = "该记录已在上传或已上传，本次修改未保存；如需更正，请在上传结果出来后修改。";
        return;
      }
      resetForm();
      note.textContent = "已保存到本机，" + (navigator.onLine ? "正在上传。" : "联网后自动上传。");
    }).finally(function () { button.disabled = false; });
  });
  document.querySelector("[data-action=retry]").addEventListener("click", function () { queue.retryNow(); });
  document.querySelector("[data-action=cancel-edit]").addEventListener("click", resetForm);
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  window.collectQueue = queue;  // for the browser tests and the console

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope }).catch(function () {});
  }
  queue.start();
})();
