// newsdesk: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-confirm ask before they submit (disable a user, revoke a token …).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Select the new API token's text on click so it can be copied at once.
  const token = document.getElementById("new-token");
  if (token) token.addEventListener("click", () => window.getSelection().selectAllChildren(token));
});
