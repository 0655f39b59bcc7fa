// 【我的导出】: each unfinished export polls its status JSON and updates its row until it is done.
// The 批量人员进场 batch page polls its background import the same way and, marked
// data-reload-when-final, reloads once it is done to show the result.
(function () {
  var INTERVAL_MS = 1500;
  function text(row, field, value) {
    var cell = row.querySelector("[data-field='" + field + "']");
    if (cell) { cell.textContent = value; }
    return cell;
  }
  function update(row, data) {
    var bar = row.querySelector("[data-field='bar']");
    bar.style.width = data.percent + "%";
    bar.textContent = data.percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", data.percent);
    text(row, "rows", data.done_rows + " / " + data.total_rows + " " + (data.unit || "行"));
    text(row, "state", data.error ? data.state_label + "：" + data.error : data.state_label);
    if (data.notice !== undefined) { text(row, "notice", data.notice); }
    if (!data.final) { return; }
    // A failed or cancelled export: the page shows its reason and 【重试】 once reloaded.
    if (row.dataset.reloadWhenFinal || data.error) { window.location.reload(); return; }
    bar.classList.remove("progress-bar-striped", "progress-bar-animated");
    row.dataset.final = "1";
    text(row, "size", data.size);
    if (data.download_url) {
      var action = row.querySelector("[data-field='action']");
      var link = document.createElement("a");
      link.className = "btn btn-sm btn-outline-primary";
      link.href = data.download_url;
      link.textContent = "下载";
      action.replaceChildren(link);
    } else {
      var cancel = row.querySelector("[data-field='cancel']");
      if (cancel) { cancel.remove(); }
    }
  }
  function poll(row) {
    fetch(row.dataset.exportStatus, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        update(row, data);
        if (!data.final) { window.setTimeout(function () { poll(row); }, INTERVAL_MS); }
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, INTERVAL_MS * 4); });
  }
  document.querySelectorAll("[data-export-status][data-final='0']").forEach(poll);
})();
