// The export form of the import page (templates/admission/imports/import.html): its address is built from the list
// and the format chosen (data-base holds ".../export/KIND.FMT"). A listener on the form itself runs before Turbo's
// listener on the document, as the onsubmit attribute it replaces did (no inline handlers: CSP).
document.querySelectorAll("form[data-kn-export]").forEach(function (form) {
  if (form.dataset.knBound) { return; }
  form.dataset.knBound = "1";
  form.addEventListener("submit", function () {
    form.action = form.dataset.base.replace("KIND", form.elements.kind.value).replace("FMT", form.elements.fmt.value);
  });
});
