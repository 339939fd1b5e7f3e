/* Formulaire de demande : améliorations progressives (le formulaire marche sans JavaScript).
   - liste des fiches filtrée par la thématique choisie ;
   - collectivité et commune du projet : champ de saisie avec suggestions (combobox ARIA)
     à la place de la liste déroulante, qui reste la source de la valeur envoyée ; un nom saisi
     en entier (sans tenir compte des majuscules ni des accents) choisit la collectivité ;
   - les liens du résumé des erreurs mènent au champ visible. */
(function () {
  "use strict";
  var form = document.querySelector(".formulaire-depot");
  if (!form) return;
  var urlCollectivites = form.getAttribute("data-url-collectivites");

  var resume = document.getElementById("resume-erreurs");
  if (resume) {
    resume.focus();
    // A link of the summary focuses its field (the fragment alone only scrolls in some browsers).
    resume.addEventListener("click", function (e) {
      var lien = e.target.closest('a[href^="#"]');
      var champ = lien && document.getElementById(lien.getAttribute("href").slice(1));
      if (!champ) return;
      e.preventDefault();
      champ.scrollIntoView({ block: "center" });
      champ.focus();
    });
  }

  function normaliser(texte) {
    return (texte || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[’‘]/g, "'").replace(/[-‐–]/g, " ").replace(/\s+/g, " ").trim();
  }

  // Fiches de la thématique choisie.
  var thematique = document.getElementById("id_thematique");
  var fiche = document.getElementById("id_fiche");
  function filtrerFiches() {
    if (!thematique || !fiche) return;
    var valeur = thematique.value;
    Array.prototype.forEach.call(fiche.querySelectorAll("optgroup"), function (groupe) {
      var visible = !valeur || groupe.getAttribute("data-thematique") === valeur;
      groupe.hidden = !visible;
      groupe.disabled = !visible;
    });
    var choisie = fiche.options[fiche.selectedIndex];
    if (choisie && choisie.parentNode.tagName === "OPTGROUP" && choisie.parentNode.disabled) fiche.value = "";
  }
  if (thematique && fiche) {
    thematique.addEventListener("change", filtrerFiches);
    fiche.addEventListener("change", function () {
      var choisie = fiche.options[fiche.selectedIndex];
      var groupe = choisie && choisie.parentNode;
      if (groupe && groupe.tagName === "OPTGROUP" && !thematique.value) {
        thematique.value = groupe.getAttribute("data-thematique");
        filtrerFiches();
      }
    });
    filtrerFiches();
  }

  var compteur = 0;
  function autocomplete(select, options) {
    if (!select) return;
    compteur += 1;
    var idListe = "suggestions-" + compteur;
    var conteneur = document.createElement("div");
    conteneur.className = "autocomplete";
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "_saisie";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", idListe);
    input.setAttribute("autocomplete", "off");
    var decrit = select.getAttribute("aria-describedby");
    if (decrit) input.setAttribute("aria-describedby", decrit);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    var courante = select.options[select.selectedIndex];
    if (courante && courante.value) input.value = courante.text;
    var liste = document.createElement("ul");
    liste.id = idListe;
    liste.className = "autocomplete__liste";
    liste.setAttribute("role", "listbox");
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.setAttribute("for", input.id);
      label.id = label.id || select.id + "_label";
      liste.setAttribute("aria-labelledby", label.id);
    }
    liste.hidden = true;
    var statut = document.createElement("div");
    statut.className = "visuellement-cache";
    statut.setAttribute("role", "status");
    statut.setAttribute("aria-live", "polite");
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    // The error summary points at the select, now hidden: point it at the visible input.
    if (resume) {
      Array.prototype.forEach.call(resume.querySelectorAll('a[href="#' + select.id + '"]'), function (lien) {
        lien.setAttribute("href", "#" + input.id);
      });
    }
    select.parentNode.insertBefore(conteneur, select);
    conteneur.appendChild(input);
    conteneur.appendChild(liste);
    conteneur.appendChild(statut);
    conteneur.appendChild(select);

    var resultats = [], actif = -1, attente = null, requete = 0;

    // The option whose name (or "name (code postal)") is exactly what was typed, when only one is.
    function correspondanceExacte() {
      var saisie = normaliser(input.value);
      if (!saisie) return null;
      var trouvees = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var libelle = normaliser(option.text);
        if (libelle === saisie) { trouvees.unshift(option); trouvees.exacte = true; }
        else if (libelle.replace(/ \([^)]*\)$/, "") === saisie) trouvees.push(option);
      });
      if (trouvees.exacte || trouvees.length === 1) return trouvees[0];
      return null;
    }
    function synchroniser() {
      var option = correspondanceExacte();
      var valeur = option ? option.value : "";
      if (select.value !== valeur) {
        select.value = valeur;
        select.dispatchEvent(new Event("change"));
      }
    }

    function fermer() {
      liste.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      actif = -1;
    }
    function choisir(index) {
      var r = resultats[index];
      if (!r) return;
      var option = select.querySelector('option[value="' + r.code + '"]');
      if (!option) {
        option = new Option(r.libelle, r.code);
        select.appendChild(option);
      }
      select.value = r.code;
      input.value = r.libelle;
      fermer();
      select.dispatchEvent(new Event("change"));
    }
    function surligner(index) {
      var items = liste.querySelectorAll("li");
      Array.prototype.forEach.call(items, function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      actif = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }
    function afficher() {
      liste.innerHTML = "";
      resultats.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = idListe + "-" + i;
        li.className = "autocomplete__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = r.libelle;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choisir(i); });
        liste.appendChild(li);
      });
      var ouvert = resultats.length > 0;
      liste.hidden = !ouvert;
      input.setAttribute("aria-expanded", ouvert ? "true" : "false");
      statut.textContent = ouvert ? resultats.length + " suggestion(s)" : "Aucune collectivité trouvée";
      actif = -1;
    }
    function chercher() {
      var q = input.value.trim();
      if (q.length < 2) { resultats = []; afficher(); return; }
      var url = urlCollectivites + "?q=" + encodeURIComponent(q) + options.parametres();
      var numero = ++requete;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (numero === requete) { resultats = data.resultats || []; afficher(); } })
        .catch(function () { resultats = []; afficher(); });
    }
    input.addEventListener("input", function () { synchroniser(); clearTimeout(attente); attente = setTimeout(chercher, 150); });
    input.addEventListener("change", synchroniser);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (!liste.hidden) surligner(Math.min(actif + 1, resultats.length - 1)); else chercher(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); surligner(Math.max(actif - 1, 0)); }
      else if (e.key === "Enter" && !liste.hidden && actif >= 0) { e.preventDefault(); choisir(actif); }
      else if (e.key === "Escape") { fermer(); }
    });
    input.addEventListener("blur", function () { setTimeout(fermer, 100); });
    return { select: select, input: input };
  }

  var type = document.getElementById("id_type_collectivite");
  var collectivite = autocomplete(document.getElementById("id_collectivite"), {
    parametres: function () { return type && type.value ? "&type=" + encodeURIComponent(type.value) : ""; },
  });
  autocomplete(document.getElementById("id_lieu"), { parametres: function () { return "&communes=1"; } });
})();
