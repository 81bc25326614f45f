// Simulator page: follows a background population run (progress bar, cancel) and shows its bands when done.
// Progressive enhancement: without this script the page says to reload, and reloading shows the result.
(function () {
    "use strict";

    var job = document.querySelector("[data-testid='sim-pop-job'][data-status-url]");
    var running = job && job.querySelector("[data-testid='sim-pop-running']");
    if (!running) { return; }

    var status = running.querySelector("[data-testid='sim-pop-status']");
    var bar = running.querySelector("[data-testid='sim-pop-progress']");
    var done = job.querySelector("[data-testid='sim-pop-done']");
    var form = running.querySelector("[data-testid='sim-pop-cancel-form']");
    var stopped = false;
    var delay = 200;

    function say(text) { status.textContent = text; }

    function finish(text) {
        stopped = true;
        bar.hidden = true;
        form.hidden = true;
        if (text) { say(text); }
    }

    function show(data) {
        var title = job.querySelector("[data-testid='sim-pop-title']");
        if (title && data.title) { title.textContent = data.title; }
        var img = document.createElement("img");
        img.className = "chart";
        img.src = data.chart;
        img.alt = job.getAttribute("data-chart-alt");
        img.width = 960;
        img.height = 480;
        img.setAttribute("data-testid", "sim-chart-population");
        done.appendChild(img);
        (data.warnings || []).forEach(function (w) {
            var p = document.createElement("p");
            p.className = "flash warn";
            p.setAttribute("data-testid", "sim-pop-warning");
            p.textContent = w;
            done.appendChild(p);
        });
        running.hidden = true;
        done.hidden = false;
    }

    function poll() {
        if (stopped) { return; }
        fetch(job.getAttribute("data-status-url"), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
            .then(function (data) {
                if (stopped) { return; }
                if (data.state === "done") { stopped = true; show(data); return; }
                if (data.state === "cancelled") { finish(job.getAttribute("data-text-cancelled")); return; }
                if (data.state === "failed" || data.state === "busy") { finish(data.error || job.getAttribute("data-text-failed")); return; }
                bar.value = data.percent;
                bar.textContent = data.percent + " %";
                say(job.getAttribute("data-text-running").replace("{0}", data.percent));
                // Quick at first (small runs end within a second), then no more than once a second.
                delay = Math.min(1000, delay * 1.5);
                setTimeout(poll, delay);
            })
            .catch(function () { finish(job.getAttribute("data-text-failed")); });
    }

    form.addEventListener("submit", function (e) {
        e.preventDefault();
        stopped = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
            .then(function () { finish(job.getAttribute("data-text-cancelled")); })
            .catch(function () { finish(job.getAttribute("data-text-failed")); });
    });

    setTimeout(poll, delay);
})();
