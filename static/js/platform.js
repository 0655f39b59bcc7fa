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
  // Captcha refresh: a new key and image without reloading the page.
  document.querySelectorAll("[data-captcha-refresh]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var form = link.closest("form");
      fetch(link.dataset.captchaRefresh, { headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          form.querySelector("img.captcha").src = data.image_url;
          form.querySelector("input[name$='captcha_0']").value = data.key;
          var answer = form.querySelector("input[name$='captcha_1']");
          answer.value = ""; answer.focus();
        });
    });
  });
  document.querySelectorAll("img.captcha").forEach(function (img) {
    img.addEventListener("click", function () {
      var link = img.closest("form").querySelector("[data-captcha-refresh]");
      if (link) { link.click(); }
    });
  });
})();
