// Mark the page as able to run GOV.UK Frontend's JavaScript (no inline scripts: strict CSP).
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
