// "Use my location": asks the browser for its position and reports it, rounded to about a
// kilometre, to Python; the server turns it into a region cell at once and keeps no coordinates.
import React from "react";
import { render } from "react-dom";

export function bind(node) {
  return {
    create: (type, props, children) => React.createElement(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

const roundToKilometre = (degrees) => Math.round(degrees * 100) / 100;

export function LocateButton({ label, busyLabel, onLocate, onError }) {
  const [busy, setBusy] = React.useState(false);
  const locate = () => {
    if (!("geolocation" in navigator)) {
      onError({ reason: "unsupported" });
      return;
    }
    setBusy(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setBusy(false);
        onLocate({
          latitude: roundToKilometre(position.coords.latitude),
          longitude: roundToKilometre(position.coords.longitude),
        });
      },
      (error) => {
        setBusy(false);
        onError({ reason: error.code === error.PERMISSION_DENIED ? "denied" : "unavailable" });
      },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 },
    );
  };
  return React.createElement(
    "button",
    { type: "button", className: "btn btn-secondary", onClick: locate, disabled: busy },
    busy ? busyLabel : label,
  );
}
