// The workspace's upload page (/workspace/uploads): a minimal client of the tus 1.0 resumable
// upload protocol, served from the site itself. Each chosen file is created on the server
// (POST, with its size and name), then sent in slices (PATCH at the offset the server holds);
// a failed slice is retried after asking the server where to resume (HEAD), so a dropped
// connection costs at most one slice. The upload's address is remembered in this browser
// (localStorage), so choosing the same file again after a reload resumes it. Every request
// carries the session's anti-forgery token in the X-CSRF-Token header.
(function () {
  "use strict";
  // --- A running ingest's page: its progress bar follows /workspace/batches/{id}/status. ---
  var progress = document.getElementById("batch-progress");
  if (progress && window.fetch && progress.getAttribute("data-running") === "yes") {
    var poll = function () {
      fetch(progress.getAttribute("data-status"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          document.getElementById("batch-bar").value = status.percent;
          document.getElementById("batch-count").textContent = status.done + " / " + status.total;
          if (["queued", "waiting", "ingesting"].indexOf(status.state) < 0) location.reload();
          else setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.Blob) return;
  var endpoint = form.getAttribute("data-endpoint");
  var max = Number(form.getAttribute("data-max"));
  var token = form.querySelector("input[name=csrf]").value;
  var input = document.getElementById("upload-files");
  var folder = document.getElementById("upload-folder");
  var list = document.getElementById("upload-progress");
  var SLICE = 8 * 1024 * 1024;
  // The page's words, in its language (templates/locales/*/disan.ftl).
  var words = {
    done: form.getAttribute("data-done"),
    failed: form.getAttribute("data-failed"),
    resuming: form.getAttribute("data-resuming"),
    tooLarge: form.getAttribute("data-too-large")
  };

  function size(bytes) {
    var units = [["TiB", 1099511627776], ["GiB", 1073741824], ["MiB", 1048576], ["KiB", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (bytes >= units[i][1]) return (Math.round(bytes / units[i][1] * 10) / 10) + " " + units[i][0];
    }
    return bytes + " B";
  }

  function base64(text) {
    return btoa(unescape(encodeURIComponent(text)));
  }

  function headers(extra) {
    var all = { "Tus-Resumable": "1.0.0", "X-CSRF-Token": token };
    for (var key in extra) all[key] = extra[key];
    return all;
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function key(file) {
    return "disan-upload:" + (file.webkitRelativePath || file.name) + ":" + file.size + ":" + file.lastModified;
  }

  function refusal(response) {
    return response.text().then(function (text) { throw new Error(text || String(response.status)); });
  }

  function create(file) {
    var known = localStorage.getItem(key(file));
    var ask = known
      ? fetch(known, { method: "HEAD", headers: headers({}), credentials: "same-origin" })
          .then(function (response) { return response.ok ? known : null; })
      : Promise.resolve(null);
    return ask.then(function (url) {
      if (url) return url;
      var metadata = "filename " + base64(file.name);
      if (file.webkitRelativePath) metadata += ",relativePath " + base64(file.webkitRelativePath);
      return fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: headers({ "Upload-Length": String(file.size), "Upload-Metadata": metadata })
      }).then(function (response) {
        if (response.status !== 201) return refusal(response);
        var location = response.headers.get("Location");
        localStorage.setItem(key(file), location);
        return location;
      });
    });
  }

  function offset(url) {
    return fetch(url, { method: "HEAD", headers: headers({}), credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return Number(response.headers.get("Upload-Offset"));
      });
  }

  function send(file, url, show) {
    var failures = 0;
    function from(at) {
      show(at);
      if (at >= file.size) return Promise.resolve();
      return fetch(url, {
        method: "PATCH",
        credentials: "same-origin",
        headers: headers({ "Upload-Offset": String(at), "Content-Type": "application/offset+octet-stream" }),
        body: file.slice(at, Math.min(at + SLICE, file.size))
      }).then(function (response) {
        if (response.status === 204) { failures = 0; return from(Number(response.headers.get("Upload-Offset"))); }
        if (response.status === 409 || response.status === 423) return retry();
        return refusal(response);
      }, retry);
    }
    function retry() {
      failures += 1;
      if (failures > 8) throw new Error(words.failed);
      show(null);
      return wait(Math.min(30000, 500 * Math.pow(2, failures))).then(function () { return offset(url); }).then(from, retry);
    }
    return offset(url).then(from);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files).concat(Array.prototype.slice.call(folder.files));
    var left = files.length;
    // Once every file has ended (sent or refused), the page is shown again: the finished
    // uploads are listed there, ready to be made a batch.
    function ended() {
      left -= 1;
      if (left === 0) setTimeout(function () { location.reload(); }, 1500);
    }
    files.forEach(function (file) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      var bar = document.createElement("progress");
      var name = file.webkitRelativePath || file.name;
      label.textContent = name + ": ";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", name);
      var state = document.createElement("span");
      item.appendChild(label);
      item.appendChild(bar);
      item.appendChild(state);
      list.appendChild(item);
      if (file.size > max) {
        state.textContent = " " + words.tooLarge;
        ended();
        return;
      }
      function show(at) {
        if (at === null) { state.textContent = " " + words.resuming; return; }
        bar.value = file.size ? Math.floor(at * 100 / file.size) : 100;
        state.textContent = " " + size(at) + " / " + size(file.size);
      }
      create(file)
        .then(function (url) { return send(file, url, show); })
        .then(function () {
          localStorage.removeItem(key(file));
          state.textContent = " " + size(file.size) + " (" + words.done + ")";
          ended();
        })
        .catch(function (error) {
          state.textContent = " " + words.failed + ": " + error.message;
          ended();
        });
    });
  });
})();
