// Photo picker: choose (or take) a photo, preview it, upload it with a progress bar, remove it.
// The bytes go straight to the backend's upload endpoint, which checks and cleans them;
// Python hears only the outcome (the stored photo, or the error message to show).
import React from "react";
import { render } from "react-dom";

const h = React.createElement;

export function bind(node) {
  return {
    create: (type, props, children) => h(type, props, ...children),
    render: (element) => render(element, node),
    unmount: () => render(null, node),
  };
}

function upload(url, csrfToken, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.setRequestHeader("X-CSRF-Token", csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        body = {};
      }
      if (request.status === 201) resolve(body);
      else reject(body.detail || "upload failed");
    };
    request.onerror = () => reject("network");
    request.send(file);
  });
}

export function PhotoPicker({
  uploadUrl, csrfToken, photos, maxPhotos, labels, onUploaded, onRemoved, onFailed,
}) {
  const [pending, setPending] = React.useState(null); // {preview, progress}
  const inputId = React.useMemo(() => `photo-${Math.random().toString(36).slice(2)}`, []);

  const choose = async (event) => {
    const file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (!file) return;
    const preview = URL.createObjectURL(file);
    setPending({ preview, progress: 0 });
    try {
      const photo = await upload(uploadUrl, csrfToken, file, (progress) =>
        setPending({ preview, progress }),
      );
      onUploaded(photo);
    } catch (detail) {
      onFailed({ detail: String(detail) });
    } finally {
      URL.revokeObjectURL(preview);
      setPending(null);
    }
  };

  const items = photos.map((photo) =>
    h("li", { key: photo.id, className: "photo-item" },
      h("img", { src: photo.thumb, alt: labels.photo, width: 96, height: 96 }),
      h("button", {
        type: "button", className: "btn btn-link", onClick: () => onRemoved({ id: photo.id }),
      }, labels.remove)),
  );
  if (pending) {
    items.push(h("li", { key: "pending", className: "photo-item photo-pending" },
      h("img", { src: pending.preview, alt: labels.uploading, width: 96, height: 96 }),
      h("progress", { max: 1, value: pending.progress, "aria-label": labels.uploading })));
  }
  const canAdd = !pending && (maxPhotos === 1 || photos.length < maxPhotos);
  return h("div", { className: "photo-picker" },
    h("ul", { className: "photo-list", "aria-label": labels.photos }, ...items),
    !canAdd ? null : h("label", { className: "btn btn-secondary photo-add", htmlFor: inputId },
      photos.length && maxPhotos === 1 ? labels.replace : labels.add,
      h("input", {
        id: inputId, type: "file", accept: "image/*", className: "visually-hidden",
        onChange: choose,
      })),
  );
}
