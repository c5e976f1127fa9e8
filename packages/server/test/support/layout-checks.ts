import type { Page } from 'playwright-core';

/**
 * Layout measured in the browser (issue 13, item 18): what a person would call a cut-off field,
 * a first column that scrolls away, or cards spaced unevenly, as numbers read from the page.
 * The page's DOM is typed loosely here: the repo compiles without the DOM library.
 */
// biome-ignore lint/suspicious/noExplicitAny: browser globals, read field by field inside page.evaluate
type Dom = any;

/**
 * Every control, label, hint and button inside `formSelector` that does not show all of its text
 * or sticks out of the form, as `what: why`. An input's text is its value, else its placeholder,
 * measured with the input's own font against its content box (a number input loses its spinner's width).
 */
export function truncatedFields(page: Page, formSelector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const { document, getComputedStyle } = globalThis as Dom;
    const form = document.querySelector(selector);
    if (!form) return [`${selector}: not on the page`];
    const formBox = form.getBoundingClientRect();
    const canvas = document.createElement('canvas').getContext('2d');
    const problems: string[] = [];
    const name = (el: Dom) =>
      el.getAttribute('data-testid') ??
      el.getAttribute('id') ??
      `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of form.querySelectorAll('input, select, textarea, label, legend, .hint, .problem, button, h2')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.type === 'hidden' || el.type === 'checkbox' || el.type === 'radio') continue;
      const box = el.getBoundingClientRect();
      if (box.left < formBox.left - 0.5 || box.right > formBox.right + 0.5) problems.push(`${name(el)}: outside its form`);
      if (el.tagName === 'INPUT' || el.tagName === 'SELECT') {
        const text = el.tagName === 'SELECT' ? (el.selectedOptions[0]?.textContent ?? '') : el.value || el.placeholder;
        canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const chrome = el.type === 'number' || el.tagName === 'SELECT' ? 20 : 0;
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - chrome;
        const needed = canvas.measureText(text).width;
        if (needed > room) problems.push(`${name(el)}: "${text}" needs ${Math.ceil(needed)} px, has ${Math.floor(room)}`);
      } else if (el.tagName !== 'TEXTAREA' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)}: text overflows (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return problems;
  }, formSelector);
}

export interface FirstColumn {
  position: string;
  /** how far the table's frame scrolled sideways (0: the table was not wider than its frame) */
  scrolledBy: number;
  /** the first body cell is inside the frame and on top at its own centre, after the scroll */
  visibleAfterScroll: boolean;
}

/** The first body cell of the table `[data-testid=tableTestId]`, after its frame scrolled sideways to the end. */
export function firstColumnAfterScroll(page: Page, tableTestId: string): Promise<FirstColumn> {
  return page.evaluate(async (testid) => {
    const { document, getComputedStyle, requestAnimationFrame } = globalThis as Dom;
    const table = document.querySelector(`[data-testid="${testid}"]`);
    const frame = table.closest('.table-wrap');
    const cell = table.querySelector('tbody tr > :first-child');
    // Into the window first: elementFromPoint sees only what is on screen.
    cell.scrollIntoView({ block: 'center', inline: 'nearest' });
    frame.scrollLeft = frame.scrollWidth;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const box = cell.getBoundingClientRect();
    const frameBox = frame.getBoundingClientRect();
    const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      position: getComputedStyle(cell).position,
      scrolledBy: frame.scrollLeft,
      visibleAfterScroll: box.left >= frameBox.left - 0.5 && box.right <= frameBox.right + 0.5 && cell.contains(onTop),
    };
  }, tableTestId);
}

export interface CardSpacing {
  /** the `--card-gap` token in pixels */
  expected: number;
  /** each pair of neighbouring cards: `first → second: N px` */
  gaps: { between: string; px: number }[];
}

/**
 * The distance between each card and the next card beside or below it in the same container (a
 * card inside a list item counts as the item). Cards in one row are measured sideways, a card
 * in the next row or stack downwards.
 */
export function cardSpacing(page: Page): Promise<CardSpacing> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as Dom;
    const root = getComputedStyle(document.documentElement);
    const expected = parseFloat(root.getPropertyValue('--card-gap')) * parseFloat(root.fontSize);
    const slotOf = (card: Dom) =>
      card.parentElement.tagName === 'LI' && card.parentElement.children.length === 1 ? card.parentElement : card;
    const isCardSlot = (el: Dom) =>
      el !== null &&
      (el.classList.contains('card') || (el.tagName === 'LI' && el.children.length === 1 && el.children[0].classList.contains('card')));
    const label = (el: Dom) => {
      const card = el.classList.contains('card') ? el : el.children[0];
      return card.getAttribute('data-testid') ?? card.querySelector('h2, strong, span')?.textContent?.trim().slice(0, 30) ?? card.tagName;
    };
    const gaps: { between: string; px: number }[] = [];
    for (const card of document.querySelectorAll('.card')) {
      const slot = slotOf(card);
      const next = slot.nextElementSibling;
      if (!isCardSlot(next) || slot.getClientRects().length === 0 || next.getClientRects().length === 0) continue;
      const a = slot.getBoundingClientRect();
      const b = next.getBoundingClientRect();
      const px = b.top >= a.bottom - 0.5 ? b.top - a.bottom : b.left - a.right;
      gaps.push({ between: `${label(slot)} → ${label(next)}`, px: Math.round(px * 10) / 10 });
    }
    return { expected, gaps };
  });
}
