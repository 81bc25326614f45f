// KetaCare's one script: progressive enhancement only. Every form works without it.
(function () {
    "use strict";

    // Language switch submits on change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
        el.addEventListener("change", function () { el.form.submit(); });
    });

    // Running clocks: <span data-clock-since="ISO-8601 UTC"> shows h:mm:ss elapsed since then.
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
        document.querySelectorAll("[data-clock-since]").forEach(function (el) {
            var since = Date.parse(el.getAttribute("data-clock-since"));
            if (isNaN(since)) { return; }
            var s = Math.max(0, Math.floor((Date.now() - since) / 1000));
            el.textContent = Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
        });
        document.querySelectorAll("[data-clock-now]").forEach(function (el) {
            var d = new Date();
            el.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
        });
    }
    tick();
    setInterval(tick, 1000);

    // Copy a field's text: <button data-copy="id of the input">; the field stays selectable without script.
    document.querySelectorAll("[data-copy]").forEach(function (el) {
        el.addEventListener("click", function () {
            var field = document.getElementById(el.getAttribute("data-copy"));
            if (!field) { return; }
            field.select();
            if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
        });
    });

    // Confirm dangerous actions: <button data-confirm="text">.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
        el.addEventListener("click", function (e) {
            if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); }
        });
    });

    // Keyboard: Alt+V focuses the first vital-sign field (data-shortcut="v"), Alt+N the next marked field.
    document.addEventListener("keydown", function (e) {
        if (!e.altKey) { return; }
        var target = document.querySelector("[data-shortcut='" + e.key.toLowerCase() + "']");
        if (target) { e.preventDefault(); target.focus(); }
    });

    // Pages that show live state can ask to be refreshed: <meta name="ketacare-refresh" content="seconds">
    // only while no form field has focus or unsaved input, so nothing typed is lost.
    var refresh = document.querySelector("meta[name='ketacare-refresh']");
    if (refresh) {
        var dirty = false;
        document.addEventListener("input", function () { dirty = true; });
        setInterval(function () {
            var active = document.activeElement;
            var typing = active && /INPUT|SELECT|TEXTAREA/.test(active.tagName);
            if (!dirty && !typing) { window.location.reload(); }
        }, Math.max(10, parseInt(refresh.getAttribute("content"), 10) || 30) * 1000);
    }
})();
