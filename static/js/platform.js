// Small progressive enhancements shared by every page; every page works without them.
(function () {
  // Confirm before destructive steps: <button data-confirm="确定…？">
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // A "select all" box: <input type="checkbox" data-check-all="person"> ticks the form's boxes named so.
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      box.form.querySelectorAll('input[type=checkbox][name="' + box.dataset.checkAll + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  });
  // A print button (the 工人自助查询 poster): <button data-print>
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Captcha refresh: a new key, picture and spoken captcha without reloading the page.
  document.querySelectorAll("[data-captcha-refresh]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var form = button.closest("form");
      fetch(button.dataset.captchaRefresh, { headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          form.querySelector("img.captcha").src = data.image_url;
          form.querySelector("input[name$='captcha_0']").value = data.key;
          var audio = form.querySelector("[data-captcha-audio]");
          if (audio && data.audio_url) { audio.href = data.audio_url; }
          var answer = form.querySelector("input[name$='captcha_1']");
          answer.value = ""; answer.focus();
        });
    });
  });
  document.querySelectorAll("img.captcha").forEach(function (img) {
    img.addEventListener("click", function () {
      var button = img.closest("form").querySelector("[data-captcha-refresh]");
      if (button) { button.click(); }
    });
  });
  // The spoken captcha plays in the page; without script the link downloads the sound file.
  document.querySelectorAll("[data-captcha-audio]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      new Audio(link.href).play();
    });
  });

  // Form errors (WCAG 2.1 SC 3.3.1, 4.1.3): every message next to a field is tied to it
  // (aria-describedby, aria-invalid), and a failed submit gets a summary at the top of its form,
  // in a live region that takes the focus, each line a link to its field.
  var controls = "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea";
  var labelOf = function (control) {
    var label = control.labels && control.labels[0];
    var text = label ? label.textContent : (control.getAttribute("aria-label") || "");
    return text.replace(/[*＊\s]+$/, "").trim();
  };
  // An id named in aria-describedby that the page does not hold (an unrendered help text) is dropped.
  document.querySelectorAll("[aria-describedby]").forEach(function (element) {
    var ids = element.getAttribute("aria-describedby").split(/\s+/).filter(function (id) {
      return id && document.getElementById(id);
    });
    if (ids.length) { element.setAttribute("aria-describedby", ids.join(" ")); }
    else { element.removeAttribute("aria-describedby"); }
  });
  var formAlertBefore = function (form) {
    for (var node = form.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.matches(".alert-danger")) { return node; }
    }
    return null;
  };
  var summaries = [];
  document.querySelectorAll("form").forEach(function (form, formIndex) {
    var items = [];
    form.querySelectorAll(".invalid-feedback, .errorlist").forEach(function (message, n) {
      var text = message.textContent.trim();
      if (!text || message.parentElement.closest(".invalid-feedback, .errorlist, .form-error-summary")) { return; }
      // Its field is the nearest one around it: up from the message to the first box (short of the
      // form itself) holding a field, and in that box the fields marked invalid, if any are.
      var box = message.parentElement, fields = [];
      while (box && box !== form && !fields.length) {
        fields = Array.prototype.slice.call(box.querySelectorAll(controls));
        box = box.parentElement;
      }
      var invalid = fields.filter(function (field) { return field.matches(".is-invalid, [aria-invalid=true]"); });
      if (invalid.length) { fields = invalid; }
      message.id = message.id || "form" + formIndex + "-error-" + n;
      fields.forEach(function (field) {
        var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        if (ids.indexOf(message.id) < 0) { ids.push(message.id); }
        field.setAttribute("aria-describedby", ids.join(" "));
        field.setAttribute("aria-invalid", "true");
      });
      items.push({ field: fields[0], text: text });  // no field: a message about the whole form
    });
    if (!items.length) {
      // Only a message about the whole form (账号或密码错误): it stands just above the form.
      var alert = form.method === "post" && formAlertBefore(form);
      if (alert) { alert.setAttribute("role", "alert"); alert.tabIndex = -1; summaries.push(alert); }
      return;
    }
    var summary = document.createElement("div");
    summary.className = "alert alert-danger form-error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("aria-live", "assertive");
    summary.tabIndex = -1;
    form.insertBefore(summary, form.firstChild);
    var heading = document.createElement("p");
    heading.className = "fw-bold mb-1";
    heading.textContent = "提交未成功，请修改以下 " + items.length + " 处：";
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var line = document.createElement("li");
      if (!item.field || !item.field.id) { line.textContent = item.text; list.appendChild(line); return; }
      var link = document.createElement("a"), label = labelOf(item.field);
      link.href = "#" + item.field.id;
      link.textContent = label && item.text.indexOf(label) < 0 ? label + "：" + item.text : item.text;
      link.addEventListener("click", function (event) { event.preventDefault(); item.field.focus(); });
      line.appendChild(link); list.appendChild(line);
    });
    // Filled after the region is in the page, so that screen readers announce it.
    window.setTimeout(function () { summary.appendChild(heading); summary.appendChild(list); }, 50);
    summaries.push(summary);
  });
  if (summaries.length) { summaries[0].focus(); }
})();
