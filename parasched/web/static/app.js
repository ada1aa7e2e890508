// parasched web page: progress while a solve or re-plan runs (no framework, nothing loaded from elsewhere).
(function () {
  "use strict";
  const box = document.getElementById("progress");
  if (!box || box.dataset.running !== "yes") return;
  const bar = document.getElementById("p-bar");
  const time = document.getElementById("p-time");
  const stage = document.getElementById("p-stage");
  const cover = document.getElementById("p-cover");
  const started = Date.now();
  let last = null;
  let serverElapsed = 0;

  // The page's own clock moves the bar every 200 ms, even before the solver reports anything.
  function draw() {
    if (!last) return;
    const elapsed = serverElapsed + (Date.now() - started - (last.at || 0)) / 1000;
    time.textContent = elapsed.toFixed(1) + " s (limit " + Math.round(last.limit) + " s)"
      + (elapsed > last.limit ? " · finishing: checking the new schedule" : "");
    bar.style.width = Math.min(100, (100 * elapsed) / last.limit).toFixed(1) + "%";
  }

  async function poll() {
    try {
      const r = await fetch("/progress", { cache: "no-store", credentials: "same-origin" });
      const p = await r.json();
      if (!p.running) { window.location.reload(); return; }
      last = p; last.at = Date.now() - started; serverElapsed = p.elapsed;
      stage.textContent = p.stage ? "stage: " + p.stage : "";
      if (p.covered) {
        cover.textContent = "Covered so far: " + p.covered.map((c, i) => "priority " + (i + 1) + " " + c.toFixed(1) + "%").join(", ")
          + (p.handoffs !== null && p.handoffs !== undefined ? "; handoffs " + p.handoffs : "");
      }
    } catch (e) {
      stage.textContent = "(waiting for the server)";
    }
    setTimeout(poll, 500);
  }
  setInterval(draw, 200);
  poll();
})();
