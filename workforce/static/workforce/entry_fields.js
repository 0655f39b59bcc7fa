// 人员进场 step 2 and the 采集 page: the team and 岗位 lists follow the chosen unit and category.
// The server narrows them the same way and checks every rule again on submit.
(function () {
  document.querySelectorAll(".entry-fields").forEach(function (box) {
    var unit = box.querySelector("[data-role=unit]");
    var team = box.querySelector("[data-role=team]");
    var post = box.querySelector("[data-role=post]");
    var workTypeBox = box.querySelector("[data-role=work-type-box]");
    var postBox = box.querySelector("[data-role=post-box]");
    var categories = box.querySelectorAll("[data-role=category]");

    function category() {
      var checked = box.querySelector("[data-role=category]:checked");
      return checked ? checked.value : "worker";
    }
    function fill(select, items, placeholder) {
      var keep = select.value;
      select.innerHTML = "";
      var first = document.createElement("option");
      first.value = ""; first.textContent = placeholder;
      select.appendChild(first);
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = String(item.id); option.textContent = item.name;
        if (option.value === keep) { option.selected = true; }
        select.appendChild(option);
      });
    }
    function toggle() {
      var manager = category() === "manager";
      workTypeBox.hidden = manager;
      postBox.hidden = !manager;
    }
    function refresh() {
      toggle();
      if (!unit.value) { fill(team, [], "请选择班组"); fill(post, [], "请选择岗位"); return; }
      var url = box.dataset.optionsUrl + "?unit=" + encodeURIComponent(unit.value) +
        "&category=" + encodeURIComponent(category());
      box.dataset.loading = "1";
      fetch(url, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          fill(team, data.teams, data.teams.length ? "请选择班组" : "该企业没有可进场的班组");
          fill(post, data.posts, "请选择岗位");
          if (data.teams.length === 1) { team.value = String(data.teams[0].id); }
          delete box.dataset.loading;
        });
    }
    unit.addEventListener("change", refresh);
    categories.forEach(function (radio) { radio.addEventListener("change", refresh); });
    // A unit chosen before this script ran (or restored by the browser on "back") still needs its teams.
    if (unit.value && team.options.length <= 1) { refresh(); } else { toggle(); }
  });
  // 采集: the entry fields show only when "保存后同时进场" is ticked.
  document.querySelectorAll("[data-show-when-checked]").forEach(function (box) {
    var toggle = document.getElementById(box.dataset.showWhenChecked);
    function update() { box.hidden = !toggle.checked; }
    toggle.addEventListener("change", update);
    update();
  });
})();
