// The camera's kernels in the student's browser (app/widgets/sources/browser_camera.py).
const SOURCE_OF = {
  zeros: (i, n) => (i >= 0 && i < n ? i : -1),
  replicate: (i, n) => Math.min(Math.max(i, 0), n - 1),
  reflect: (i, n) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i),
  circular: (i, n) => ((i % n) + n) % n,
};

function sourceIndex(size, pad, mode) {  // padded position -> input position (-1: zero)
  const map = new Int32Array(size + 2 * pad);
  for (let i = 0; i < map.length; i++) map[i] = SOURCE_OF[mode](i - pad, size);
  return map;
}

function configure(cam, data) {
  // The colour table is part of it: a change of palette repaints with the new one.
  const key = JSON.stringify([data.kernels, data.padding_mode, data.lut]);
  if (cam.configKey === key) return;
  cam.configKey = key;
  cam.check.disabled = true;  // until a frame has gone through the new kernels
  const W = data.width, H = data.height;
  const pad = Math.max(0, ...data.kernels.map((k) => (k.size - 1) / 2));
  const PW = W + 2 * pad;
  cam.pad = pad;
  cam.rows = sourceIndex(H, pad, data.padding_mode);
  cam.cols = sourceIndex(W, pad, data.padding_mode);
  cam.padded = new Float32Array(PW * (H + 2 * pad));
  cam.tables = colourTables(data.lut);
  cam.panels.querySelectorAll(".cam-map").forEach((figure) => figure.remove());
  cam.kernels = data.kernels.map((k) => {
    const half = (k.size - 1) / 2, offsets = [], weights = [];
    for (let i = 0; i < k.size; i++)
      for (let j = 0; j < k.size; j++) {
        const w = k.weights[i * k.size + j];
        if (w !== 0) { offsets.push((i + pad - half) * PW + (j + pad - half)); weights.push(w); }
      }
    const figure = document.createElement("figure");
    figure.className = "cam-panel cam-map";
    const canvas = document.createElement("canvas");
    canvas.width = W; canvas.height = H;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", k.label + " feature map: waiting for the camera");
    const caption = document.createElement("figcaption");
    caption.textContent = k.label + (k.signed ? " (red above zero, blue below)" : " (brightness)");
    figure.append(canvas, caption);
    cam.panels.appendChild(figure);
    const picture = new ImageData(W, H);
    return { ...k, run: compiled(offsets, weights), canvas, ink: canvas.getContext("2d"),
             picture, pixels: new Uint32Array(picture.data.buffer),
             map: new Float32Array(W * H) };
  });
}

function looped(offsets, taps) {  // padded -> map for one kernel: a loop over its taps
  const n = taps.length;
  return (padded, map, W, H, PW) => {
    for (let y = 0; y < H; y++) {
      const row = y * PW, out = y * W;
      for (let x = 0; x < W; x++) {
        const base = row + x;
        let sum = 0;
        for (let t = 0; t < n; t++) sum += taps[t] * padded[base + offsets[t]];
        map[out + x] = sum;
      }
    }
  };
}

function compiled(offsets, taps) {
  // The same sum with the kernel's numbers written into the code: V8 runs it about four
  // times faster than the loop (320 x 240, Sobel: 1.4 ms against 6.0 ms, measured here).
  // The numbers are the page's own kernels, checked to be numbers first.
  if (!taps.every(Number.isFinite) || !offsets.every(Number.isInteger))
    return looped(offsets, taps);
  const terms = taps.map((w, t) => `${w} * p[b + ${offsets[t]}]`).join(" + ") || "0";
  try {
    return new Function("p", "m", "W", "H", "PW",
      `for (let y = 0; y < H; y++) { const row = y * PW, out = y * W;
         for (let x = 0; x < W; x++) { const b = row + x; m[out + x] = ${terms}; } }`);
  } catch (error) {  // a page policy that forbids compiled code: the loop computes the same
    return looped(offsets, taps);
  }
}

function colourTables(lut) {
  // One 32-bit RGBA word per step, written byte by byte so it is right on any byte order.
  const signed = new Uint32Array(256), gray = new Uint32Array(256);
  const s = new Uint8Array(signed.buffer), g = new Uint8Array(gray.buffer);
  for (let i = 0; i < 256; i++) {
    s.set([lut[3 * i], lut[3 * i + 1], lut[3 * i + 2], 255], 4 * i);
    g.set([i, i, i, 255], 4 * i);
  }
  return { signed, gray };
}

function paint(cam, kernel) {
  // As cnn_core.render: a signed map's -limit is step 0 of the diverging table, 0 is 127,
  // limit is 254 (signed_to_rgb); other maps are brightness 0 .. 1 (image_to_rgb).
  const map = kernel.map, pixels = kernel.pixels;
  const table = kernel.signed ? cam.tables.signed : cam.tables.gray;
  const lowest = kernel.signed ? -kernel.limit : 0, highest = kernel.signed ? kernel.limit : 1;
  const scale = kernel.signed ? 127 / kernel.limit : 255, shift = kernel.signed ? 127 : 0;
  let low = Infinity, high = -Infinity;
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    if (v < low) low = v;
    if (v > high) high = v;
    const clipped = v < lowest ? lowest : v > highest ? highest : v;
    pixels[i] = table[Math.round(clipped * scale + shift)];
  }
  kernel.ink.putImageData(kernel.picture, 0, 0);
  kernel.low = low; kernel.high = high;
}

function processFrame(cam, source, vw, vh) {
  const data = cam.data, W = data.width, H = data.height;
  const side = Math.min(vw / W, vh / H);  // the centre of the picture, in the frame's shape
  const sw = W * side, sh = H * side;
  cam.work.drawImage(source, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, W, H);
  const rgba = cam.work.getImageData(0, 0, W, H).data;
  const [wr, wg, wb] = data.luma;
  const gray = cam.gray;
  for (let i = 0; i < W * H; i++)  // Uint8ClampedArray rounds to the nearest step
    gray[i] = wr * rgba[4 * i] + wg * rgba[4 * i + 1] + wb * rgba[4 * i + 2];
  const { padded, rows, cols, pad } = cam, PW = W + 2 * pad;
  for (let r = 0; r < rows.length; r++) {
    const source = rows[r], line = r * PW;
    for (let c = 0; c < cols.length; c++) {
      const column = cols[c];
      padded[line + c] = source < 0 || column < 0 ? 0 : gray[source * W + column] / 255;
    }
  }
  for (const kernel of cam.kernels) {
    kernel.run(padded, kernel.map, W, H, PW);
    paint(cam, kernel);
  }
}

function base64Of(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192)
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return btoa(text);
}

function sendCheck(cam) {
  // The latest frame and its first map: frames are processed whole between two events,
  // so the two always belong together.
  const map = cam.kernels[0].map, steps = new Uint8Array(map.length);
  let low = Infinity, high = -Infinity;
  for (const v of map) { if (v < low) low = v; if (v > high) high = v; }
  const scale = high > low ? 255 / (high - low) : 0;
  for (let i = 0; i < map.length; i++) steps[i] = Math.round((map[i] - low) * scale);
  cam.component.setTriggerValue("check", {
    width: cam.data.width, height: cam.data.height, kernel: cam.kernels[0].name,
    padding_mode: cam.data.padding_mode, low, high,
    gray: base64Of(cam.gray), steps: base64Of(steps),
  });
}

function describe(cam, costs) {
  const now = performance.now(), times = cam.times;
  while (times.length && now - times[0] > 2000) times.shift();
  const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  const fps = span > 0 ? (times.length - 1) * 1000 / span : 0;
  const cost = costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : 0;
  const W = cam.data.width, H = cam.data.height, n = cam.kernels.length;
  cam.root.dataset.fps = fps.toFixed(1);
  cam.root.dataset.frames = String(cam.frames);
  cam.root.dataset.msPerFrame = cost.toFixed(2);
  cam.rate.textContent = `${fps.toFixed(1)} frames a second in this browser, ` +
    `${cost.toFixed(1)} ms a frame for ${n} kernel${n > 1 ? "s" : ""} at ${W} x ${H} ` +
    `(${cam.frames} frames so far).`;
  for (const k of cam.kernels)
    k.canvas.setAttribute("aria-label", `${k.label} feature map, ${W} x ${H}, values from ` +
      `${k.low.toFixed(2)} to ${k.high.toFixed(2)} in the latest frame`);
}

function refused(cam, error) {
  const name = error && error.name;
  const why = !navigator.mediaDevices ? "This browser opens a camera only on a secure (https) " +
      "address or on this computer's own address."
    : name === "NotAllowedError" ? "The camera was refused. Allow it for this site in the " +
      "browser's address bar, then reload the page."
    : name === "NotFoundError" || name === "OverconstrainedError" ? "No camera was found."
    : name === "NotReadableError" ? "The camera is in use by another program."
    : "The camera could not be opened (" + (name || error) + ").";
  cam.status.textContent = why + " The rest of the page keeps working, and the " +
    "Convolution page takes an uploaded picture instead.";
  cam.panels.hidden = true;  // no empty pictures and no button that cannot work
  cam.root.querySelector(".cam-bar").hidden = true;
  cam.status.classList.add("cam-problem");
  cam.status.setAttribute("role", "alert");
  cam.root.dataset.camera = "refused";
}

async function start(cam) {
  try {
    if (!navigator.mediaDevices) throw new Error("insecure");
    cam.stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 30 } },
      audio: false,
    });
  } catch (error) { refused(cam, error); return; }
  const video = cam.video;
  video.srcObject = cam.stream;
  await video.play().catch(() => {});
  cam.status.textContent = "The camera runs in this browser; no video goes to the server.";
  cam.root.dataset.camera = "on";
  const costs = [];
  let lastReport = performance.now();
  const release = () => cam.stream.getTracks().forEach((track) => track.stop());
  // The page moved on (another page, or the server path chosen): give the camera back. A
  // detached video may never call back, so a timer watches as well as each frame.
  const watch = setInterval(() => {
    if (!cam.root.isConnected) { clearInterval(watch); release(); }
  }, 1000);
  const handle = (source, width, height) => {  // one frame; false once the camera stopped
    if (!cam.root.isConnected) { release(); return false; }
    const begin = performance.now();
    try {
      processFrame(cam, source, width, height);
    } catch (error) {  // said on the page, not hidden in the console
      cam.status.textContent = "The camera stopped: " + error + ". Reload the page.";
      cam.status.classList.add("cam-problem");
      clearInterval(watch);
      release();
      return false;
    }
    const end = performance.now();
    costs.push(end - begin);
    cam.times.push(end);
    cam.frames += 1;
    cam.check.disabled = false;
    if (end - lastReport > 1000) {
      describe(cam, costs.splice(0));
      lastReport = end;
    }
    return true;
  };
  const track = cam.stream.getVideoTracks()[0];
  if (window.MediaStreamTrackProcessor) {
    // Every frame the camera delivers, straight from the track: the video element's
    // callbacks come only for frames the page gets to show, fewer on a busy machine.
    const frames = new MediaStreamTrackProcessor({ track }).readable.getReader();
    for (;;) {
      const { value: frame, done } = await frames.read();
      if (done) return;
      const going = handle(frame, frame.displayWidth, frame.displayHeight);
      frame.close();
      if (!going) return;
    }
  }
  const next = () => video.requestVideoFrameCallback
    ? video.requestVideoFrameCallback(step) : requestAnimationFrame(step);
  const step = () => {
    if (video.readyState < 2) { next(); return; }
    if (handle(video, video.videoWidth, video.videoHeight)) next();
  };
  next();
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".cam");
  if (!root.cam) {
    const W = data.width, H = data.height;
    const work = document.createElement("canvas");
    work.width = W; work.height = H;
    root.cam = {
      root, video: root.querySelector(".cam-video"), panels: root.querySelector(".cam-panels"),
      status: root.querySelector(".cam-status"), rate: root.querySelector(".cam-rate"),
      check: root.querySelector(".cam-check"),
      work: work.getContext("2d", { willReadFrequently: true }),
      gray: new Uint8ClampedArray(W * H), times: [], frames: 0,
    };
    root.cam.check.addEventListener("click", () => sendCheck(root.cam));
  }
  const cam = root.cam;
  cam.component = component;  // the latest callbacks, for the listeners added once
  cam.data = data;
  configure(cam, data);
  if (!cam.started) { cam.started = true; start(cam); }
}
