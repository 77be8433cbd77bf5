// Loads postcheck's WebAssembly app (an external module: the CSP allows no inline script).
import init from "/pkg/postcheck_web.js";
init();
