// The Discover card stack: drag (touch, pen or mouse) with the card following the pointer,
// a distance threshold and a fling, two big buttons, and the arrow keys. Each decision is
// animated here and reported to Python; the next card is already on screen behind it.
import React from "react";
import { render } from "react-dom";

const h = React.createElement;
const THRESHOLD_PX = 110;
const FLING_PX_PER_MS = 0.6;
const EXIT_MS = 220;

export function bind(node) {
  return {
    create: (type, props, children) => h(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

function Card({ card, labels, style, handlers, behind }) {
  const picture = card.photo
    ? h("img", { className: "deck-photo", src: card.photo, alt: "", draggable: false })
    : h("div", { className: "deck-illustration", "aria-hidden": "true" }, card.icon);
  return h("article", {
    className: behind ? "deck-card deck-card-behind" : "deck-card",
    "aria-label": card.title,
    "aria-hidden": behind ? "true" : undefined,
    style,
    ...handlers,
  },
    picture,
    h("div", { className: "deck-body" },
      h("div", { className: "row" },
        h("span", { className: `badge badge-${card.kind}` }, card.kindLabel),
        card.organisation ? h("span", { className: "badge badge-organisation" }, labels.organisation) : null),
      h("h2", { className: "deck-title" }, card.title),
      h("p", { className: "deck-meta" }, card.meta),
      h("p", { className: "deck-when" }, card.when),
      h("div", { className: "deck-owner" },
        card.ownerPhoto ? h("img", { src: card.ownerPhoto, alt: "", className: "deck-owner-photo" }) : null,
        h("span", null, card.ownerName)),
      card.interested ? h("p", { className: "deck-interested" }, card.interested) : null));
}

export function SwipeDeck({ cards, labels, onDecide }) {
  const [drag, setDrag] = React.useState(null); // {id, startX, startY, x, y, t}
  const [leaving, setLeaving] = React.useState(null); // {id, direction}
  const [decided, setDecided] = React.useState([]); // ids already reported, until props drop them
  const visible = cards.filter((card) => !decided.includes(card.id));
  const top = visible[0];
  const next = visible[1];

  React.useEffect(() => {
    // Forget decisions Python has taken out of the list (keeps the array short).
    setDecided((ids) => ids.filter((id) => cards.some((card) => card.id === id)));
  }, [cards]);

  const decide = React.useCallback((direction) => {
    if (!top || leaving) return;
    setLeaving({ id: top.id, direction });
    setDrag(null);
    window.setTimeout(() => {
      setDecided((ids) => [...ids, top.id]);
      setLeaving(null);
      onDecide({ id: top.id, direction });
    }, EXIT_MS);
  }, [top, leaving, onDecide]);

  React.useEffect(() => {
    const onKey = (event) => {
      const target = event.target;
      const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowRight") { event.preventDefault(); decide("right"); }
      if (event.key === "ArrowLeft") { event.preventDefault(); decide("left"); }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [decide]);

  if (!top) return null;

  const handlers = {
    onPointerDown: (event) => {
      if (leaving) return;
      event.currentTarget.setPointerCapture(event.pointerId);
      setDrag({ startX: event.clientX, startY: event.clientY, x: 0, y: 0, t: performance.now(), vx: 0 });
    },
    onPointerMove: (event) => {
      if (!drag) return;
      const x = event.clientX - drag.startX;
      const now = performance.now();
      const vx = (x - drag.x) / Math.max(1, now - drag.t);
      setDrag({ ...drag, x, y: event.clientY - drag.startY, t: now, vx });
    },
    onPointerUp: () => {
      if (!drag) return;
      const flung = Math.abs(drag.vx) > FLING_PX_PER_MS && Math.abs(drag.x) > 30;
      if (Math.abs(drag.x) > THRESHOLD_PX || flung) decide(drag.x > 0 ? "right" : "left");
      else setDrag(null);
    },
    onPointerCancel: () => setDrag(null),
  };

  let style = {};
  let hint = null;
  if (leaving && leaving.id === top.id) {
    const sign = leaving.direction === "right" ? 1 : -1;
    style = { transform: `translateX(${sign * 140}%) rotate(${sign * 18}deg)`, transition: `transform ${EXIT_MS}ms ease-in`, opacity: 0 };
  } else if (drag) {
    style = { transform: `translate(${drag.x}px, ${drag.y * 0.2}px) rotate(${drag.x / 18}deg)`, transition: "none" };
    if (Math.abs(drag.x) > 40) hint = drag.x > 0 ? top.rightLabel : labels.skip;
  }

  return h("div", { className: "deck", role: "region", "aria-label": labels.deck },
    h("div", { className: "deck-stack" },
      next ? h(Card, { key: next.id, card: next, labels, behind: true, style: {}, handlers: {} }) : null,
      h(Card, { key: top.id, card: top, labels, style, handlers }),
      hint ? h("div", { className: `deck-hint deck-hint-${drag.x > 0 ? "right" : "left"}`, "aria-hidden": "true" }, hint) : null),
    h("div", { className: "deck-actions" },
      h("button", {
        type: "button", className: "btn btn-secondary deck-skip",
        "aria-label": `${labels.skip}: ${top.title}`, onClick: () => decide("left"),
      }, "✕ ", labels.skip),
      h("button", {
        type: "button", className: "btn btn-primary deck-help",
        "aria-label": `${top.rightLabel}: ${top.title}`, onClick: () => decide("right"),
      }, "♥ ", top.rightLabel)),
    h("p", { className: "deck-keys muted" }, labels.keys));
}
