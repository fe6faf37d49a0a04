// The idle warning. A session ends after data-idle seconds without a request; on a page
// with a form, data-warn seconds before that, this asks the server how long is really left
// (another tab may have kept the session going; asking does not count as activity) and,
// if the end is near, shows the warning with its one button, "Stay signed in" (a POST
// with the CSRF token). If the session has ended, it says so: sending the form still
// keeps what was typed until the person signs in again (house/web/kept.py).
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !document.querySelector("main form[method=post]")) {
    return;
  }
  var idle = Number(box.getAttribute("data-idle"));
  var warn = Number(box.getAttribute("data-warn"));
  var title = document.getElementById("session-warning-title");
  var text = document.getElementById("session-warning-text");
  var stay = box.querySelector("form");
  var timer = null;
  var before = null; // what had focus when the warning came: it gets it back

  function inWords(seconds) {
    if (seconds < 60) {
      return seconds + (seconds === 1 ? " second" : " seconds");
    }
    var minutes = Math.ceil(seconds / 60);
    return minutes + (minutes === 1 ? " minute" : " minutes");
  }

  function later(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(1, seconds) * 1000);
  }

  // The server's answer: seconds left, 0 once signed out (the refusal is a redirect to
  // sign in, seen here as an opaque redirect), or null when it could not be asked.
  function ask(method) {
    var options = {
      method: method,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    };
    if (method === "POST") {
      options.body = new URLSearchParams(new FormData(stay));
    }
    return window
      .fetch("/session" + (method === "POST" ? "/stay" : ""), options)
      .then(function (response) {
        return response.ok ? response.json().then(function (s) { return s.remaining; }) : 0;
      })
      .catch(function () {
        return null;
      });
  }

  function show(message, canStay) {
    if (box.hidden) {
      before = document.activeElement;
    }
    title.textContent = canStay ? "Still there?" : "Signed out";
    stay.hidden = !canStay;
    box.hidden = false;
    document.body.classList.add("session-warned");
    text.textContent = message;
  }

  function answer(remaining) {
    if (remaining === null) {
      later(15); // the network is down: ask again soon
    } else if (remaining <= 0) {
      window.clearTimeout(timer);
      show(
        "You were signed out. What you typed is still here: send it, sign in again " +
          "and it comes back for you to check and send.",
        false
      );
    } else if (remaining > warn + 2) {
      box.hidden = true;
      document.body.classList.remove("session-warned");
      later(remaining - warn);
    } else {
      show(
        "You will be signed out in " + inWords(remaining) +
          " because nothing has been sent for a while. What you typed stays here.",
        true
      );
      later(remaining + 1);
    }
  }

  function check() {
    ask("GET").then(answer);
  }

  stay.addEventListener("submit", function (event) {
    event.preventDefault();
    ask("POST").then(function (remaining) {
      answer(remaining);
      if (box.hidden && before && before.focus) {
        before.focus();
      }
    });
  });
  // A phone asleep or a tab in the background runs no timers: ask as soon as it is back.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      check();
    }
  });
  later(idle - warn);
})();
