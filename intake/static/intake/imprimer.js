// "Imprimer ce récapitulatif": with JavaScript, prints the page at once (the print stylesheet
// keeps the recap only); without it, the link opens the printable page.
(function () {
  "use strict";
  document.querySelectorAll("a[data-imprimer]").forEach(function (lien) {
    lien.addEventListener("click", function (evenement) {
      evenement.preventDefault();
      window.print();
    });
  });
})();
