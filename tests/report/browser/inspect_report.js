#!/usr/bin/env node
// Opens a report page in Debian's chromium (puppeteer-core, headless, no
// browser download) and prints, as one JSON object, what a reader sees:
// the timelines' spans and ticks as rendered, the text checks' marks, the
// sessions and their coverage, the access entries, the chain result, the
// page's scripts and any network request it makes; then runs axe-core's
// WCAG 2 A/AA and best-practice rules in the page and adds the violations.
// Usage: node inspect_report.js NODE_MODULES_DIR CHROMIUM REPORT.html
'use strict';
const path = require('path');

const [modules, chromium, file] = process.argv.slice(2);
if (!modules || !chromium || !file) {
  console.error('usage: inspect_report.js NODE_MODULES_DIR CHROMIUM REPORT.html');
  process.exit(2);
}
const puppeteer = require(path.join(path.resolve(modules), 'puppeteer-core'));
const axeSource = require(path.join(path.resolve(modules), 'axe-core')).source;

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) requests.push(r.url());
    });
    await page.goto('file://' + path.resolve(file), {waitUntil: 'load'});
    const seen = await page.evaluate(() => {
      const all = (root, selector) => Array.from(root.querySelectorAll(selector));
      const shown = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      };
      return {
        title: document.title,
        scripts: document.scripts.length,
        timelines: all(document, 'figure.kind-timeline').map((f) => ({
          kind: f.dataset.kind,
          name: f.querySelector('svg title') ?
              f.querySelector('svg title').textContent : '',
          spans: all(f, 'g.span').map((g) => ({
            item: g.dataset.item,
            state: g.dataset.state,
            shown: shown(g.querySelector('rect')),
          })),
          ticks: all(f, 'g.tick').map((g) => ({
            session: g.dataset.session,
            covered: g.dataset.covered === 'true',
            shown: shown(g),
          })),
        })),
        textChecks: all(document, 'p.text-check').map((p) => ({
          consent: p.dataset.consent,
          ok: p.querySelector('.mark-ok') !== null,
          text: p.textContent.trim(),
        })),
        covered: all(document, '.covered-session').map((s) => ({
          consent: s.closest('article').dataset.consent,
          session: s.textContent.trim(),
        })),
        sessions: all(document, 'tr[data-session]').map((tr) => ({
          session: tr.dataset.session,
          covered: tr.classList.contains('session-covered'),
          mark: (tr.querySelector('.mark') || {textContent: ''})
                    .textContent.trim(),
        })),
        accesses: all(document, 'tr.access').map((tr) => ({
          sequence: Number(tr.dataset.sequence),
          action: tr.dataset.action,
          principal: tr.dataset.principal,
          bulk: tr.classList.contains('access-bulk'),
          outcome: (tr.querySelector('.mark') || {textContent: ''})
                       .textContent.trim(),
        })),
        chain: (document.querySelector('#chain-result') || {}).textContent,
      };
    });
    seen.requests = requests;
    await page.addScriptTag({content: axeSource});
    seen.axe = await page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                         'wcag21aa', 'best-practice']},
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    console.log(JSON.stringify(seen));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
