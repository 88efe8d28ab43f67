// The app icon badge (Badging API, where supported) shows the number of unread notifications.
import React from "react";
import { render } from "react-dom";

export function bind(node) {
  return {
    create: (type, props, children) => React.createElement(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

export function AppBadge({ count }) {
  React.useEffect(() => {
    if (!("setAppBadge" in navigator)) return;
    const update = count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge();
    update.catch(() => {}); // not installed, or not allowed: the bell still shows the count
  }, [count]);
  return null;
}
