// The statistics dashboard's charts (templates/admission/reports/dashboard.html): the data comes from the
// json_script block "kn-chart-data", the series names from the canvases' data attributes (no inline script: CSP).
(function () {
  var source = document.getElementById("kn-chart-data");
  if (!window.Chart || !source) { return; }
  var data = JSON.parse(source.textContent);
  var opts = { responsive: true, maintainAspectRatio: false };
  var monthly = document.getElementById("kn-monthly");
  var funnel = document.getElementById("kn-funnel");
  new Chart(monthly, { type: "bar", options: opts, data: { labels: data.months, datasets: [
    { label: monthly.dataset.nowLabel, data: data.now, backgroundColor: "#b71c1c" },
    { label: monthly.dataset.beforeLabel, data: data.before, backgroundColor: "#f9a825" } ] } });
  new Chart(funnel, { type: "bar", options: Object.assign({ indexAxis: "y" }, opts),
    data: { labels: data.funnel_labels, datasets: [ { label: funnel.dataset.label, data: data.funnel, backgroundColor: "#0d47a1" } ] } });
})();
