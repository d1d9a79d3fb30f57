/* The SVG maps (webapp/ui/svgmap.py): pan (drag), zoom (wheel, pinch, + / − buttons), pick a
   mentor to show only their companies and lines, and a details line for the tapped point (the
   <title> tooltips do not show on touch screens). Self-contained; no inline handlers (CSP). */
(function () {
  "use strict";

  function setup(figure) {
    var svg = figure.querySelector("svg.map");
    if (!svg) return;
    figure.classList.add("js");
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    var details = figure.querySelector(".map-details");
    var pointers = {};
    var last = null;
    var moved = false;

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      svg.style.setProperty("--zoom", (home.w / view.w).toFixed(3));
    }
    function toSvg(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      return { x: view.x + (clientX - box.left) / box.width * view.w,
               y: view.y + (clientY - box.top) / box.height * view.h };
    }
    function zoom(factor, at) {
      var w = Math.min(home.w, Math.max(home.w / 12, view.w / factor));
      var k = w / view.w;
      at = at || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      view.x = at.x - (at.x - view.x) * k;
      view.y = at.y - (at.y - view.y) * k;
      view.w = w;
      view.h = view.h * k;
      apply();
    }
    function show(text) {
      if (details) details.textContent = text || "";
    }
    function focus(mentor) {
      svg.querySelectorAll(".on").forEach(function (el) { el.classList.remove("on"); });
      if (mentor === null) {
        svg.classList.remove("focused");
        return;
      }
      svg.classList.add("focused");
      svg.querySelectorAll('[data-mentor="' + mentor + '"]').forEach(function (el) { el.classList.add("on"); });
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.25 : 0.8, toSvg(event.clientX, event.clientY));
    }, { passive: false });
    svg.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      last = null;
      moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) return;
      var ids = Object.keys(pointers);
      var before = pointers[event.pointerId];
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (ids.length === 2) {  // pinch
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (last) zoom(distance / last, toSvg((a.x + b.x) / 2, (a.y + b.y) / 2));
        last = distance;
        moved = true;
        return;
      }
      var dx = event.clientX - before.x, dy = event.clientY - before.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) moved = true;
      if (!moved) return;
      svg.setPointerCapture(event.pointerId);
      var box = svg.getBoundingClientRect();
      view.x -= dx / box.width * view.w;
      view.y -= dy / box.height * view.h;
      apply();
    });
    function release(event) {
      delete pointers[event.pointerId];
      last = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    svg.addEventListener("click", function (event) {
      if (moved) return;
      var target = event.target.closest("rect, circle, line, path");
      var title = target && target.querySelector("title");
      show(title ? title.textContent : "");
      if (target && target.classList.contains("mentor")) {
        focus(target.getAttribute("data-mentor"));
      } else if (!target || target.classList.contains("area")) {
        focus(null);
      }
    });
    svg.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.classList.contains("mentor")) {
        focus(event.target.getAttribute("data-mentor"));
        var title = event.target.querySelector("title");
        show(title ? title.textContent : "");
      }
    });
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-zoom");
        if (what === "in") zoom(1.5);
        else if (what === "out") zoom(1 / 1.5);
        else {
          view = { x: home.x, y: home.y, w: home.w, h: home.h };
          apply();
          focus(null);
          show("");
        }
      });
    });
  }

  document.querySelectorAll(".map-figure").forEach(setup);
})();
