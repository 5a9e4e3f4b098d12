// Start GOV.UK Frontend's components (error summary focus, service navigation menu, ...).
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

initAll();
