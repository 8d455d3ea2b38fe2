/* djmine report helpers: chart registry, escaping tooltip formatters, role toggles.
   Every formatter returns HTML in which report text is escaped (or was escaped in Python). */
var djmine = (function () {
  "use strict";
  var charts = {};
  var full = {};
  var fitted = {};
  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;", "`": "&#96;"};

  function esc(value) {
    var s = value === undefined || value === null ? "" : String(value);
    return s.replace(/[&<>"'`]/g, function (c) { return ESC[c]; });
  }

  function init(id, option) {
    var chart = echarts.init(document.getElementById(id), null, {renderer: "canvas"});
    var first = option.series && option.series[0];
    if (first && first.type === "graph") {
      full[id] = {data: first.data || [], links: first.links || []};
    }
    chart.setOption(option);
    charts[id] = chart;
    if (full[id]) { fitWhenSettled(id); }
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  /* Pixel bounds [x0, x1, y0, y1] of the graph's drawn nodes. */
  function bounds(chart) {
    var data = chart.getModel().getSeriesByIndex(0).getData();
    var b = [Infinity, -Infinity, Infinity, -Infinity];
    for (var i = 0; i < data.count(); i++) {
      var p = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
      b = [Math.min(b[0], p[0]), Math.max(b[1], p[0]), Math.min(b[2], p[1]), Math.max(b[3], p[1])];
    }
    return b;
  }

  /* Zoom and pan (series center/zoom) so the nodes fill about 85% of the chart. */
  function fit(id) {
    var chart = charts[id];
    var b = bounds(chart);
    if (!isFinite(b[0])) { return; }
    var w = chart.getWidth(), h = chart.getHeight();
    var factor = Math.min(0.85 * w / Math.max(b[1] - b[0], 1), 0.85 * h / Math.max(b[3] - b[2], 1));
    var series = chart.getModel().getSeriesByIndex(0);
    var zoom = Math.max(0.05, Math.min(5, (series.get("zoom") || 1) * factor));
    var center = chart.convertFromPixel({seriesIndex: 0}, [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2]);
    chart.setOption({series: [{center: center, zoom: zoom}]});
    fitted[id] = true;
  }

  /* The force layout grows or shrinks from its start: fit once it has (nearly) settled,
     unless the reader has already zoomed or panned. */
  function fitWhenSettled(id) {
    var chart = charts[id];
    var last = null, tries = 0, stop = false;
    chart.on("graphroam", function () { stop = true; });
    function tick() {
      if (stop) { return; }
      var b = bounds(chart);
      var moved = last ? Math.abs(b[0] - last[0]) + Math.abs(b[1] - last[1]) +
        Math.abs(b[2] - last[2]) + Math.abs(b[3] - last[3]) : Infinity;
      tries += 1;
      if (moved < 0.02 * (chart.getWidth() + chart.getHeight()) || tries >= 16) {
        fit(id);
        return;
      }
      last = b;
      setTimeout(tick, 400);
    }
    setTimeout(tick, 400);
  }

  /* Graph nodes and edges carry their tooltip as HTML escaped in Python (field "tip"). */
  function dataTip(p) {
    return (p && p.data && p.data.tip) || esc(p && p.name);
  }

  function nameValueTip(p) {
    return esc(p.seriesName) + "<br>" + esc(p.name) + ": " + esc(p.value);
  }

  function axisTip(params) {
    var list = [].concat(params);
    if (!list.length) { return ""; }
    var out = [esc(list[0].axisValueLabel)];
    list.forEach(function (p) {
      out.push(p.marker + esc(p.seriesName) + ": " + esc(p.value) + "%");
    });
    return out.join("<br>");
  }

  /* Axis labels are drawn on the canvas (no HTML): long topic labels are only shortened. */
  function shortLabel(value) {
    var s = String(value);
    return s.length > 16 ? s.slice(0, 15) + "\u2026" : s;
  }

  /* Show only nodes whose dominant role is in `roles`, and the edges between them. */
  function applyRoles(id, roles) {
    var on = {};
    var keep = {};
    roles.forEach(function (r) { on[r] = true; });
    var data = full[id].data.filter(function (n) {
      if (on[n.role]) { keep[n.name] = true; return true; }
      return false;
    });
    var links = full[id].links.filter(function (l) { return keep[l.source] && keep[l.target]; });
    charts[id].setOption({series: [{data: data, links: links}]});
    return data.length;
  }

  function bindRoleToggles(id, boxId) {
    var inputs = document.getElementById(boxId).querySelectorAll("input[data-role]");
    function update() {
      var roles = [];
      inputs.forEach(function (i) { if (i.checked) { roles.push(i.getAttribute("data-role")); } });
      applyRoles(id, roles);
    }
    inputs.forEach(function (i) { i.addEventListener("change", update); });
  }

  /* Inside the dashboard's iframe the page drops its own navigation bar. */
  if (window.self !== window.top) {
    document.addEventListener("DOMContentLoaded", function () {
      document.body.classList.add("embedded");
    });
  }

  return {
    charts: charts, fitted: fitted, fit: fit, esc: esc, init: init, dataTip: dataTip, nameValueTip: nameValueTip,
    axisTip: axisTip, shortLabel: shortLabel, applyRoles: applyRoles, bindRoleToggles: bindRoleToggles
  };
})();
