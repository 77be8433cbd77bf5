// The widget page's frame duties: theme and accent from its URL, and its height to the host page
// by postMessage to exactly the origin that embedded it (given by widget.js), nothing else.
(function () {
  var params = new URLSearchParams(location.search);
  var root = document.documentElement;
  var theme = params.get("theme");
  if (theme === "dark" || theme === "light") root.classList.add("theme-" + theme);
  var accent = params.get("accent");
  if (accent && /^#[0-9a-fA-F]{3,8}$/.test(accent)) root.style.setProperty("--accent", accent);
  var target = params.get("origin");
  if (!target || !/^https?:\/\/[^\/?#]+$/.test(target) || window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(root.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "postcheck:height", height: height }, target);
    }
  }
  addEventListener("DOMContentLoaded", function () {
    new ResizeObserver(report).observe(document.body);
    report();
  });
})();
