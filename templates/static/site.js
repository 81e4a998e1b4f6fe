// Disan's own script, and optional: every page works without it. It adds search-as-you-type
// suggestions to the search box and a zoomable image viewer, operable by keyboard, to record pages.
(function () {
  "use strict";

  // --- Suggestions: fill the search box's <datalist> from /api/suggest. ---
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (input && list && window.fetch) {
    var timer = 0;
    var latest = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value;
        if (typed.trim().length < 2) { list.textContent = ""; return; }
        latest = typed;
        var lang = document.documentElement.lang === "en" ? "en" : "vi";
        fetch("/api/suggest?q=" + encodeURIComponent(typed) + "&lang=" + lang, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (body) {
            if (typed !== latest) return;
            list.textContent = "";
            body.suggestions.forEach(function (suggestion) {
              var option = document.createElement("option");
              option.value = suggestion.label;
              // The label's own language (an English-only title on the Vietnamese site).
              if (suggestion.lang) option.lang = suggestion.lang;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 120);
    });
  }

  // --- Image viewer: a modal dialog; + and − zoom, arrows pan, 0 fits, Esc closes. A deep-zoom
  // image (data-iiif) opens in OpenSeadragon on its IIIF image service. ---
  // OpenSeadragon 6.1.1 (BSD-3-Clause), vendored from npm and served by the site itself.
  var DEEP_ZOOM_SCRIPT = "/static/openseadragon/openseadragon.min.js";
  var links = document.querySelectorAll("a.zoomable");
  if (!links.length || typeof HTMLDialogElement !== "function") return;

  function button(label, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", action);
    return b;
  }

  links.forEach(function (link) {
    var figure = link.closest("figure") || link;
    var labels = figure.dataset;
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      if (!link.dataset.iiif) { open(link, labels); return; }
      // OpenSeadragon (350 KB) is fetched when a viewer is first opened, not with the page;
      // if it cannot be had, the viewer shows the display image as before.
      deepZoomLoaded().then(function () { open(link, labels); }, function () { open(link, labels); });
    });
  });

  var deepZoomScript = null;
  function deepZoomLoaded() {
    if (!deepZoomScript) {
      deepZoomScript = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = DEEP_ZOOM_SCRIPT;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return deepZoomScript;
  }

  function open(link, labels) {
    var dialog = document.createElement("dialog");
    dialog.className = "viewer";
    dialog.setAttribute("aria-label", link.dataset.title || "");
    var stage = document.createElement("div");
    stage.className = "viewer-stage";
    stage.tabIndex = 0;
    stage.setAttribute("role", "img");
    stage.setAttribute("aria-label", link.dataset.title || "");
    // Deep zoom: the image's IIIF service in OpenSeadragon (vendored, same origin), when both
    // are there; otherwise the display image, scaled and moved here.
    var deep = link.dataset.iiif && typeof window.OpenSeadragon === "function" ? link.dataset.iiif : null;
    var image = null, osd = null;
    if (!deep) {
      image = document.createElement("img");
      image.alt = "";
      image.src = link.dataset.zoom || link.href;
      image.draggable = false;
      stage.appendChild(image);
    } else {
      // OpenSeadragon's keyboard-focusable canvas carries the name; the stage is only its frame.
      stage.removeAttribute("tabindex");
      stage.removeAttribute("role");
      stage.removeAttribute("aria-label");
      stage.classList.add("viewer-deep");
    }
    var scale = 1, x = 0, y = 0;
    function apply() {
      if (osd) {
        // The zoom aimed at (not the animation's current step), relative to the whole image.
        status.textContent = Math.round(osd.viewport.getZoom() / osd.viewport.getHomeZoom() * 100) + "%";
        return;
      }
      image.style.transform = "translate(" + x + "px," + y + "px) scale(" + scale + ")";
      status.textContent = Math.round(scale * 100) + "%";
    }
    function zoom(factor) {
      if (osd) { osd.viewport.zoomBy(factor); osd.viewport.applyConstraints(); return; }
      scale = Math.min(8, Math.max(1, scale * factor));
      if (scale === 1) { x = 0; y = 0; }
      apply();
    }
    function reset() {
      if (osd) { osd.viewport.goHome(); return; }
      scale = 1; x = 0; y = 0; apply();
    }
    function pan(dx, dy) {
      if (osd) {
        osd.viewport.panBy(osd.viewport.deltaPointsFromPixels(new OpenSeadragon.Point(-dx, -dy)));
        osd.viewport.applyConstraints();
        return;
      }
      if (scale > 1) { x += dx; y += dy; apply(); }
    }
    var status = document.createElement("output");
    status.className = "viewer-zoom";
    status.setAttribute("aria-live", "polite");
    var tools = document.createElement("div");
    tools.className = "viewer-tools";
    tools.appendChild(button(labels.zoomIn || "+", "+", function () { zoom(1.5); }));
    tools.appendChild(button(labels.zoomOut || "−", "−", function () { zoom(1 / 1.5); }));
    tools.appendChild(button(labels.zoomReset || "1:1", "⤢", reset));
    tools.appendChild(status);
    var close = button(labels.close || "×", "×", function () { dialog.close(); });
    close.className = "viewer-close";
    tools.appendChild(close);
    var help = document.createElement("p");
    help.className = "viewer-help";
    help.textContent = labels.help || "";
    dialog.appendChild(tools);
    dialog.appendChild(stage);
    dialog.appendChild(help);
    dialog.addEventListener("keydown", function (event) {
      var step = 60;
      if (event.key === "Tab") {
        // Keep focus inside the viewer: cycle through its controls.
        var focusable = Array.prototype.slice.call(dialog.querySelectorAll("button, [tabindex='0']"));
        var at = focusable.indexOf(document.activeElement);
        var next = (at + (event.shiftKey ? -1 : 1) + focusable.length) % focusable.length;
        focusable[next].focus();
        event.preventDefault();
        return;
      }
      // OpenSeadragon's canvas handles its own keys (arrows and w/a/s/d pan, + and − zoom,
      // 0 fits): not twice.
      if (event.defaultPrevented) return;
      switch (event.key) {
        case "+": case "=": zoom(1.5); break;
        case "-": case "_": zoom(1 / 1.5); break;
        case "0": reset(); break;
        case "ArrowLeft": pan(step, 0); break;
        case "ArrowRight": pan(-step, 0); break;
        case "ArrowUp": pan(0, step); break;
        case "ArrowDown": pan(0, -step); break;
        default: return;
      }
      event.preventDefault();
    });
    if (!deep) {
      stage.addEventListener("wheel", function (event) {
        event.preventDefault();
        zoom(event.deltaY < 0 ? 1.25 : 0.8);
      }, { passive: false });
      var dragging = null;
      stage.addEventListener("pointerdown", function (event) {
        dragging = { x: event.clientX, y: event.clientY };
        stage.setPointerCapture(event.pointerId);
      });
      stage.addEventListener("pointermove", function (event) {
        if (!dragging) return;
        pan(event.clientX - dragging.x, event.clientY - dragging.y);
        dragging = { x: event.clientX, y: event.clientY };
      });
      stage.addEventListener("pointerup", function () { dragging = null; });
    }
    dialog.addEventListener("close", function () {
      if (osd) osd.destroy();
      dialog.remove();
      link.focus();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    if (deep) {
      osd = openDeep(stage, deep, link.dataset.title || "");
      osd.addHandler("zoom", apply);
      osd.addHandler("open", apply);
      osd.canvas.focus();
    } else {
      apply();
      stage.focus();
    }
  }

  // OpenSeadragon on the IIIF info.json at `source`, in `stage`: no built-in image buttons (the
  // viewer's own labelled buttons drive it), drawn on a 2D canvas, its canvas named `title`.
  function openDeep(stage, source, title) {
    // OpenSeadragon adds an inline <style> unless one marked like this exists; the page's
    // Content-Security-Policy forbids inline styles (and reports even an empty one), so an
    // element named "style" in a namespace of its own, which no browser reads as CSS, stands in.
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var inert = document.createElementNS("urn:x-disan:inert", "style");
      inert.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(inert);
    }
    var viewer = OpenSeadragon({
      element: stage,
      tileSources: source,
      drawer: "canvas",
      showNavigationControl: false,
      visibilityRatio: 1,
      maxZoomPixelRatio: 2,
      gestureSettingsMouse: { clickToZoom: false }
    });
    viewer.canvas.setAttribute("role", "img");
    viewer.canvas.setAttribute("aria-label", title);
    viewer.canvas.classList.add("viewer-canvas");
    return viewer;
  }
})();
