// postcheck widget loader: <script src="https://postcheck.example/widget.js" data-name="…"
// data-spf="ip4:… include:…" data-ip="…" data-dkim="…" data-lang="de" data-theme="light|dark"
// data-accent="#0a7" async></script> inserts the check as an iframe that grows with its content.
// No cookies, no access to the host page; the frame talks only via origin-checked postMessage.
(function () {
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var params = new URLSearchParams();
  ["name", "spf", "ip", "dkim", "lang", "theme", "accent"].forEach(function (key) {
    var value = script.getAttribute("data-" + key);
    if (value) params.set(key, value);
  });
  params.set("origin", location.origin);
  var frame = document.createElement("iframe");
  frame.src = base + "/embed?" + params.toString();
  frame.title = script.getAttribute("data-title") || "postcheck";
  frame.loading = "lazy";
  frame.referrerPolicy = "no-referrer";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups");
  frame.style.cssText = "width:100%;max-width:42rem;height:12rem;border:0;display:block";
  script.parentNode.insertBefore(frame, script.nextSibling);
  addEventListener("message", function (event) {
    if (event.origin !== base || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && data.type === "postcheck:height" && typeof data.height === "number") {
      frame.style.height = Math.min(Math.max(data.height, 80), 4000) + "px";
    }
  });
})();
