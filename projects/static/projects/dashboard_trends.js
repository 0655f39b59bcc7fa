// 监管总览: the trend charts, drawn from the same figures as the data table under each of them
// (colours chosen by the server: jmzhgd/portal/trends.py).
(function () {
  if (typeof Chart === "undefined") { return; }
  var charts = JSON.parse(document.getElementById("trend-data").textContent);
  charts.forEach(function (chart) {
    var canvas = document.getElementById(chart.id + "-canvas");
    if (!canvas) { return; }
    var line = chart.kind === "line";
    var drawn = new Chart(canvas, {
      type: chart.kind,
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.values,
            borderColor: series.colour,
            backgroundColor: series.colour,
            borderWidth: line ? 2 : 0,
            pointRadius: line ? 1.5 : 0,
            // Lines differ by dash too, not by colour alone.
            borderDash: line && i > 0 ? (i === 1 ? [6, 3] : [2, 2]) : []
          };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          y: line ? { beginAtZero: true, suggestedMax: 100, ticks: { callback: function (v) { return v + "%"; } } }
                  : { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
    canvas.dataset.points = String(drawn.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0));
  });
})();
