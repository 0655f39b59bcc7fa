// 【编辑】: 【增加施工许可证】 adds a row to the permit formset.
(function () {
  var button = document.getElementById("add-permit");
  var total = document.getElementById("id_permits-TOTAL_FORMS");
  if (!button || !total) { return; }
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = document.getElementById("permit-template").innerHTML.replace(/__prefix__/g, index);
    document.getElementById("permit-rows").insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
  });
})();
