// The unread badge polls /inbox/count at most once a minute; while the tab is hidden the
// poll is cancelled (htmx eval is off, so this cannot be a trigger filter).
document.addEventListener("htmx:beforeRequest", function (evt) {
  var elt = evt.detail && evt.detail.elt;
  if (document.hidden && elt && elt.id === "inbox-badge") {
    evt.preventDefault();
  }
});
