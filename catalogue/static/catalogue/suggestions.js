// Suggestions as you type in the catalogue's search field (progressive enhancement: without
// JavaScript the field is a plain search). The titles come from /catalogue/suggestions/ and
// fill the field's <datalist>; choosing one searches for that fiche.
(function () {
  "use strict";
  var champ = document.querySelector("input[data-suggestions]");
  if (!champ || !window.fetch) { return; }
  var liste = document.createElement("datalist");
  liste.id = champ.id + "-suggestions";
  champ.setAttribute("list", liste.id);
  champ.setAttribute("autocomplete", "off");
  champ.parentNode.appendChild(liste);
  var minuterie = null;
  var derniere = "";
  champ.addEventListener("input", function () {
    clearTimeout(minuterie);
    minuterie = setTimeout(function () {
      var texte = champ.value.trim();
      if (texte.length < 2 || texte === derniere) { return; }
      derniere = texte;
      fetch(champ.dataset.suggestions + "?q=" + encodeURIComponent(texte), { headers: { Accept: "application/json" } })
        .then(function (reponse) { return reponse.ok ? reponse.json() : { suggestions: [] }; })
        .then(function (donnees) {
          if (champ.value.trim() !== texte) { return; }
          liste.textContent = "";
          donnees.suggestions.forEach(function (suggestion) {
            var option = document.createElement("option");
            option.value = suggestion.titre;
            liste.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a comfort: the search still works without them */ });
    }, 200);
  });
})();
