// Dashboard charts (ECharts, vendored): the data comes from a JSON block rendered by the server.
(function () {
  var block = document.getElementById("dashboard-data");
  if (!block || !window.echarts) return;
  var data = JSON.parse(block.textContent);
  var palette = ["#9b1c1c", "#c2410c", "#1d4ed8", "#047857", "#6d28d9", "#b45309", "#0f766e", "#4b5563"];
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    option.color = palette;
    option.tooltip = option.tooltip || { trigger: "item" };
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("chart-clues", { tooltip: { trigger: "axis" }, xAxis: { type: "category", data: data.quarters },
    yAxis: { type: "value", minInterval: 1 }, series: [{ name: "线索", type: "bar", data: data.clues_by_quarter }] });
  chart("chart-cases", { tooltip: { trigger: "axis" }, legend: {}, xAxis: { type: "category", data: data.quarters },
    yAxis: { type: "value", minInterval: 1 },
    series: data.cases_by_quarter.map(function (s) { return { name: s.name, type: "bar", stack: "m", data: s.data }; }) });
  chart("chart-channels", { series: [{ type: "pie", radius: ["35%", "65%"], data: data.channels.filter(function (d) { return d.value; }) }] });
  chart("chart-measures", { series: [{ type: "pie", radius: ["35%", "65%"], data: data.measures }] });
  chart("chart-units", { tooltip: { trigger: "axis" }, grid: { left: 140 }, xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.units.names.slice().reverse() },
    series: [{ type: "bar", data: data.units.values.slice().reverse() }] });
  chart("chart-categories", { tooltip: { trigger: "axis" }, grid: { left: 160 }, xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.categories.names.slice().reverse() },
    series: [{ type: "bar", data: data.categories.values.slice().reverse() }] });
})();
