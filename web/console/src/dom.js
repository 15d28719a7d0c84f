// A tiny element builder. Text always goes in as text nodes (never parsed as HTML).

/**
 * h('td', {class: 'num', dataset: {testid: 'x'}}, 'text', childNode, [more])
 * Attributes: `class`, `dataset` (object), `title`, `hidden`, `scope`, any other attribute by
 * name (set with setAttribute). `null`/`undefined`/`false` attributes and children are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = String(v);
      } else if (key === 'hidden') el.hidden = true;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

/** Sets textContent only when it changed (keeps screen readers and selection calm). */
export function setText(el, text) {
  const t = String(text);
  if (el.textContent !== t) el.textContent = t;
}

/**
 * Re-renders a region only when its input changed. `key` identifies the region; `input` is any
 * JSON-serialisable value; `render` returns the new child nodes.
 */
const lastInputs = new Map();
export function renderIfChanged(container, key, input, render) {
  const serial = JSON.stringify(input);
  if (lastInputs.get(key) === serial) return false;
  lastInputs.set(key, serial);
  const nodes = render();
  container.replaceChildren(...(Array.isArray(nodes) ? nodes : [nodes]));
  return true;
}

export function forgetRendered() {
  lastInputs.clear();
}
