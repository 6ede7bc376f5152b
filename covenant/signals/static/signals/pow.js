// Proof of work for the reporting form when many reports came from one network: find a
// number whose SHA-256 with the challenge starts with N zero bits (N is in the signed
// challenge; the server checks the answer). Without this script the form still works while
// the network's allowance lasts.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.crypto || !crypto.subtle) return;
  var challenge = form.querySelector("[name=pow_challenge]");
  var solution = form.querySelector("[name=pow_solution]");
  if (!challenge || !challenge.value) return;
  function bits(challengeText) {
    try {
      var payload = challengeText.split(":")[0].replace(/-/g, "+").replace(/_/g, "/");
      while (payload.length % 4) payload += "=";
      var json = atob(payload);
      return JSON.parse(json).b || 18;
    } catch (e) { return 18; }
  }
  function zeroBits(buf) {
    var bytes = new Uint8Array(buf), n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      for (var b = 7; b >= 0; b--) { if (bytes[i] & (1 << b)) return n; n++; }
    }
    return n;
  }
  var need = bits(challenge.value), enc = new TextEncoder();
  async function solve() {
    for (var counter = 0; counter < 1e8; counter++) {
      var digest = await crypto.subtle.digest("SHA-256", enc.encode(challenge.value + ":" + counter));
      if (zeroBits(digest) >= need) return String(counter);
    }
    return "";
  }
  var solving = solve().then(function (s) { solution.value = s; });
  form.addEventListener("submit", function (event) {
    if (solution.value) return;
    event.preventDefault();
    solving.then(function () { form.submit(); });
  });
})();
