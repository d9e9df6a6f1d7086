"""A page's layout checked from its element boxes in a real browser: no text over other text, nothing cut off.

For any page open in Playwright (a Voilà studio page, a course page, a static HTML file)::

    from page_layout import assert_layout_ok, each_tab, screenshot_whole

    assert_layout_ok(page, "matching studio at 1024 px")     # AssertionError listing every problem
    for tab in each_tab(page):                                # clicks every ipywidgets / Lumino tab in turn
        assert_layout_ok(page, f"matching studio, tab {tab}")
    screenshot_whole(page, "shots/matching.png")              # the whole scrolled content, not just the window

What is measured (``getClientRects`` and ``getBoundingClientRect``, never pixels):

- every visible line of text (each text node's line boxes, from a DOM ``Range``) and every control
  (input, select, button, textarea, image, canvas, svg, slider handle), each clipped to what its
  scrolling ancestors let show;
- **overlap**: two of those boxes sharing more than a sliver (``OVERLAP_PX`` in both directions and a quarter
  of the smaller box's height), unless one is inside the other (a button and its label);
- **cut off**: a box reaching past an ancestor that hides overflow (``overflow: hidden``/``clip``), text
  shortened with an ellipsis (``scrollWidth > clientWidth`` on an element that does not scroll), a
  dropdown whose chosen option is wider than the dropdown, a box outside the window sideways;
- **scrolls sideways by accident**: a layout box (an ipywidgets box, an output area, the page) whose
  content is wider than it, so it grows a horizontal scrollbar nobody planned. Intended scroll
  containers (``overflow: auto`` on anything else, e.g. a wide table's wrapper or a code block) may scroll.

Content scrolled out of sight inside an intended scroll container is not a problem; hidden elements
(``display: none``, ``visibility: hidden``, closed ``<details>``, zero size) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

__all__ = ["ACCIDENTAL_SCROLLERS", "assert_layout_ok", "each_tab", "layout_problems", "screenshot_whole",
           "OVERLAP_PX"]

OVERLAP_PX = 3  # boxes may touch or share this much (anti-aliasing, italic overhang) without overlapping
# Layout boxes that must never scroll sideways: ipywidgets boxes and output areas (they default to
# overflow: auto, so a too-wide child silently gets a scrollbar), JupyterLab/Voilà panels, the page itself.
ACCIDENTAL_SCROLLERS = (".widget-box, .widget-container, .jp-OutputArea, .jp-OutputArea-output, "
                        ".jp-OutputArea-child, .jp-Cell, #rendered_cells, .lm-TabPanel, .lm-StackedPanel, "
                        ".widget-tab-contents, body, html")

_CHECK = r"""
([overlapPx, accidental]) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const skipTags = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'OPTGROUP', 'TITLE', 'HEAD']);
  const styleCache = new Map();
  const style = el => { let s = styleCache.get(el); if (!s) { s = getComputedStyle(el); styleCache.set(el, s); } return s; };
  const describe = el => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id && !/^[0-9a-f-]{20,}$/.test(node.id)) part += '#' + node.id;
      const classes = Array.from(node.classList).filter(c => !c.startsWith('lm-') && !c.startsWith('p-')).slice(0, 2);
      if (classes.length) part += '.' + classes.join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const visible = el => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const s = style(node);
      if (s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse'
          || parseFloat(s.opacity) === 0) return false;
      if (node.tagName === 'DETAILS' && !node.open && node !== el
          && !(el.closest('summary') && el.closest('details') === node)) return false;
    }
    return true;
  };
  const scrolls = v => v === 'auto' || v === 'scroll';
  const hides = v => v === 'hidden' || v === 'clip';
  // The box an ancestor shows its content in (its padding box), in viewport coordinates.
  const inner = a => { const r = a.getBoundingClientRect();
    const left = r.left + a.clientLeft, top = r.top + a.clientTop;
    return {left, top, right: left + a.clientWidth, bottom: top + a.clientHeight}; };
  // Clip a box by its scrolling/hiding ancestors; report a box cut by an ancestor that hides overflow.
  const clip = (rect, el, what, reported) => {
    let r = {left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom};
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = style(a);
      if (s.position === 'fixed') break;
      const clipX = !(s.overflowX === 'visible'), clipY = !(s.overflowY === 'visible');
      if (!clipX && !clipY) continue;
      const b = inner(a);
      const outX = r.left < b.left - 1 || r.right > b.right + 1, outY = r.top < b.top - 1 || r.bottom > b.bottom + 1;
      const overlapsX = r.right > b.left && r.left < b.right, overlapsY = r.bottom > b.top && r.top < b.bottom;
      if (clipX && outX && hides(s.overflowX) && overlapsY && !reported.has(a)) {
        problems.push({kind: 'cut off', what, where: describe(el), by: describe(a),
                       detail: `reaches ${Math.round(Math.max(b.left - r.left, r.right - b.right))} px past a box `
                               + 'that hides overflow'});
        reported.add(a);
      }
      if (clipY && outY && hides(s.overflowY) && overlapsX && !reported.has(a)) {
        problems.push({kind: 'cut off', what, where: describe(el), by: describe(a),
                       detail: `reaches ${Math.round(Math.max(b.top - r.top, r.bottom - b.bottom))} px past a box `
                               + 'that hides overflow (vertically)'});
        reported.add(a);
      }
      if (clipX) { r.left = Math.max(r.left, b.left); r.right = Math.min(r.right, b.right); }
      if (clipY) { r.top = Math.max(r.top, b.top); r.bottom = Math.min(r.bottom, b.bottom); }
      if (r.right - r.left < 1 || r.bottom - r.top < 1) return null;  // scrolled out of sight
    }
    if ((r.right > vw + 1 || r.left < -1) && !reported.has(document)) {
      problems.push({kind: 'cut off', what, where: describe(el), by: 'the window',
                     detail: `spans ${Math.round(r.left)}..${Math.round(r.right)} px in a ${vw} px window`});
      reported.add(document);
    }
    return r;
  };
  const items = [];
  const reported = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || skipTags.has(el.tagName) || el.closest('svg, select, textarea')) continue;
    if (!visible(el)) continue;
    range.selectNodeContents(node);
    const text = node.textContent.trim().replace(/\s+/g, ' ').slice(0, 60);
    for (const rect of range.getClientRects()) {
      if (rect.width < 1 || rect.height < 1) continue;
      const r = clip(rect, el, text, reported);
      if (r) items.push({r, el, text});
    }
  }
  const controls = 'input:not([type=hidden]), select, textarea, button, img, canvas, svg, [role=slider]';
  for (const el of document.body.querySelectorAll(controls)) {
    if (el.parentElement && el.parentElement.closest('svg')) continue;
    if (!visible(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;
    const label = el.tagName === 'SELECT' ? (el.selectedOptions[0] ? el.selectedOptions[0].textContent : '')
                  : (el.value || el.getAttribute('alt') || el.textContent || el.tagName.toLowerCase());
    const text = `[${el.tagName.toLowerCase()}] ${String(label).trim().slice(0, 50)}`;
    const r = clip(rect, el, text, reported);
    if (r) items.push({r, el, text, box: true});
    if (el.tagName === 'SELECT' && el.selectedOptions[0]) {
      // A dropdown shows its chosen option in its own box: measure that text in the dropdown's font.
      const s = style(el);
      const ctx = (window.__tkCanvas = window.__tkCanvas || document.createElement('canvas')).getContext('2d');
      ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const wanted = ctx.measureText(el.selectedOptions[0].textContent.trim()).width;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      if (wanted > room + 1) problems.push({kind: 'cut off', what: text, where: describe(el), by: 'its dropdown',
        detail: `the chosen option needs ${Math.round(wanted)} px, the dropdown shows ${Math.round(room)} px`});
    }
  }
  // Text shortened with an ellipsis, or content wider than a box that does not scroll.
  for (const el of document.body.querySelectorAll('*')) {
    if (skipTags.has(el.tagName) || el.tagName === 'SELECT' || el.closest('svg')) continue;
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    const s = style(el);
    if (!visible(el)) continue;
    if (el.matches(accidental) && scrolls(s.overflowX)) {
      problems.push({kind: 'scrolls sideways', what: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
                     where: describe(el), by: '',
                     detail: `content ${el.scrollWidth} px wide in a ${el.clientWidth} px layout box `
                             + '(an unplanned scrollbar)'});
    } else if (hides(s.overflowX) && el.textContent.trim() && !['INPUT', 'TEXTAREA'].includes(el.tagName)) {
      const ownText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
      if (ownText || s.textOverflow === 'ellipsis') problems.push({kind: 'cut off',
        what: el.textContent.trim().replace(/\s+/g, ' ').slice(0, 60), where: describe(el), by: 'itself',
        detail: `text ${el.scrollWidth} px wide in a ${el.clientWidth} px box that hides the rest`});
    }
  }
  // Overlap: sweep the boxes from top to bottom.
  items.sort((a, b) => a.r.top - b.r.top);
  let pairs = 0;
  for (let i = 0; i < items.length; i++) {
    const a = items[i];
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j];
      if (b.r.top >= a.r.bottom - overlapPx) break;
      if (a.el === b.el && !a.box && !b.box) continue;  // lines of one text node
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;  // a control and its own label
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      const least = Math.min(a.r.bottom - a.r.top, b.r.bottom - b.r.top);
      if (w > overlapPx && h > overlapPx && h > 0.25 * least) {
        if (pairs++ < 40) problems.push({kind: 'overlap', what: a.text, where: describe(a.el), by: b.text,
          detail: `${Math.round(w)} x ${Math.round(h)} px shared with ${describe(b.el)}`});
      }
    }
  }
  return {problems, boxes: items.length};
}
"""


def layout_problems(page, *, overlap_px: int = OVERLAP_PX, accidental_scrollers: str = ACCIDENTAL_SCROLLERS
                    ) -> tuple[list[dict], int]:
    """Every layout problem on the page as it is now, and how many boxes were measured.

    Each problem is a dict: ``kind`` ("overlap", "cut off", "scrolls sideways"), ``what`` (the text or
    control), ``where`` (a short CSS path), ``by`` (what it overlaps or what cuts it) and ``detail``.
    """
    found = page.evaluate(_CHECK, [overlap_px, accidental_scrollers])
    return found["problems"], found["boxes"]


def assert_layout_ok(page, where: str, *, min_boxes: int = 5, **options) -> int:
    """Fail, listing every problem, unless the page's layout is clean; returns how many boxes were checked.

    ``min_boxes`` guards against a vacuous pass (a blank or still-loading page has nothing to overlap).
    """
    problems, boxes = layout_problems(page, **options)
    assert boxes >= min_boxes, f"{where}: only {boxes} boxes on the page; did it load?"
    if problems:
        lines = [f"- {p['kind']}: {p['what']!r} at {p['where']}" + (f" / {p['by']}" if p['by'] else "")
                 + f": {p['detail']}" for p in problems[:30]]
        more = f"\n(and {len(problems) - 30} more)" if len(problems) > 30 else ""
        raise AssertionError(f"{where}: {len(problems)} layout problem(s)\n" + "\n".join(lines) + more)
    return boxes


_TABS = ".lm-TabBar-tab, .p-TabBar-tab"


def each_tab(page, *, settle_ms: int = 300) -> Iterator[str]:
    """Click every tab of every tab bar on the page (ipywidgets ``Tab``, Lumino), yielding each tab's title.

    Tabs inside tabs are reached too: after each click the tab bars visible then are looked at again.
    """
    seen: set[tuple[int, str]] = set()
    progress = True
    while progress:
        progress = False
        tabs = page.locator(_TABS)
        for index in range(tabs.count()):
            tab = tabs.nth(index)
            if not tab.is_visible():
                continue
            title = tab.inner_text().strip()
            key = (index, title)
            if key in seen:
                continue
            seen.add(key)
            tab.click()
            page.wait_for_timeout(settle_ms)
            progress = True
            yield title


def screenshot_whole(page, path: str | Path, *, scroller: str = "#rendered_cells", most: int = 6000) -> Path:
    """A screenshot of the whole content at the window's width (the window grows tall for it, then returns).

    Voilà's pages scroll inside ``#rendered_cells``, so Playwright's ``full_page`` would show the window only.
    """
    size = page.viewport_size
    height = page.evaluate("(selector) => { const el = document.querySelector(selector) || document.scrollingElement;"
                           " return el.scrollHeight; }", scroller)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 20, most))})
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(200)
    return path
