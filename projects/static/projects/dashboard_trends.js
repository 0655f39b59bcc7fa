// 监管总览: the trend charts, drawn from the same figures as the data table under each of them.
(function () {
  if (typeof Chart === "undefined") { return; }
  var charts = JSON.parse(document.getElementById("trend-data").textContent);
  // Okabe-Ito: told apart with the common colour-vision deficiencies, and darker than the card's white.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
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
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
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
