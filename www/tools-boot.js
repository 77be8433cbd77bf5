// Loads the bounce and header page's WebAssembly module (external: the CSP allows no inline script).
import init from "/tools/postcheck_web_tools.js";
init();
