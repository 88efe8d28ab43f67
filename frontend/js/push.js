// Web push on this device: explains, asks for permission only when the person presses the
// button, subscribes with the app's VAPID key and hands the subscription to Python. It also
// forgets this device's subscription when the person logs out here.
import React from "react";
import { render } from "react-dom";

const h = React.createElement;
const DISMISSED = "handje-push-card-dismissed";

export function bind(node) {
  return {
    create: (type, props, children) => h(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function isIos() {
  const ua = navigator.userAgent;
  return /iPad|iPhone|iPod/.test(ua) || (ua.includes("Macintosh") && navigator.maxTouchPoints > 1);
}

function isStandalone() {
  return navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
}

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

// On log-out from this device: tell the server to forget it, then unsubscribe, then log out.
// One listener per page, however many switches are mounted.
let logOutHooked = false;

function forgetOnLogOut(csrfToken) {
  if (logOutHooked) return;
  logOutHooked = true;
  const onSubmit = async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("action") !== "/auth/logout") return;
    if (form.dataset.pushForgotten || !supported()) return;
    event.preventDefault();
    try {
      const subscription = await currentSubscription();
      if (subscription) {
        await fetch("/api/push/subscriptions/remove", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
          body: JSON.stringify({ endpoint: subscription.endpoint }),
          keepalive: true,
        });
        await subscription.unsubscribe();
      }
    } finally {
      form.dataset.pushForgotten = "1";
      form.requestSubmit();
    }
  };
  document.addEventListener("submit", onSubmit, true);
}

export function PushSwitch({ publicKey, csrfToken, mode, labels, onSubscribe, onUnsubscribe }) {
  const [state, setState] = React.useState("checking");
  const [dismissed, setDismissed] = React.useState(
    () => window.localStorage.getItem(DISMISSED) === "1",
  );

  React.useEffect(() => forgetOnLogOut(csrfToken), []);
  React.useEffect(() => {
    if (!supported()) {
      setState(isIos() && !isStandalone() ? "ios" : "unsupported");
      return;
    }
    if (Notification.permission === "denied") {
      setState("denied");
      return;
    }
    currentSubscription().then((subscription) => {
      if (subscription && Notification.permission === "granted") {
        onSubscribe(subscription.toJSON()); // keeps the server's copy fresh; storing is idempotent
        setState("on");
      } else {
        setState("off");
      }
    });
  }, []);

  const turnOn = async () => {
    setState("working");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        setState(permission === "denied" ? "denied" : "off");
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(publicKey),
      });
      onSubscribe(subscription.toJSON());
      setState("on");
    } catch (error) {
      setState("failed");
    }
  };
  const turnOff = async () => {
    setState("working");
    const subscription = await currentSubscription();
    if (subscription) {
      onUnsubscribe({ endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    setState("off");
  };
  const dismiss = () => {
    window.localStorage.setItem(DISMISSED, "1");
    setDismissed(true);
  };

  const text = (content) => h("p", { className: "muted" }, content);
  const button = (label, onClick, className = "btn btn-primary") =>
    h("button", { type: "button", className, onClick, disabled: state === "working" }, label);

  if (mode === "card") {
    if (state === "ios" && !dismissed) {
      return h("aside", { className: "card push-card", "aria-label": labels.title },
        h("p", null, labels.iosHint), button(labels.notNow, dismiss, "btn btn-secondary"));
    }
    if (!["off", "working", "failed"].includes(state) || dismissed) return null;
    return h(
      "aside",
      { className: "card push-card", "aria-label": labels.title },
      h("h2", null, labels.title),
      h("p", null, labels.explanation),
      state === "failed" ? h("p", { role: "alert" }, labels.failed) : null,
      h("div", { className: "button-row" },
        button(state === "working" ? labels.enabling : labels.enable, turnOn),
        button(labels.notNow, dismiss, "btn btn-secondary")),
    );
  }
  return h(
    "div",
    { className: "push-switch" },
    state === "ios" ? text(labels.iosHint) : null,
    state === "unsupported" ? text(labels.unsupported) : null,
    state === "denied" ? text(labels.denied) : null,
    state === "failed" ? h("p", { role: "alert" }, labels.failed) : null,
    state === "on" ? text(labels.enabled) : null,
    state === "on" ? button(labels.disable, turnOff, "btn btn-secondary") : null,
    ["off", "working", "failed"].includes(state)
      ? h(React.Fragment, null, text(labels.explanation),
          button(state === "working" ? labels.enabling : labels.enable, turnOn))
      : null,
  );
}
