// Passkeys (WebAuthn) for the SSO pages, without inline script (the CSP allows scripts from this origin only).
// A button with data-passkey="register" | "login" | "second-factor" and data-url (the page handler to talk to) runs
// the ceremony: options from the server, the browser's authenticator, the result back to the server in a form post.
(function () {
  'use strict';

  function antiforgery() {
    var field = document.querySelector('input[name="__RequestVerificationToken"]');
    return field ? field.value : '';
  }

  function show(message) {
    var box = document.getElementById('galat-passkey');
    if (box) { box.textContent = message; box.hidden = false; }
  }

  async function ceremony(button) {
    var mode = button.getAttribute('data-passkey');
    var options = await fetch(button.getAttribute('data-options-url'), {
      method: 'POST',
      headers: { 'RequestVerificationToken': antiforgery() },
      credentials: 'same-origin'
    });
    if (!options.ok) { throw new Error('options ' + options.status); }
    var json = await options.json();
    var credential = mode === 'register'
      ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
      : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
    var form = document.getElementById('form-passkey');
    form.querySelector('input[name="Credential"]').value = JSON.stringify(credential.toJSON());
    form.submit();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var buttons = document.querySelectorAll('[data-passkey]');
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
        button.hidden = true;
        continue;
      }
      button.hidden = false;
      button.addEventListener('click', function (event) {
        event.preventDefault();
        var target = event.currentTarget;
        ceremony(target).catch(function (error) { show(target.getAttribute('data-error') + ' (' + error.name + ')'); });
      });
    }
  });
})();
