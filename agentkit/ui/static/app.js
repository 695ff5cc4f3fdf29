// agentkit ui: a small single-page front end over the JSON API (no framework, no CDN).
"use strict";

const main = document.getElementById("main");
const state = { token: null, write: false, cleanup: [] };

// the write token arrives in the URL fragment (#token=...), never sent to the server
(function takeToken() {
  const match = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (match) {
    sessionStorage.setItem("agentkit-token", match[1]);
    history.replaceState(null, "", location.pathname + "#/runs");
  }
  state.token = sessionStorage.getItem("agentkit-token");
})();

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function qs(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) search.set(key, value);
  }
  return search.toString();
}

const fmt = {
  time: (t) => (t ? new Date(t * 1000).toLocaleString() : ""),
  num: (x, digits = 2) => (x === null || x === undefined ? "" : Number(x).toFixed(digits).replace(/\.?0+$/, "")),
  badge: (text, cls) => h("span", { class: `badge ${cls ?? text}` }, String(text)),
  short: (text, n = 90) => { text = String(text ?? ""); return text.length > n ? text.slice(0, n) + "…" : text; },
};

function page(title, ...children) {
  main.replaceChildren(h("h1", {}, title), ...children);
}

function pager(total, offset, limit, go) {
  return h("div", { class: "pager" },
    h("button", { disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, "‹ prev"),
    h("span", { class: "muted", id: "pager-label" },
      total ? `${offset + 1}–${Math.min(total, offset + limit)} of ${total}` : "none"),
    h("button", { disabled: offset + limit >= total, onclick: () => go(offset + limit) }, "next ›"));
}

function table(headers, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))), h("tbody", {}, rows));
}

function select(id, label, choices, value) {
  return h("select", { id, "aria-label": label },
    h("option", { value: "" }, `${label}: all`),
    choices.map((c) => h("option", { value: c, selected: c === value }, c)));
}

// ------------------------------------------------------------------ runs
async function runsPage(params) {
  const filters = { env: params.get("env") || "", status: params.get("status") || "",
    kind: params.get("kind") || "", q: params.get("q") || "" };
  const offset = Number(params.get("offset") || 0);
  const limit = 100;
  const data = await api(`/api/runs?${qs({ ...filters, offset, limit })}`);
  const go = (changes) => { location.hash = `#/runs?${qs({ ...filters, offset: 0, ...changes })}`; };
  const search = h("input", { id: "run-search", placeholder: "search id, task, model", value: filters.q });
  search.addEventListener("change", () => go({ q: search.value }));
  const bar = h("div", { class: "filters" },
    select("filter-env", "environment", data.facets.env, filters.env),
    select("filter-status", "status", data.facets.status, filters.status),
    select("filter-kind", "kind", data.facets.kind, filters.kind), search);
  for (const [id, key] of [["filter-env", "env"], ["filter-status", "status"], ["filter-kind", "kind"]]) {
    bar.querySelector(`#${id}`).addEventListener("change", (e) => go({ [key]: e.target.value }));
  }
  const rows = data.runs.map((r) => h("tr", { "data-run": r.id },
    h("td", {}, h("a", { href: `#/run/${encodeURIComponent(r.id)}` }, r.id)),
    h("td", {}, r.kind), h("td", {}, r.env ?? ""), h("td", {}, fmt.short(r.task, 60)),
    h("td", {}, r.model ?? ""), h("td", {}, fmt.badge(r.status)),
    h("td", {}, r.resumable ? "yes" : ""), h("td", {}, r.steps ?? ""),
    h("td", {}, r.achievements ? r.achievements.length : ""),
    h("td", {}, r.wall_s ? `${fmt.num(r.wall_s, 1)} s` : ""),
    state.write ? h("td", {}, h("button", { class: "delete", onclick: () => deleteRun(r.id) }, "delete")) : null));
  page(`Runs (${data.total})`, bar,
    table(["run", "kind", "env", "task", "model", "status", "resumable", "steps", "achievements", "wall",
      state.write ? "" : null].filter((x) => x !== null), rows),
    pager(data.total, offset, limit, (o) => go({ offset: o })));
}

async function deleteRun(id) {
  if (!confirm(`Delete run ${id} and all its files?`)) return;
  try {
    await api(`/api/runs/${encodeURIComponent(id)}`, { method: "DELETE", headers: { "X-Agentkit-Token": state.token || "" } });
    route();
  } catch (error) { alert(error.message); }
}

// ------------------------------------------------------------------ one run: replay + live
const PAGE = 100;

async function runPage(id) {
  const run = await api(`/api/runs/${encodeURIComponent(id)}`);
  const cache = new Map();
  const loading = new Map();
  let total = run.lines;
  let current = total ? 0 : -1;
  let timer = null;
  let follow = run.row.status === "running";
  const base = `/api/runs/${encodeURIComponent(id)}`;

  const frame = h("img", { class: "frame", id: "frame", alt: "frame" });
  const noFrame = h("div", { class: "frame noframe", id: "noframe", hidden: true }, "no frame");
  // a world that renders no frames but has a live view shows that instead of a blank box
  frame.addEventListener("error", () => { frame.hidden = true; noFrame.hidden = Boolean(liveView); });
  frame.addEventListener("load", () => { frame.hidden = false; noFrame.hidden = true; });
  const scrubber = h("input", { type: "range", id: "scrubber", min: 0, max: Math.max(0, total - 1), value: 0, "aria-label": "step" });
  const position = h("span", { id: "position" }, "");
  const playButton = h("button", { id: "play", title: "play/pause (space)" }, "▶ play");
  const speed = h("select", { id: "speed", "aria-label": "speed" },
    [["2", "2 steps/s"], ["5", "5 steps/s"], ["10", "10 steps/s"], ["30", "30 steps/s"]].map(([v, t]) => h("option", { value: v, selected: v === "5" }, t)));
  const liveLabel = h("span", { id: "live-status", class: "live" }, "");
  const detail = h("div", { id: "step-detail", class: "card" }, h("p", { class: "muted" }, "no steps yet"));
  const listBody = h("tbody", { id: "step-list" });
  // The world's own live view (Minecraft: prismarine-viewer's 3D page, served by the bridge
  // on localhost) while the run is in progress; it closes with the run's world.
  const liveView = run.live_view && run.row.status !== "complete"
    ? h("div", { class: "card live-view", id: "live-view" },
      h("h3", {}, "live view ", h("a", { href: run.live_view, target: "_blank", rel: "noopener" }, "open in its own tab")),
      h("iframe", { id: "live-view-frame", src: run.live_view, title: "live view of the world" }))
    : null;

  async function fetchPage(p) {
    if (loading.has(p)) return loading.get(p);
    const promise = api(`${base}/steps?start=${p * PAGE}&count=${PAGE}`).then((data) => {
      total = Math.max(total, data.total);
      for (const record of data.steps) cache.set(record._index, record);
    }).finally(() => loading.delete(p));
    loading.set(p, promise);
    return promise;
  }

  async function record(i) {
    if (!cache.has(i)) await fetchPage(Math.floor(i / PAGE));
    return cache.get(i);
  }

  function kv(pairs) {
    return h("dl", { class: "kv" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  }

  function renderDetail(r) {
    const action = r.argument !== null && r.argument !== undefined && r.argument !== "" ? `${r.action}(${r.argument})` : r.action;
    detail.replaceChildren(h("div", {},
      h("h2", { id: "step-title" }, `step ${r.step ?? r._index} · episode ${r.episode ?? 0}`),
      kv([
        ["task", r.task],
        ["plan (sub-goal)", h("span", { id: "step-subgoal" }, r.subgoal ?? "")],
        ["action", h("b", { id: "step-action" }, action ?? "")],
        ["ok", h("span", { id: "step-ok" }, fmt.badge(r.ok === true ? "ok" : r.ok === false ? "failed" : "?", r.ok === true ? "ok" : r.ok === false ? "bad" : "none"))],
        ["feedback", h("span", { id: "step-feedback" }, r.feedback ?? "")],
        ["reason", r.reason],
        ["events", (r.events || []).join(", ")],
        ["reward", r.reward === undefined ? "" : fmt.num(r.reward, 3)],
        ["fallback", r.fallback ? "yes (the model's reply was not usable)" : ""],
        ["env steps", r.env_steps],
        ["LLM", r.llm_calls !== undefined ? `${r.llm_calls} calls, ${fmt.num(r.llm_seconds, 1)} s, ${r.llm_tokens} tokens (episode so far)` : ""],
      ]),
      r.percept ? h("details", { open: true }, h("summary", {}, "percept"), h("pre", { id: "step-percept" }, typeof r.percept === "string" ? r.percept : JSON.stringify(r.percept, null, 1))) : null,
      h("details", { open: true }, h("summary", {}, "prompt"), h("pre", { id: "step-prompt" }, r.prompt ?? "(none recorded)")),
      h("details", { open: true }, h("summary", {}, "reply"), h("pre", { id: "step-reply" }, r.reply ?? "(none recorded)")),
      r.info && Object.keys(r.info).length ? h("details", {}, h("summary", {}, "info"), h("pre", {}, JSON.stringify(r.info, null, 1))) : null));
  }

  function renderList() {
    const from = Math.max(0, current - 10);
    const to = Math.min(total, from + 30);
    const rows = [];
    for (let i = from; i < to; i++) {
      const r = cache.get(i);
      rows.push(h("tr", { class: i === current ? "current" : "", "data-index": i, onclick: () => show(i) },
        h("td", {}, r ? r.step ?? i : i), h("td", {}, r ? `${r.action ?? ""}${r.argument ? "(" + r.argument + ")" : ""}` : "…"),
        h("td", {}, r ? (r.ok ? "✓" : "✗") : ""), h("td", {}, r ? fmt.short(r.feedback, 70) : "")));
    }
    listBody.replaceChildren(...rows);
  }

  let wanted = -1;
  async function show(i) {
    if (total === 0) return;
    i = Math.max(0, Math.min(total - 1, i));
    wanted = i;
    current = i;
    scrubber.max = Math.max(0, total - 1);
    scrubber.value = i;
    position.textContent = `${i + 1} / ${total}`;
    const r = await record(i);
    if (wanted !== i || !r) return; // a later request won
    frame.src = `${base}/frames/${r.episode ?? 0}/${r.step ?? i + 1}.png`;
    renderDetail(r);
    renderList();
    const next = Math.floor((i + 50) / PAGE);
    if (next * PAGE < total && !cache.has(next * PAGE)) fetchPage(next);
  }

  function play(on) {
    clearInterval(timer);
    timer = null;
    playButton.textContent = on ? "⏸ pause" : "▶ play";
    if (!on) return;
    timer = setInterval(() => {
      if (current >= total - 1) { if (!follow) play(false); return; }
      show(current + 1);
    }, 1000 / Number(speed.value));
  }
  playButton.addEventListener("click", () => play(!timer));
  speed.addEventListener("change", () => { if (timer) play(true); });
  scrubber.addEventListener("input", () => { follow = false; show(Number(scrubber.value)); });

  function onKey(event) {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) && event.target !== scrubber) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves) { follow = false; show(current + moves[event.key]); }
    else if (event.key === "Home") { follow = false; show(0); }
    else if (event.key === "End") show(total - 1);
    else if (event.key === " ") play(!timer);
    else return;
    event.preventDefault();
  }
  document.addEventListener("keydown", onKey);
  state.cleanup.push(() => { document.removeEventListener("keydown", onKey); play(false); });

  // live: follow the trajectory while the run is in progress
  function goLive() {
    const source = new EventSource(`${base}/live?from=${total}`);
    state.cleanup.push(() => source.close());
    liveLabel.textContent = "● live";
    source.addEventListener("step", (event) => {
      const r = JSON.parse(event.data);
      cache.set(r._index, r);
      total = Math.max(total, r._index + 1);
      document.getElementById("run-steps").textContent = String(total);
      scrubber.max = Math.max(0, total - 1);
      if (follow || current < 0) show(total - 1);
      else position.textContent = `${current + 1} / ${total}`;
    });
    source.addEventListener("status", (event) => {
      const row = JSON.parse(event.data);
      statusBadge.replaceChildren(fmt.badge(row.status));
    });
    source.addEventListener("end", () => {
      source.close();
      liveLabel.textContent = `run ended · ${total} steps`;
      liveLabel.dataset.ended = "1";
      statusBadge.replaceChildren(fmt.badge("complete"));
      if (liveView) liveView.replaceChildren(h("p", { class: "muted", id: "live-view-closed" }, "the live view closed with the run"));
    });
    source.addEventListener("reset", () => { source.close(); route(); });
  }

  const statusBadge = h("span", { id: "run-status" }, fmt.badge(run.row.status));
  const s = run.summary || {};
  const c = run.config || {};
  const header = h("div", { class: "card" }, kv([
    ["status", statusBadge],
    ["environment", c.env], ["task", c.task || c.tasks], ["model", s.model && s.model !== c.model ? `${c.model} (ran: ${s.model})` : c.model], ["seed", c.seed],
    ["steps", h("span", { id: "run-steps" }, String(s.steps ?? Math.max(run.row.steps || 0, total)))],
    ["resumable", run.row.resumable ? `yes: agentkit ${run.row.kind === "learn" ? "learn" : "run"} --resume ${id}` : "no"],
    ["wall", s.wall_s ? `${fmt.num(s.wall_s, 1)} s` : ""],
    ["LLM calls", s.llm_calls],
    ["achievements", (run.row.achievements || []).join(", ")],
    ["tasks completed", s.tasks_completed !== undefined ? `${s.tasks_completed} of ${s.iterations} attempts` : ""],
    ["replay GIF", run.row.has_gif ? h("a", { href: `${base}/replay.gif`, target: "_blank" }, "replay.gif") : ""],
  ]));
  page(`Run ${id}`, header,
    h("h2", {}, "Replay ", liveLabel),
    h("div", { class: "controls" },
      h("button", { id: "first", title: "first (Home)", onclick: () => { follow = false; show(0); } }, "|◀"),
      h("button", { id: "prev", title: "previous (←)", onclick: () => { follow = false; show(current - 1); } }, "◀"),
      playButton,
      h("button", { id: "next", title: "next (→)", onclick: () => { follow = false; show(current + 1); } }, "▶"),
      h("button", { id: "last", title: "last (End)", onclick: () => show(total - 1) }, "▶|"),
      scrubber, position, speed),
    h("p", { class: "muted" }, "keys: ← → step, PageUp/PageDown ±10, Home/End, space play/pause"),
    h("div", { class: "replay" },
      h("div", {}, liveView, frame, noFrame,
        h("div", { class: "steps" }, table(["step", "action", "ok", "feedback"], []))),
      detail));
  main.querySelector(".steps tbody").replaceWith(listBody);
  if (total > 0) await show(follow ? total - 1 : 0); // a run in progress opens at its latest step
  else position.textContent = "0 / 0";
  if (run.row.status !== "complete") goLive();
}

// ------------------------------------------------------------------ skills
async function skillsPage(params) {
  const filters = { q: params.get("q") || "", env: params.get("env") || "" };
  const offset = Number(params.get("offset") || 0);
  const limit = 50;
  const data = await api(`/api/skills?${qs({ ...filters, offset, limit })}`);
  const go = (changes) => { location.hash = `#/skills?${qs({ ...filters, offset: 0, ...changes })}`; };
  const search = h("input", { id: "skill-search", placeholder: "search names", value: filters.q });
  search.addEventListener("change", () => go({ q: search.value }));
  const env = select("skill-env", "environment", data.environments, filters.env);
  env.addEventListener("change", () => go({ env: env.value }));
  const importer = state.write ? h("label", {}, "import pack ",
    h("input", { type: "file", id: "skill-import", accept: ".json", onchange: (e) => importPack(e.target.files[0]) })) : null;
  const rows = data.skills.map((s) => h("tr", { "data-skill": s.name },
    h("td", {}, h("a", { href: `#/skill/${encodeURIComponent(s.name)}` }, s.name)),
    h("td", {}, `v${s.version}`), h("td", {}, s.environment), h("td", {}, fmt.short(s.description, 80)),
    h("td", {}, s.verified ? fmt.badge("verified", "ok") : fmt.badge("unverified", "none")),
    h("td", {}, `${s.successes} / ${s.failures}`), h("td", {}, fmt.time(s.created))));
  page(`Skills (${data.total})`, h("div", { class: "filters" }, search, env, importer),
    table(["name", "latest", "env", "description", "verdict", "successes / failures", "created"], rows),
    pager(data.total, offset, limit, (o) => go({ offset: o })));
}

async function importPack(file) {
  if (!file) return;
  try {
    const counts = await api("/api/skills/import", { method: "POST", body: await file.text(),
      headers: { "X-Agentkit-Token": state.token || "", "Content-Type": "application/json" } });
    alert(`imported: ${counts.added} added, ${counts.versioned} new versions, ${counts.unchanged} unchanged`);
    route();
  } catch (error) { alert(error.message); }
}

async function skillPage(name) {
  const data = await api(`/api/skills/${encodeURIComponent(name)}`);
  const lineage = h("div", { class: "lineage", id: "lineage" }, data.versions.flatMap((v, i) => [
    i ? "→" : null, h("a", { href: `#v${v.version}`, onclick: (e) => { e.preventDefault(); document.getElementById(`v${v.version}`).scrollIntoView(); } },
      `v${v.version}${v.parent_version ? ` (from v${v.parent_version})` : ""}`)]));
  const versions = [...data.versions].reverse().map((v) => h("div", { class: "card", id: `v${v.version}`, style: "margin:.6rem 0" },
    h("h2", {}, `${v.ref} `, v.verified ? fmt.badge("verified", "ok") : fmt.badge("unverified", "none")),
    h("p", {}, v.description),
    h("p", { class: "muted" }, `${v.environment} · ${v.language} · ${v.successes} successes, ${v.failures} failures · created ${fmt.time(v.created)}`,
      v.episode ? [" · learned in ", h("a", { href: `#/run/${encodeURIComponent(v.episode.split(":")[0])}` }, v.episode)] : ""),
    h("pre", { class: "code" }, v.code),
    v.verdicts.length ? table(["success", "source", "critique"], v.verdicts.map((d) => h("tr", {},
      h("td", {}, fmt.badge(String(d.success), String(d.success))), h("td", {}, d.source ?? d.reasoning ?? ""),
      h("td", {}, fmt.short(d.critique ?? "", 160))))) : h("p", { class: "muted" }, "no verdicts")));
  page(`Skill ${name}`, h("div", { class: "card" }, h("b", {}, "lineage: "), lineage),
    h("h2", {}, "Episodes that produced it"), episodeTable(data.episodes), ...versions);
}

// ------------------------------------------------------------------ episodes
function episodeTable(episodes) {
  return table(["episode", "task", "success", "skill", "plan", "critique"], episodes.map((e) => h("tr", { "data-episode": e.id },
    h("td", {}, h("a", { href: `#/run/${encodeURIComponent(e.run_id)}` }, e.id)),
    h("td", {}, e.task), h("td", {}, fmt.badge(String(e.success), String(e.success))),
    h("td", {}, e.skill ? h("a", { href: `#/skill/${encodeURIComponent(e.skill.split("@")[0])}` }, e.skill) : ""),
    h("td", {}, (e.plan || []).join(" → ")), h("td", {}, fmt.short(e.critique, 120)))));
}

async function episodesPage(params) {
  const filters = { q: params.get("q") || "", success: params.get("success") || "", run: params.get("run") || "" };
  const offset = Number(params.get("offset") || 0);
  const limit = 50;
  const data = await api(`/api/episodes?${qs({ ...filters, offset, limit })}`);
  const go = (changes) => { location.hash = `#/episodes?${qs({ ...filters, offset: 0, ...changes })}`; };
  const search = h("input", { id: "episode-search", placeholder: "search tasks", value: filters.q });
  search.addEventListener("change", () => go({ q: search.value }));
  const success = select("episode-success", "success", ["true", "false"], filters.success);
  success.addEventListener("change", () => go({ success: success.value }));
  page(`Episodes (${data.total})`, h("div", { class: "filters" }, search, success,
    filters.run ? h("span", {}, `run ${filters.run} `, h("a", { href: "#/episodes" }, "(all)")) : null),
    episodeTable(data.episodes), pager(data.total, offset, limit, (o) => go({ offset: o })));
}

// ------------------------------------------------------------------ charts
const COLORS = ["#2456c8", "#c8552f", "#1d7a3a", "#8a3ab9", "#b8860b", "#127a8a", "#c2185b", "#555"];

function lineChart(title, seriesByLabel, xLabel, yLabel) {
  const labels = Object.keys(seriesByLabel);
  const length = Math.max(0, ...labels.map((l) => seriesByLabel[l].length));
  const xs = Array.from({ length }, (_, i) => i + 1);
  const data = [xs, ...labels.map((l) => xs.map((_, i) => seriesByLabel[l][i] ?? null))];
  const box = h("div", { class: "chart" });
  const width = Math.min(900, main.clientWidth - 40);
  new uPlot({ title, width, height: 280,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { label: yLabel }],
    series: [{ label: xLabel }, ...labels.map((l, i) => ({ label: l, stroke: COLORS[i % COLORS.length], width: 2, points: { show: length < 60 } }))],
  }, data, box);
  return box;
}

function barChart(title, labels, values) {
  const xs = labels.map((_, i) => i);
  const box = h("div", { class: "chart" });
  const width = Math.min(900, main.clientWidth - 40);
  new uPlot({ title, width, height: 300,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [{ values: (u, ticks) => ticks.map((t) => labels[t] ?? ""), rotate: -45, size: 90, space: 10,
      incrs: [1] }, { label: "%" }],
    series: [{ label: "achievement", value: (u, v) => labels[v] ?? "" },
      { label: "success rate", stroke: COLORS[0], fill: COLORS[0] + "88", paths: uPlot.paths.bars({ size: [0.7] }), points: { show: false } }],
  }, [xs, values], box);
  return box;
}

async function learningPage() {
  const data = await api("/api/learning");
  if (!data.runs.length) { page("Learning", h("p", { class: "muted" }, "No finished lifelong runs (agentkit learn) in this home.")); return; }
  const completed = Object.fromEntries(data.runs.map((r) => [r.label, r.curve]));
  const accepted = Object.fromEntries(data.runs.map((r) => [r.label, r.accepted_curve]));
  page("Learning", h("div", { id: "learning-charts" },
    lineChart("tasks completed (verified by the world)", completed, "task attempt", "tasks"),
    lineChart("tasks accepted by the agent's critic", accepted, "task attempt", "tasks")),
  table(["run", "env", "tasks completed", "skills learned", "LLM calls"], data.runs.map((r) => h("tr", {},
    h("td", {}, h("a", { href: `#/run/${encodeURIComponent(r.id)}` }, r.id)), h("td", {}, r.env),
    h("td", {}, r.tasks_completed), h("td", {}, r.skills_learned.join(", ")), h("td", {}, r.llm_calls)))));
}

async function benchPage() {
  const data = await api("/api/bench");
  const blocks = data.results.map((r) => h("div", { class: "card bench-result", style: "margin:.8rem 0" },
    h("h2", {}, r.name), h("p", { class: "muted" }, `${r.path} · ${fmt.time(r.modified)}`),
    r.charts.map((c) => c.type === "bars" ? barChart(c.title, c.labels, c.values) : lineChart(c.title, c.series, "attempt", "tasks")),
    h("details", {}, h("summary", {}, `${r.numbers.length} figures`),
      table(["field", "value"], r.numbers.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, fmt.num(v, 4))))))));
  page(`Bench results (${data.results.length})`, h("p", { class: "muted" }, `from ${data.folders.join(", ")}`), ...blocks);
}

async function pluginsPage() {
  const data = await api("/api/plugins");
  page("Plugins",
    table(["plugin", "version", "built in", "hooks"], data.plugins.map((p) => h("tr", {},
      h("td", {}, p.name), h("td", {}, p.version), h("td", {}, p.builtin ? "yes" : ""), h("td", {}, p.hooks.join(", "))))),
    h("div", { class: "grid2" },
      h("div", {}, h("h2", {}, "Environments"), h("p", {}, data.environments.join(", "))),
      h("div", {}, h("h2", {}, "Models"), h("p", {}, data.models.join(", "))),
      h("div", {}, h("h2", {}, "Embedders"), h("p", {}, data.embedders.join(", "))),
      h("div", {}, h("h2", {}, "Perceivers and tools"), h("p", {}, [...data.perceivers, ...data.tools].join(", ")))),
    data.failures.length ? [h("h2", { class: "error" }, "Failed to load"), table(["plugin", "stage", "error"],
      data.failures.map((f) => h("tr", {}, h("td", {}, f.plugin), h("td", {}, f.stage), h("td", {}, f.error))))] : null);
}

// ------------------------------------------------------------------ router
async function route() {
  for (const undo of state.cleanup.splice(0)) undo();
  const [path, query] = (location.hash.slice(1) || "/runs").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll("header nav a").forEach((a) =>
    a.classList.toggle("active", a.dataset.page === parts[0] || (a.dataset.page === "runs" && parts[0] === "run")));
  try {
    switch (parts[0]) {
      case "run": await runPage(parts.slice(1).join("/")); break;
      case "skills": await skillsPage(params); break;
      case "skill": await skillPage(parts.slice(1).join("/")); break;
      case "episodes": await episodesPage(params); break;
      case "learning": await learningPage(); break;
      case "bench": await benchPage(); break;
      case "plugins": await pluginsPage(); break;
      default: await runsPage(params);
    }
    document.body.dataset.ready = location.hash;
  } catch (error) {
    page("Error", h("p", { class: "error" }, error.message));
  }
}

api("/api/overview").then((o) => {
  state.write = o.write && !!state.token;
  document.getElementById("home").textContent =
    `${o.home} · ${o.runs} runs · ${o.memory.skills} skills · ${o.memory.episodes} episodes${o.write ? " · writes allowed" : " · read-only"}`;
  window.addEventListener("hashchange", route);
  route();
});
