// One conversation's messages and composer. The log renders here, in the browser, so that a
// message costs the server no rendering: it talks JSON over its own /api/live socket (send, read,
// newest; message and read events come back) and catches up from the HTTP history on (re)connect,
// on "resync", on a gap in seq and when a periodic "newest" check finds it missed a message.
// Every message gets its client id when it is composed and waits in localStorage (per
// conversation) until the server says it is stored (the message's own live event names its client
// id; a resend of a stored one gets "sent"), so a message typed offline or lost with the
// connection is sent again, harmlessly, later. Text is always text: never HTML.
// The first messages come from the same HTTP history call as any catch-up (one is needed on
// connect anyway): the ReactPy page then never queries, serialises or re-sends them when its
// header renders again.
import React from "react";
import { render } from "react-dom";

const h = React.createElement;
const HISTORY_PAGE = 200; // the most the history endpoint returns at once
const READ_DELAY_MS = 1000; // a burst of messages is marked read once
const RETRY_MS = 5000; // a send without a reply after this long goes again
const LIVELY_MS = 120000; // messages in the last two minutes: check for missed ones often
const LIVELY_CHECK_MS = 15000;
const QUIET_CHECK_MS = 60000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
const SESSION_ENDED = 4401;

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

const draftKey = (conversationId) => `handje-draft:${conversationId}`;

// A message from a live event ("sender") or from the history ("sender_id"), as this viewer sees it.
function fromServer(raw, viewer) {
  const sender = (raw.sender === undefined ? raw.sender_id : raw.sender) || null;
  return {
    id: String(raw.id),
    seq: raw.seq,
    sender,
    senderName: raw.sender_name || "",
    mine: sender !== null && sender === viewer,
    kind: raw.kind,
    body: raw.body || "",
    createdAt: raw.created_at,
    concerns: raw.concerns || [],
  };
}

// The live state of one open conversation: its socket, messages, outbox and timers. The
// component renders what it holds and is told of every change through onChange.
class LiveConversation {
  constructor(conversationId, viewer, hooks) {
    this.conversationId = conversationId;
    this.viewer = viewer;
    this.hooks = hooks; // a ref: {problem(error), sessionEnded(), giveBack(body)}
    this.outboxKey = `handje-outbox:${conversationId}`;
    this.onChange = () => {};
    this.messages = [];
    this.loaded = false;
    this.readSeq = null; // up to where the other side read; null: no "Read" mark is shown
    this.outbox = load(this.outboxKey, []);
    this.held = new Map(); // clientId -> safety concern codes, waiting for "Send anyway"/"Edit"
    this.attempts = new Map(); // clientId -> time of the last send
    this.online = navigator.onLine;
    this.connected = false;
    this.socket = null;
    this.failures = 0;
    this.markedSeq = 0;
    this.activeAt = 0; // when the newest message came (for how often to check for missed ones)
    this.checkedAt = 0;
    this.timers = {};
    this.catching = false;
    this.catchAgain = false;
    this.problemShown = "";
    this.stopped = false;
  }

  get lastSeq() {
    return this.messages.length ? this.messages[this.messages.length - 1].seq : 0;
  }

  start() {
    this.stopped = false;
    this.wentOnline = () => { this.setOnline(true); if (!this.socket) this.connect(); };
    this.wentOffline = () => this.setOnline(false);
    this.visibilityChanged = () => {
      // Back in view (a phone woken up): check at once whether something was missed.
      if (document.visibilityState === "visible") this.checkForMissed(true);
      this.considerReading();
    };
    window.addEventListener("online", this.wentOnline);
    window.addEventListener("offline", this.wentOffline);
    document.addEventListener("visibilitychange", this.visibilityChanged);
    this.timers.retry = window.setInterval(() => this.resend(RETRY_MS), RETRY_MS / 2);
    this.timers.check = window.setInterval(() => this.checkForMissed(), LIVELY_CHECK_MS);
    this.catchUp(); // the first messages, while the socket opens
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.onChange = () => {};
    window.removeEventListener("online", this.wentOnline);
    window.removeEventListener("offline", this.wentOffline);
    document.removeEventListener("visibilitychange", this.visibilityChanged);
    Object.values(this.timers).forEach((timer) => { window.clearInterval(timer); window.clearTimeout(timer); });
    this.timers = {};
    if (this.socket) this.socket.close();
  }

  setOnline(online) {
    this.online = online;
    this.onChange();
  }

  // --- the socket --------------------------------------------------------------------------

  connect() {
    if (this.stopped) return;
    window.clearTimeout(this.timers.reconnect);
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}/api/live`);
    this.socket = socket;
    socket.onopen = () => {
      this.connected = true;
      this.failures = 0;
      this.onChange();
      this.catchUp(); // whatever came while there was no socket
      this.command({ type: "newest", conversation: this.conversationId });
      this.resend(0);
      this.considerReading();
    };
    socket.onmessage = (event) => this.received(event.data);
    socket.onclose = (event) => {
      if (this.socket === socket) this.socket = null;
      this.connected = false;
      if (this.stopped) return;
      this.onChange();
      if (event.code === SESSION_ENDED) this.hooks.current.sessionEnded();
      const base = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
      this.failures += 1;
      this.timers.reconnect = window.setTimeout(() => this.connect(), base * (0.5 + Math.random() / 2));
    };
  }

  command(message) {
    if (!this.connected || !this.socket) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  received(text) {
    let event;
    try {
      event = JSON.parse(text);
    } catch (error) {
      return;
    }
    if (event.type === "resync") {
      this.catchUp();
      return;
    }
    if (event.type === "error") {
      console.warn("the live socket refused a command:", event.error);
      return;
    }
    if (event.conversation !== this.conversationId) return;
    switch (event.type) {
      case "message": return this.messageEvent(event);
      case "read": return this.readEvent(event);
      case "sent": return this.sent(event);
      case "held": return this.heldBack(event);
      case "refused": return this.refused(event);
      case "newest": return event.seq > this.lastSeq ? this.catchUp() : undefined;
      default: return undefined; // header changes: the Python page handles those
    }
  }

  // --- messages ----------------------------------------------------------------------------

  // Append messages after the newest one, in order and once; a live one must come right after.
  add(incoming, live) {
    if (this.stopped) return;
    const added = [];
    let last = this.lastSeq;
    for (const raw of incoming) {
      if (raw.seq <= last || (live && raw.seq !== last + 1)) continue;
      added.push(fromServer(raw, this.viewer));
      last = raw.seq;
    }
    if (!added.length) return;
    const newest = added[added.length - 1];
    this.activeAt = this.loaded ? Date.now() : Date.parse(newest.createdAt) || 0;
    this.messages = [...this.messages, ...added];
    this.onChange();
    this.considerReading();
  }

  messageEvent(event) {
    // A message of this viewer's names its client id: the event answers the send.
    if (event.message && event.message.sender === this.viewer) this.settle(event.client_id);
    if (event.message) this.add([event.message], true);
    if (event.seq > this.lastSeq) this.catchUp(); // a gap, or an event without its message
  }

  readEvent(event) {
    if (event.reader === this.viewer || this.readSeq === null || event.seq <= this.readSeq) return;
    this.readSeq = event.seq;
    this.onChange();
  }

  setPartnerRead(seq) {
    const next = seq === null || seq === undefined ? null : Math.max(this.readSeq || 0, seq);
    if (next === this.readSeq) return;
    this.readSeq = next;
    this.onChange();
  }

  // Fetch what was stored after the newest message shown; calls while one runs run it again.
  async catchUp() {
    if (this.catching) {
      this.catchAgain = true;
      return;
    }
    this.catching = true;
    try {
      do {
        this.catchAgain = false;
        let page;
        do {
          const url = `/api/conversations/${this.conversationId}/messages?after=${this.lastSeq}`;
          const response = await fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } });
          if (!response.ok) {
            if (response.status === 401) this.hooks.current.sessionEnded();
            return;
          }
          page = await response.json();
          this.add(page, false);
          if (!this.loaded) {
            this.loaded = true;
            this.onChange();
          }
        } while (page.length >= HISTORY_PAGE && !this.stopped);
      } while (this.catchAgain && !this.stopped);
    } catch (error) {
      // Offline or the server is away: the next connect or check tries again.
    } finally {
      this.catching = false;
    }
  }

  checkForMissed(atOnce = false) {
    const now = Date.now();
    const lively = atOnce || now - this.activeAt < LIVELY_MS;
    if (!lively && now - this.checkedAt < QUIET_CHECK_MS) return;
    if (this.command({ type: "newest", conversation: this.conversationId })) this.checkedAt = now;
  }

  unreadFromOthers() {
    for (let index = this.messages.length - 1; index >= 0; index -= 1) {
      const message = this.messages[index];
      if (message.seq <= this.markedSeq) return false;
      if (!message.mine) return true;
    }
    return false;
  }

  // What the other side wrote is marked read a moment after it is shown, once per burst, and
  // only while the page is in view.
  considerReading() {
    if (this.timers.read || !this.unreadFromOthers()) return;
    this.timers.read = window.setTimeout(() => {
      delete this.timers.read;
      if (document.visibilityState !== "visible" || !this.unreadFromOthers()) return;
      const seq = this.lastSeq;
      if (this.command({ type: "read", conversation: this.conversationId, seq })) this.markedSeq = seq;
    }, READ_DELAY_MS);
  }

  // --- sending -----------------------------------------------------------------------------

  updateOutbox(change) {
    this.outbox = change(this.outbox);
    save(this.outboxKey, this.outbox);
    this.onChange();
  }

  compose(body) {
    const message = { clientId: newClientId(), body };
    this.updateOutbox((outbox) => [...outbox, message]);
    this.attempt(message);
  }

  attempt(message) {
    const sent = this.command({
      type: "send", conversation: this.conversationId, client_id: message.clientId,
      body: message.body, kind: "text", approved: Boolean(message.approved),
    });
    if (sent) this.attempts.set(message.clientId, Date.now());
  }

  resend(olderThanMs) {
    const now = Date.now();
    this.outbox
      .filter((message) => !this.held.has(message.clientId))
      .filter((message) => now - (this.attempts.get(message.clientId) || 0) >= olderThanMs)
      .forEach((message) => this.attempt(message));
  }

  take(clientId) {
    const message = this.outbox.find((waiting) => waiting.clientId === clientId);
    this.held.delete(clientId);
    this.attempts.delete(clientId);
    this.updateOutbox((outbox) => outbox.filter((waiting) => waiting.clientId !== clientId));
    return message;
  }

  // A message in the outbox is stored: it leaves the outbox, and a problem shown is over.
  settle(clientId) {
    if (!this.outbox.some((message) => message.clientId === clientId)) return;
    this.take(clientId);
    this.showProblem("");
  }

  // A resend of a message stored earlier: its live event came then, or was lost.
  sent(reply) {
    this.settle(reply.client_id);
    if (reply.seq > this.lastSeq) this.catchUp();
  }

  heldBack(reply) {
    if (!this.outbox.some((message) => message.clientId === reply.client_id)) return;
    this.held.set(reply.client_id, reply.concerns || []);
    this.onChange();
  }

  sendAnyway(clientId) {
    this.held.delete(clientId);
    this.updateOutbox((outbox) => outbox.map(
      (message) => (message.clientId === clientId ? { ...message, approved: true } : message)));
    const message = this.outbox.find((waiting) => waiting.clientId === clientId);
    if (message) this.attempt(message);
  }

  edit(clientId) {
    const message = this.take(clientId);
    if (message) this.hooks.current.giveBack(message.body);
  }

  refused(reply) {
    const message = reply.client_id ? this.take(reply.client_id) : undefined;
    if (message) this.hooks.current.giveBack(message.body);
    else if (reply.client_id) return; // an answer to a resend of something already settled
    this.showProblem(reply.error || "");
  }

  // Python shows the (translated) problem; a later success clears it.
  showProblem(error) {
    if (this.stopped || error === this.problemShown) return;
    this.problemShown = error;
    this.hooks.current.problem(error);
  }
}

// --- rendering -------------------------------------------------------------------------------

const timeFormats = {};

function timeText(iso, language) {
  if (!timeFormats[language]) {
    timeFormats[language] = new Intl.DateTimeFormat(language, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: "Europe/Amsterdam",
    });
  }
  const parts = {};
  timeFormats[language].formatToParts(new Date(iso)).forEach((part) => { parts[part.type] = part.value; });
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

function safetyLink(copy) {
  return h("a", { href: copy.safetyCentre, className: "safety-link" }, "🛡️ ", copy.labels.moreSafety);
}

function adviceList(concerns, copy) {
  const lines = Object.keys(copy.advice).filter((code) => concerns.includes(code));
  return h("ul", null, ...lines.map((code) => h("li", { key: code }, copy.advice[code])));
}

// The text exactly as written; an http(s) link is a button that opens a leaving note first.
function MessageText({ body, copy }) {
  const [opened, setOpened] = React.useState(null);
  const pattern = new RegExp(copy.linkPattern, "gi");
  const parts = [];
  const links = [];
  let position = 0;
  let found;
  while ((found = pattern.exec(body)) !== null) {
    const index = links.length;
    const url = found[0];
    if (found.index > position) parts.push(body.slice(position, found.index));
    parts.push(h("button", {
      type: "button", key: `link-${index}`, className: "btn-link message-link",
      "aria-expanded": opened === index ? "true" : "false",
      onClick: () => setOpened(opened === index ? null : index),
    }, url));
    links.push(url);
    position = found.index + url.length;
  }
  if (position < body.length) parts.push(body.slice(position));
  const { labels } = copy;
  const leaving = opened === null || opened >= links.length ? null : h("div", {
    className: "leaving-note", role: "group", "aria-label": labels.leaving,
  },
    h("p", null, h("strong", null, labels.leaving)),
    h("p", { className: "leaving-url" }, links[opened]),
    h("div", { className: "row" },
      h("a", {
        href: links[opened], rel: "noopener noreferrer nofollow", target: "_blank",
        className: "btn btn-secondary",
      }, labels.openLink),
      h("button", { type: "button", className: "btn btn-link", onClick: () => setOpened(null) },
        labels.cancel)));
  return h("div", null, h("p", { className: "message-body" }, ...parts), leaving);
}

function senderName(message, copy) {
  if (message.mine) return copy.labels.you;
  if (!message.senderName) return copy.labels.deletedUser;
  return copy.standIns[message.senderName] || message.senderName;
}

const MessageItem = React.memo(function MessageItem({ message, showSender, read, reporting, copy, onReport }) {
  const { labels } = copy;
  const sender = senderName(message, copy);
  let content;
  if (message.kind === "removed") {
    content = h("p", { className: "message-removed" }, labels.removed);
  } else if (message.kind === "thanks") {
    content = h("div", { className: "thanks-card" },
      h("p", { className: "thanks-card-title" }, "🙏 ", labels.thanks),
      message.body ? h(MessageText, { body: message.body, copy }) : null);
  } else if (!message.body) {
    // Only deletion empties a text message: its sender chose not to leave their words.
    content = h("p", { className: "message-removed" }, labels.removedWithAccount);
  } else {
    content = h(MessageText, { body: message.body, copy });
  }
  const advised = !message.mine && message.concerns.some((code) => code in copy.advice);
  return h("li", {
    className: `message ${message.mine ? "message-mine" : "message-theirs"}`,
    "aria-label": labels.messageFrom.replace("{name}", sender),
  },
    showSender ? h("p", { className: "message-sender" }, sender) : null,
    content,
    h("div", { className: "message-meta" },
      h("time", { className: "message-time", dateTime: message.createdAt }, timeText(message.createdAt, copy.language)),
      read ? h("span", { className: "message-read" }, " · ", labels.read) : null,
      message.mine || reporting ? null : h("button", {
        type: "button", className: "btn-link message-report", "aria-label": labels.reportMessage,
        onClick: () => onReport(message),
      }, labels.report)),
    advised ? h("aside", { className: "safety-card", role: "note", "aria-label": labels.safetyTip },
      h("p", { className: "safety-card-title" }, "🛡️ ", labels.safetyTip),
      adviceList(message.concerns, copy),
      safetyLink(copy)) : null);
});

function MessageLog({ live, copy, reportingId, onReport }) {
  const { labels } = copy;
  const { messages } = live;
  let content;
  if (!live.loaded) {
    content = h("p", { "aria-busy": "true" }, labels.loading);
  } else if (!messages.length) {
    content = h("p", { className: "muted" }, labels.empty);
  } else {
    let lastMine = null;
    messages.forEach((message) => { if (message.mine) lastMine = message.seq; });
    const readMark = live.readSeq !== null && lastMine !== null && live.readSeq >= lastMine ? lastMine : null;
    content = h("ol", { className: "message-list" }, ...messages.map((message, index) => h(MessageItem, {
      key: message.id,
      message,
      showSender: index === 0 || messages[index - 1].sender !== message.sender,
      read: message.seq === readMark,
      reporting: message.id === reportingId,
      copy,
      onReport,
    })));
  }
  return h("section", { className: "message-log", role: "log", "aria-label": labels.messages }, content);
}

function SafetyPrompt({ clientId, concerns, live, copy }) {
  const { labels } = copy;
  return h("div", { className: "safety-prompt", role: "group", "aria-label": labels.beforeYouSend },
    h("p", null, h("strong", null, labels.beforeYouSend)),
    adviceList(concerns, copy),
    h("p", null, safetyLink(copy)),
    h("div", { className: "row" },
      h("button", { type: "button", className: "btn btn-primary", onClick: () => live.sendAnyway(clientId) },
        labels.sendAnyway),
      h("button", { type: "button", className: "btn btn-secondary", onClick: () => live.edit(clientId) },
        labels.edit)));
}

function Composer({ live, copy, maxLength, text, setText }) {
  const { labels } = copy;
  const inputId = `composer-${live.conversationId}`;
  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText("");
    live.compose(body.slice(0, maxLength));
  };
  const waiting = live.outbox.filter((message) => !live.held.has(message.clientId));
  const [heldId, concerns] = live.held.entries().next().value || [];
  return h("div", { className: "composer-area" },
    h("form", { className: "composer", onSubmit: submit, "aria-label": labels.composer },
      waiting.length === 0 ? null : h("ul", { className: "composer-pending", "aria-label": labels.pending },
        ...waiting.map((message) => h("li", { key: message.clientId, className: "message message-mine message-pending" },
          h("p", { className: "message-body" }, message.body),
          h("p", { className: "message-status" }, live.online ? labels.sending : labels.offline)))),
      h("label", { htmlFor: inputId, className: "visually-hidden" }, labels.message),
      h("textarea", {
        id: inputId, className: "composer-input", rows: 2, maxLength, value: text,
        placeholder: labels.placeholder, onInput: (event) => setText(event.target.value),
      }),
      h("button", { type: "submit", className: "btn btn-primary composer-send" }, labels.send)),
    heldId === undefined ? null : h(SafetyPrompt, { key: heldId, clientId: heldId, concerns, live, copy }));
}

export function Conversation(props) {
  const {
    conversationId, viewer, language, ended, maxLength, readByPartnerSeq, reportingId,
    labels, advice, linkPattern, safetyCentre, standIns,
  } = props;
  const [, setVersion] = React.useState(0);
  const [text, setDraft] = React.useState(() => load(draftKey(conversationId), ""));
  const setText = React.useCallback((value) => {
    setDraft((current) => {
      const next = typeof value === "function" ? value(current) : value;
      save(draftKey(conversationId), next);
      return next;
    });
  }, [conversationId]);
  const hooks = React.useRef(null);
  hooks.current = {
    problem: (error) => props.onProblem({ error }),
    sessionEnded: () => props.onSessionEnded({}),
    // A message given back to edit ("Edit", or it could not be sent) goes before what is typed.
    giveBack: (body) => setText((current) => (current.trim() ? `${body}\n${current}` : body)),
  };
  const live = React.useMemo(() => new LiveConversation(conversationId, viewer, hooks), [conversationId, viewer]);
  React.useEffect(() => {
    live.onChange = () => setVersion((version) => version + 1);
    live.start();
    return () => live.stop();
  }, [live]);
  React.useEffect(() => live.setPartnerRead(readByPartnerSeq), [live, readByPartnerSeq]);
  React.useEffect(() => {
    // Python shows the report form under the conversation: bring it into view.
    if (!reportingId) return;
    window.requestAnimationFrame(() => {
      const area = document.getElementById(props.reportArea);
      if (area) area.scrollIntoView({ block: "center", behavior: "smooth" });
    });
  }, [reportingId]);
  const onReport = React.useCallback((message) => hooks.current.report(message), []);
  hooks.current.report = (message) => props.onReport({ messageId: message.id, seq: message.seq });
  const copyKey = JSON.stringify([labels, advice, linkPattern, safetyCentre, standIns, language]);
  const copy = React.useMemo(
    () => ({ labels, advice, linkPattern, safetyCentre, standIns, language }), [copyKey]);
  return h(React.Fragment, null,
    h(MessageLog, { live, copy, reportingId, onReport }),
    ended ? null : h(Composer, { live, copy, maxLength, text, setText }));
}
