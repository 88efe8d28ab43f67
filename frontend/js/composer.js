// The message composer: a textarea and Send. Every message gets its client id when it is
// composed and waits in localStorage (per conversation) until Python confirms it was stored,
// so a message typed offline or lost with the connection is sent again, harmlessly, later.
import React from "react";
import { render } from "react-dom";

const h = React.createElement;
const RETRY_MS = 4000;

export function bind(node) {
  return {
    create: (type, props, children) => h(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

function newClientId() {
  // A version 4 UUID as 32 hex digits; getRandomValues also works outside secure contexts.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function load(key, fallback) {
  try {
    const value = JSON.parse(window.localStorage.getItem(key));
    return value === null ? fallback : value;
  } catch (error) {
    return fallback;
  }
}

function save(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (error) {
    // Private mode or a full storage: the draft then lives only as long as the page.
  }
}

export function Composer({
  conversationId, labels, maxLength, sentIds, heldIds, returned, onSend,
}) {
  const outboxKey = `handje-outbox:${conversationId}`;
  const textKey = `handje-draft:${conversationId}`;
  const [pending, setPending] = React.useState(() => load(outboxKey, []));
  const [text, setText] = React.useState(() => load(textKey, ""));
  const [online, setOnline] = React.useState(() => navigator.onLine);
  const attempts = React.useRef({}); // clientId -> time of the last onSend
  const latest = React.useRef({ pending, onSend, heldIds });
  latest.current = { pending, onSend, heldIds };
  const inputId = `composer-${conversationId}`;

  const updatePending = (change) => {
    setPending((current) => {
      const next = change(current);
      save(outboxKey, next);
      return next;
    });
  };

  const attempt = (message) => {
    attempts.current[message.clientId] = Date.now();
    latest.current.onSend({ clientId: message.clientId, body: message.body });
  };

  const resend = (olderThanMs) => {
    const { pending: waiting, heldIds: held } = latest.current;
    const now = Date.now();
    waiting
      .filter((message) => !(held || []).includes(message.clientId))
      .filter((message) => now - (attempts.current[message.clientId] || 0) >= olderThanMs)
      .forEach(attempt);
  };

  React.useEffect(() => {
    resend(0); // anything left over from last time (or from before a reconnect)
    const timer = window.setInterval(() => navigator.onLine && resend(RETRY_MS), RETRY_MS / 2);
    const wentOnline = () => { setOnline(true); resend(0); };
    const wentOffline = () => setOnline(false);
    window.addEventListener("online", wentOnline);
    window.addEventListener("offline", wentOffline);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("online", wentOnline);
      window.removeEventListener("offline", wentOffline);
    };
  }, [conversationId]);

  React.useEffect(() => {
    if (sentIds.length) updatePending((current) => current.filter((m) => !sentIds.includes(m.clientId)));
  }, [sentIds.join(" ")]);

  React.useEffect(() => {
    // Python gave a message back to edit (after "Edit", or when it could not be sent).
    if (!returned) return;
    updatePending((current) => current.filter((m) => m.clientId !== returned.clientId));
    setText(returned.body);
    save(textKey, returned.body);
  }, [returned && returned.clientId]);

  const change = (event) => {
    setText(event.target.value);
    save(textKey, event.target.value);
  };

  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    const message = { clientId: newClientId(), body: body.slice(0, maxLength) };
    updatePending((current) => [...current, message]);
    setText("");
    save(textKey, "");
    attempt(message);
  };

  const waiting = pending.filter((message) => !(heldIds || []).includes(message.clientId));
  return h("form", { className: "composer", onSubmit: submit, "aria-label": labels.composer },
    waiting.length === 0 ? null : h("ul", { className: "composer-pending", "aria-label": labels.pending },
      ...waiting.map((message) => h("li", { key: message.clientId, className: "message message-mine message-pending" },
        h("p", { className: "message-body" }, message.body),
        h("p", { className: "message-status" }, online ? labels.sending : labels.offline)))),
    h("label", { htmlFor: inputId, className: "visually-hidden" }, labels.message),
    h("textarea", {
      id: inputId, className: "composer-input", rows: 2, maxLength, value: text,
      placeholder: labels.placeholder, onInput: change,
    }),
    h("button", { type: "submit", className: "btn btn-primary composer-send" }, labels.send));
}
