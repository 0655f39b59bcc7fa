// 项目总览: the 30-day attendance chart (data from the daily summaries, rendered by the server).
(function () {
  var canvas = document.getElementById("attendance-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: "出勤人数", data: data.values, backgroundColor: "#0d6efd" }] },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
