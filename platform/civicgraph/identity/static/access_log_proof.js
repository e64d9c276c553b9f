// "Check my log": the citizen's browser checks their access log itself, trusting nothing the
// page says. It downloads the log, recomputes every event's SHA-256 from the canonical form of
// identity/service/access_log.py (keep the two identical: the compact JSON array
// [seq, id, at, organisationId, clientId, purpose, outcome, fields, consentId, prevHash], which
// JSON.stringify writes exactly as Python's json.dumps(separators=(",", ":"),
// ensure_ascii=False)), follows the links, and checks the signed head (and the published
// checkpoint) against the platform's JWKS with WebCrypto. Messages come translated from the
// section's data-msg-* attributes; the result is said in an aria-live region.
(function () {
  "use strict";

  var GENESIS = new Array(65).join("0");
  var FIELDS = ["seq", "id", "at", "organisationId", "clientId", "purpose", "outcome", "fields",
                "consentId", "prevHash"];

  function canonical(event) {
    return JSON.stringify(FIELDS.map(function (name) {
      return event[name] === undefined ? null : event[name];
    }));
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }

  function fromBase64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function Problem(key, n) { this.key = key; this.n = n; }

  // The payload of a compact JWS (RS256) that a key of the JWKS verifies, with its typ.
  function signed(token, jwks, typ) {
    if (typeof token !== "string" || token.split(".").length !== 3) {
      return Promise.reject(new Problem("signature"));
    }
    var parts = token.split(".");
    var header = JSON.parse(new TextDecoder().decode(fromBase64url(parts[0])));
    var jwk = (jwks.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
    if (!jwk || header.alg !== "RS256" || header.typ !== typ) {
      return Promise.reject(new Problem("signature"));
    }
    var algorithm = {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"};
    return crypto.subtle.importKey("jwk", {kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256",
                                           ext: true}, algorithm, false, ["verify"])
      .then(function (key) {
        return crypto.subtle.verify(algorithm, key, fromBase64url(parts[2]),
                                    new TextEncoder().encode(parts[0] + "." + parts[1]));
      })
      .then(function (ok) {
        if (!ok) { throw new Problem("signature"); }
        return JSON.parse(new TextDecoder().decode(fromBase64url(parts[1])));
      });
  }

  function verify(doc, jwks) {
    var events = doc.events || [];
    var previous = GENESIS;
    var hashes = {};
    var chain = Promise.resolve();
    events.forEach(function (event, index) {
      chain = chain.then(function () {
        var position = index + 1;
        if (event.seq !== position) { throw new Problem("seq", position); }
        if (event.prevHash !== previous) { throw new Problem("link", position); }
        return sha256(canonical(event)).then(function (digest) {
          if (digest !== event.hash) { throw new Problem("changed", position); }
          previous = digest;
          hashes[position] = digest;
        });
      });
    });
    return chain.then(function () {
      var head = doc.head || {};
      if (head.seq !== events.length || head.hash !== previous) { throw new Problem("head"); }
      return signed(doc.checkpoint, jwks, "civicgraph-log-head+jwt");
    }).then(function (statement) {
      if (statement.chainId !== doc.chainId || statement.seq !== events.length ||
          statement.hash !== previous) {
        throw new Problem("head");
      }
      if (!doc.publishedCheckpoint) { return events.length; }
      return signed(doc.publishedCheckpoint, jwks, "civicgraph-log-checkpoint+jwt")
        .then(function (published) {
          var mine = (published.heads || []).filter(function (h) {
            return h.chain === doc.chainId;
          })[0];
          if (!mine || hashes[mine.seq] !== mine.hash) { throw new Problem("published"); }
          return events.length;
        });
    });
  }

  function say(section, key, values) {
    var text = section.getAttribute("data-msg-" + key) || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    var out = section.querySelector("[data-proof-result]");
    out.textContent = text;
    out.setAttribute("data-outcome", key);
  }

  function check(section) {
    say(section, "checking");
    var getJson = function (url) {
      return fetch(url, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
    };
    Promise.all([getJson(section.getAttribute("data-log-url")),
                 getJson(section.getAttribute("data-jwks-url"))])
      .then(function (got) { return verify(got[0], got[1]); })
      .then(function (n) { say(section, n === 1 ? "verified-one" : "verified", {n: n}); })
      .catch(function (error) {
        if (error instanceof Problem) {
          say(section, error.key, {n: error.n});
        } else {
          say(section, "error", {reason: error && error.message ? error.message : error});
        }
      });
  }

  function start() {
    var section = document.getElementById("access-log-proof");
    if (!section) { return; }
    if (!window.crypto || !crypto.subtle) {
      say(section, "error", {reason: "WebCrypto"});
      return;
    }
    section.querySelector("[data-proof-check]").addEventListener("click", function () {
      check(section);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
