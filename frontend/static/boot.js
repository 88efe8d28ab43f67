// Starts the ReactPy client (shipped in the reactpy wheel) and registers the service worker.
import { mountReactPy } from "/reactpy/static/index.js";

mountReactPy({
  mountElement: document.getElementById("app"),
  pathPrefix: "/reactpy/",
  componentPath: "frontend.app.root/",
  reconnectInterval: 750,
  reconnectMaxInterval: 30000,
  reconnectMaxRetries: 200,
  reconnectBackoffMultiplier: 1.25,
});

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/service-worker.js", { type: "module", scope: "/" });
}
