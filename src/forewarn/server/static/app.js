// forewarn page: send a story to this server's /v1/scan and draw the warning card.
// Story data is untrusted: every piece of it reaches the page through textContent or
// setAttribute on safe attributes, never as markup.
"use strict";

(function () {
  const AVOID_KEY = "forewarn.avoid";
  const SEVERITIES = ["mentioned", "depicted", "graphic"];
  const SEVERITY_WORDS = {
    mentioned: "mentioned",
    depicted: "depicted",
    graphic: "graphic",
  };
  const FROM_WORDS = {
    mentioned: "any mention",
    depicted: "on the page or worse",
    graphic: "graphic only",
  };

  const $ = (id) => document.getElementById(id);
  let taxonomy = { groups: [], categories: [], severities: SEVERITIES };
  let chosenFile = null;

  // ---- small DOM helpers -------------------------------------------------------------
  function el(tag, options, children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.text !== undefined) node.textContent = String(opts.text);
    if (opts.className) node.className = opts.className;
    if (opts.attrs) {
      for (const [name, value] of Object.entries(opts.attrs)) node.setAttribute(name, String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function percent(value) {
    return Math.round(Math.max(0, Math.min(1, Number(value) || 0)) * 100);
  }

  function safeId(text) {
    return String(text).replace(/[^a-z0-9-]/gi, "-");
  }

  // ---- avoid-list (localStorage) -------------------------------------------------------
  function loadAvoid() {
    try {
      const stored = JSON.parse(localStorage.getItem(AVOID_KEY) || "{}");
      const avoid = {};
      for (const [category, severity] of Object.entries(stored)) {
        if (SEVERITIES.includes(severity)) avoid[category] = severity;
      }
      return avoid;
    } catch (error) {
      return {};
    }
  }

  function saveAvoid(avoid) {
    try {
      localStorage.setItem(AVOID_KEY, JSON.stringify(avoid));
    } catch (error) {
      // Storage may be disabled; the list still works for this page view.
    }
    showAvoidSummary(avoid);
  }

  function categoryName(id) {
    const found = taxonomy.categories.find((c) => c.id === id);
    return found ? found.name : id;
  }

  function showAvoidSummary(avoid) {
    const ids = Object.keys(avoid);
    $("avoid-summary").textContent = ids.length
      ? ids.map((id) => `${categoryName(id)} (${FROM_WORDS[avoid[id]]})`).join(", ")
      : "nothing yet";
  }

  function avoidItems() {
    return Object.entries(loadAvoid()).map(([category, severity]) => `${category}:${severity}`);
  }

  function buildAvoidForm() {
    const avoid = loadAvoid();
    const holder = $("avoid-groups");
    clear(holder);
    for (const group of taxonomy.groups) {
      const members = taxonomy.categories.filter((c) => c.group === group.id);
      if (!members.length) continue;
      const fieldset = el("fieldset", { className: "avoid-group" }, [el("legend", { text: group.name })]);
      for (const category of members) {
        const boxId = `avoid-${safeId(category.id)}`;
        const box = el("input", { attrs: { type: "checkbox", id: boxId } });
        box.checked = category.id in avoid;
        const select = el("select", { attrs: { id: `${boxId}-from`, "aria-label": `${category.name}: avoid from` } });
        for (const severity of SEVERITIES) {
          const option = el("option", { text: FROM_WORDS[severity], attrs: { value: severity } });
          option.selected = (avoid[category.id] || "mentioned") === severity;
          select.append(option);
        }
        select.disabled = !box.checked;
        const update = () => {
          const current = loadAvoid();
          if (box.checked) current[category.id] = select.value;
          else delete current[category.id];
          select.disabled = !box.checked;
          saveAvoid(current);
        };
        box.addEventListener("change", update);
        select.addEventListener("change", update);
        const label = el("label", { attrs: { for: boxId, title: category.definition } }, [
          document.createTextNode(category.name),
        ]);
        fieldset.append(el("div", { className: "avoid-row" }, [box, label, select]));
      }
      holder.append(fieldset);
    }
    showAvoidSummary(avoid);
  }

  async function loadTaxonomy() {
    try {
      const response = await fetch("/v1/categories", { headers: { Accept: "application/json" } });
      if (response.ok) taxonomy = await response.json();
    } catch (error) {
      // The avoid-list editor stays empty; scanning still works.
    }
    buildAvoidForm();
  }

  // ---- input: file chooser, drop zone, text ----------------------------------------------
  function chooseFile(file) {
    chosenFile = file || null;
    $("file-chosen").textContent = chosenFile
      ? `Chosen: ${chosenFile.name} (${Math.max(1, Math.round(chosenFile.size / 1024))} KB)`
      : "";
    $("clear-file").hidden = !chosenFile;
  }

  function wireInput() {
    const zone = $("dropzone");
    $("file").addEventListener("change", (event) => chooseFile(event.target.files[0]));
    $("clear-file").addEventListener("click", () => {
      $("file").value = "";
      chooseFile(null);
      $("file").focus();
    });
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    }
    for (const type of ["dragleave", "drop"]) {
      zone.addEventListener(type, () => zone.classList.remove("dragging"));
    }
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) chooseFile(event.dataTransfer.files[0]);
    });
    $("avoid-clear").addEventListener("click", () => {
      saveAvoid({});
      buildAvoidForm();
    });
    $("scan-form").addEventListener("submit", (event) => {
      event.preventDefault();
      runScan();
    });
  }

  // ---- scanning ------------------------------------------------------------------------
  function buildRequest() {
    const avoid = avoidItems();
    if (chosenFile) {
      const form = new FormData();
      form.append("file", chosenFile, chosenFile.name);
      form.append("spoilers", "true");
      if (avoid.length) form.append("avoid", avoid.join(","));
      return { method: "POST", body: form };
    }
    return {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: $("text").value, avoid: avoid, spoilers: true }),
    };
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  async function problemMessage(response) {
    try {
      const problem = await response.json();
      if (problem && typeof problem.detail === "string") return problem.detail;
    } catch (error) {
      // not JSON
    }
    return `The server answered ${response.status}.`;
  }

  async function runScan() {
    $("error").hidden = true;
    if (!chosenFile && !$("text").value.trim()) {
      showError("Choose or drop a story file, or paste some story text first.");
      $("file").focus();
      return;
    }
    const button = $("scan-button");
    const progress = $("progress");
    const started = Date.now();
    button.disabled = true;
    progress.hidden = false;
    $("result").setAttribute("aria-busy", "true");
    $("progress-text").textContent = "Reading the story…";
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      $("progress-text").textContent = `Reading the story… ${seconds} s`;
    }, 1000);
    try {
      const response = await fetch("/v1/scan", buildRequest());
      if (!response.ok) {
        showError(await problemMessage(response));
        return;
      }
      renderReport(await response.json());
    } catch (error) {
      showError("Could not reach the forewarn server. Is `forewarn serve` still running?");
    } finally {
      clearInterval(timer);
      progress.hidden = true;
      button.disabled = false;
      $("result").removeAttribute("aria-busy");
    }
  }

  // ---- the warning card --------------------------------------------------------------------
  function severityBadge(severity) {
    return el("span", { className: `sev sev-${severity}`, text: SEVERITY_WORDS[severity] || severity });
  }

  function renderVerdict(report) {
    const box = $("verdict");
    clear(box);
    const verdict = report.verdict;
    if (!verdict) {
      box.className = "verdict verdict-none";
      box.append(
        el("p", { className: "verdict-title", text: "No avoid-list set" }),
        el("p", { text: "Set your avoid-list above to get a verdict made for you." }),
      );
      return;
    }
    const titles = {
      "not-safe": "Verdict: not safe",
      "safe-until": `Verdict: safe until chapter ${verdict.safe_until_chapter}`,
      "nothing-detected": "Verdict: nothing on your list detected",
    };
    box.className = `verdict verdict-${verdict.status}`;
    box.append(
      el("p", { className: "verdict-title", text: titles[verdict.status] || verdict.status }),
      el("p", { text: verdict.summary }),
    );
  }

  function renderSupport(report) {
    const line = $("support");
    clear(line);
    const support = report.support;
    if (!support) {
      line.hidden = true;
      return;
    }
    line.append(document.createTextNode(`${support.text} `));
    if (/^https?:\/\//i.test(support.url)) {
      line.append(el("a", { text: support.url, attrs: { href: support.url, rel: "noopener noreferrer" } }));
    }
    line.hidden = false;
  }

  function renderDetected(report) {
    const holder = $("detected");
    clear(holder);
    if (!report.findings.length) {
      holder.append(el("p", { text: "Nothing detected. forewarn can miss things; this is not a promise." }));
      return;
    }
    const order = taxonomy.groups.map((g) => g.id);
    const byGroup = new Map();
    for (const finding of report.findings) {
      if (!byGroup.has(finding.group)) byGroup.set(finding.group, []);
      byGroup.get(finding.group).push(finding);
    }
    const groupIds = [...byGroup.keys()].sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    for (const groupId of groupIds) {
      const group = taxonomy.groups.find((g) => g.id === groupId);
      const list = el("ul", { className: "chips", attrs: { "aria-label": group ? group.name : groupId } });
      for (const finding of byGroup.get(groupId)) {
        const link = el("a", { className: `chip chip-${finding.severity}`, attrs: { href: `#finding-${safeId(finding.category)}` } }, [
          el("span", { className: "chip-name", text: finding.name }),
          severityBadge(finding.severity),
        ]);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          openFinding(finding.category);
        });
        list.append(el("li", {}, [link]));
      }
      holder.append(el("div", { className: "chip-group" }, [el("h4", { text: group ? group.name : groupId }), list]));
    }
  }

  function renderDeclared(report) {
    const holder = $("declared");
    clear(holder);
    const declared = report.declared;
    const rows = [];
    rows.push(["Rating", declared.rating || "none given"]);
    if (declared.chose_not_to_warn) rows.push(["Warnings", "the author chose not to use archive warnings"]);
    else rows.push(["Warnings", declared.warnings.length ? declared.warnings.join(", ") : "none given"]);
    if (declared.tags.length) {
      const shown = declared.tags.slice(0, 15).join(", ");
      const more = declared.tags.length > 15 ? ` and ${declared.tags.length - 15} more` : "";
      rows.push(["Tags", shown + more]);
    }
    const list = el("dl", { className: "facts" });
    for (const [term, value] of rows) list.append(el("dt", { text: term }), el("dd", { text: value }));
    holder.append(list);
  }

  function renderUnderWarning(report) {
    const list = $("under-list");
    clear(list);
    for (const item of report.under_warning) list.append(el("li", { text: item.note }));
    $("under-warning").hidden = !report.under_warning.length;
  }

  function renderSuggested(report) {
    const suggested = report.suggested;
    const warnings = suggested.ao3_warnings.length ? suggested.ao3_warnings.join(", ") : "none";
    $("suggested").textContent =
      `AO3 rating: ${suggested.ao3_rating} · FanFiction.Net rating: ${suggested.ffn_rating} · AO3 archive warnings: ${warnings}`;
  }

  function storySpan(report) {
    const chapters = report.work.chapters;
    if (!chapters.length) return { start: 0, length: 1 };
    const start = chapters[0].char_start;
    const end = chapters[chapters.length - 1].char_end;
    return { start: start, length: Math.max(1, end - start) };
  }

  function locationWords(location) {
    return `chapter ${location.chapter}, ${percent(location.position)}% through (${SEVERITY_WORDS[location.severity] || location.severity})`;
  }

  function chapterTicks(report, strip, labelled) {
    const span = storySpan(report);
    const chapters = report.work.chapters;
    if (chapters.length < 2) return;
    const every = Math.ceil(chapters.length / 24);
    chapters.forEach((chapter, index) => {
      const tick = el("span", { className: "tick", attrs: { "aria-hidden": "true" } });
      const left = ((chapter.char_start - span.start) / span.length) * 100;
      tick.style.left = `${Math.max(0, Math.min(100, left))}%`;
      if (labelled && index % every === 0) tick.append(el("span", { className: "tick-label", text: chapter.index }));
      strip.append(tick);
    });
  }

  function placeMark(report, location, mark) {
    const span = storySpan(report);
    const width = ((location.char_end - location.char_start) / span.length) * 100;
    const left = Math.max(0, Math.min(1, Number(location.position) || 0)) * 100;
    mark.style.left = `${Math.min(left, 99.2)}%`;
    mark.style.width = `${Math.max(0.8, Math.min(width, 100 - left))}%`;
    return mark;
  }

  function openFinding(category) {
    const details = $(`finding-${safeId(category)}`);
    if (!details) return;
    details.open = true;
    details.scrollIntoView({ block: "nearest" });
    details.querySelector("summary").focus();
  }

  // One strip for the whole story: every location of every category, coloured by severity
  // (graphic drawn last, on top). A mark names its category on hover and opens its details.
  function renderStoryStrip(report) {
    const strip = $("story-strip");
    clear(strip);
    const marks = [];
    for (const finding of report.findings) {
      for (const location of finding.locations) marks.push({ finding: finding, location: location });
    }
    marks.sort((a, b) => SEVERITIES.indexOf(a.location.severity) - SEVERITIES.indexOf(b.location.severity));
    const words = report.findings
      .map((finding) => `${finding.name}: ${finding.locations.map(locationWords).join("; ")}`)
      .join(". ");
    strip.setAttribute("aria-label", `The whole story, start to end. ${words || "Nothing detected."}`);
    chapterTicks(report, strip, true);
    for (const { finding, location } of marks) {
      const mark = el("span", {
        className: `mark mark-${location.severity}`,
        attrs: {
          "aria-hidden": "true",
          title: `${finding.name}: chapter ${location.chapter}, ${SEVERITY_WORDS[location.severity] || location.severity}`,
          "data-category": finding.category,
        },
      });
      mark.addEventListener("click", () => openFinding(finding.category));
      strip.append(placeMark(report, location, mark));
    }
    $("strip-area").hidden = !report.findings.length;
  }

  function renderStrip(report, finding) {
    const words = finding.locations.map(locationWords).join("; ");
    const strip = el("div", {
      className: "strip strip-small",
      attrs: { role: "img", "aria-label": `${finding.name}: ${words || "no locations"}` },
    });
    chapterTicks(report, strip, false);
    for (const location of finding.locations) {
      const mark = el("span", { className: `mark mark-${location.severity}`, attrs: { "aria-hidden": "true" } });
      strip.append(placeMark(report, location, mark));
    }
    return strip;
  }

  function renderLocation(finding, location, index) {
    const quoteId = `quote-${safeId(finding.category)}-${index}`;
    const item = el("li", { className: "location" }, [
      el("span", { text: `Chapter ${location.chapter}, ${percent(location.position)}% through: ` }),
      severityBadge(location.severity),
    ]);
    if (location.quote) {
      const quote = el("blockquote", { className: "quote", attrs: { id: quoteId }, text: location.quote });
      quote.hidden = true;
      const button = el("button", {
        className: "secondary spoiler-toggle",
        text: "Show the quote (spoiler)",
        attrs: { type: "button", "aria-expanded": "false", "aria-controls": quoteId },
      });
      button.addEventListener("click", () => {
        const open = quote.hidden;
        quote.hidden = !open;
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? "Hide the quote" : "Show the quote (spoiler)";
      });
      item.append(button, quote);
    }
    return item;
  }

  // Per-category detail on demand: one closed <details> per category.
  function renderFindings(report) {
    renderStoryStrip(report);
    const holder = $("findings");
    clear(holder);
    for (const finding of report.findings) {
      const places = finding.locations.length;
      const summary = el("summary", {}, [
        el("span", { className: "finding-name", text: `${finding.name} ` }),
        severityBadge(finding.severity),
        el("span", {
          className: "confidence",
          text: ` ${places} place${places === 1 ? "" : "s"} · confidence ${percent(finding.confidence)}%`,
        }),
      ]);
      holder.append(el("details", { className: "finding", attrs: { id: `finding-${safeId(finding.category)}` } }, [
        summary,
        renderStrip(report, finding),
        el("ol", { className: "locations" }, finding.locations.map((location, index) => renderLocation(finding, location, index))),
      ]));
    }
  }

  function renderReport(report) {
    const work = report.work;
    $("result-title").textContent = work.title ? `Warning card: ${work.title}` : "Warning card";
    const byline = [];
    if (work.authors.length) byline.push(`by ${work.authors.join(", ")}`);
    byline.push(`${work.words.toLocaleString()} words`);
    byline.push(`${work.chapters.length} chapter${work.chapters.length === 1 ? "" : "s"}`);
    $("result-byline").textContent = byline.join(" · ");
    renderVerdict(report);
    renderSupport(report);
    renderDetected(report);
    renderDeclared(report);
    renderUnderWarning(report);
    renderSuggested(report);
    renderFindings(report);
    const notices = $("notices");
    clear(notices);
    for (const notice of report.notices) notices.append(el("li", { text: notice }));
    $("limits").textContent = report.limits;
    const result = $("result");
    result.hidden = false;
    result.focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    wireInput();
    loadTaxonomy();
  });
})();
