// Search-as-you-type: fills the search box's <datalist> from /api/suggest. The site works
// without it; this only adds suggestions (record titles, villages, crafts) while typing.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = 0;
  var latest = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = input.value;
      if (typed.trim().length < 2) { list.textContent = ""; return; }
      latest = typed;
      fetch("/api/suggest?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) {
          if (typed !== latest) return;
          list.textContent = "";
          body.suggestions.forEach(function (suggestion) {
            var option = document.createElement("option");
            option.value = suggestion.label;
            list.appendChild(option);
          });
        })
        .catch(function () { list.textContent = ""; });
    }, 120);
  });
})();
