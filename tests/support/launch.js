// The launch harness: loads a mini program the way the platform's logic layer does and records
// what it does at launch. One context per app with a stubbed `wx` (every API a recording
// function with a plausible answer), App/Page/Component/Behavior, getApp, getCurrentPages,
// requirePlugin, __wxConfig and the platform's require. It runs app.js and calls onLaunch and
// onShow; then the custom tab bar and app bar, the global components, and for every page of
// every package, the components its JSON reaches (created, attached, ready) and the page itself
// (onLoad, onShow, onReady), running the clock after each. WXS modules of every WXML it reached
// run in their own scope with their functions called on sample arguments.
//
//   node tests/support/launch.js JOBS.json OUT.json
//   JOBS: [{"name": "...", "root": "<mini program root>", "sources": {"<path>": "<source path>"},
//           "skip": [["<component JSON, source path>", "<tag>"], ...]}]
//   OUT: {name: {registrations, instances, wx, exceptions, console, wxs}}
//
// `sources` names the source of files the planner moved, so records of two builds line up; a
// `.ts` source counts as its `.js`. `skip` lists usingComponents entries wxpack dropped as
// unused (its report's dropped_components): no run instantiates them, so every run of an app
// launches the same components. Used by tests/launch.rs.
'use strict';
const fs = require('fs');
const path = require('path');
const { stub } = require('./stub');
const { makeContext } = require('./launch/context');
const { makeModules } = require('./launch/modules');
const { makeRuntime, describe } = require('./launch/runtime');
const { makeWx } = require('./launch/wx');
const { makeWxs } = require('./launch/wxs');

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function launch(root, sources, skip) {
  const rel = (abs) => path.relative(root, abs).split(path.sep).join('/');
  const key = (abs) => {
    const r = rel(abs);
    return (sources[r] || r).replace(/\.ts$/, '.js');
  };
  const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8').replace(/^\uFEFF/, ''));
  const routes = [...(appJson.pages || [])];
  for (const sub of appJson.subPackages || appJson.subpackages || []) {
    for (const p of sub.pages || []) routes.push(sub.root.replace(/\/$/, '') + '/' + p);
  }
  const entry = appJson.entryPagePath || routes[0] || '';
  const launchOptions = { path: entry, scene: 1001, query: {}, referrerInfo: {}, apiCategory: 'default' };
  const wxCalls = [];
  const consoleCalls = [];
  const globals = {};
  const ctx = makeContext(globals);
  let where = ['load', 'app.js'];
  const at = (phase, file) => { where = [phase, file]; ctx.at(phase, file); };
  const aliases = Object.entries(appJson.resolveAlias || {});
  const modules = makeModules(root, ctx, aliases);
  const runtime = makeRuntime(ctx, modules, key, stub);
  const wx = makeWx({ clock: ctx.clock, stub, launch: launchOptions, record: (name, args) => wxCalls.push([...where, name, describe(args)]) });
  const quiet = () => {};
  const logged = (level) => (...args) => consoleCalls.push([...where, level]);
  Object.assign(ctx.context, runtime.globals, {
    wx, requirePlugin: () => stub(), requireMiniProgram: () => stub(), worker: stub(),
    __wxConfig: {
      envVersion: 'release', platform: 'ios', pages: routes, entryPagePath: entry, global: { window: appJson.window || {} },
      tabBar: appJson.tabBar, accountInfo: { appId: 'touristappid' }, appLaunchInfo: { scene: 1001, path: entry },
    },
    console: { log: quiet, info: quiet, debug: quiet, warn: logged('warn'), error: logged('error') },
    setTimeout: (fn, ms, ...args) => (typeof fn === 'function' ? ctx.clock.later(fn, ms, args) : 0),
    setInterval: (fn, ms, ...args) => (typeof fn === 'function' ? ctx.clock.later(fn, ms, args) : 0),
    clearTimeout: (id) => ctx.clock.cancel(id), clearInterval: (id) => ctx.clock.cancel(id),
  });
  ctx.context.global = ctx.context;
  const rejected = (reason) => ctx.record(reason);
  process.on('unhandledRejection', rejected);

  const instances = [];
  const snapshot = (kind, file, inst) => instances.push({ kind, file, data: inst ? describe(inst.data) : '<not registered>' });
  async function settle() {
    ctx.clock.flush();
    await tick();
  }

  const wxs = makeWxs(root, key);
  const dropped = new Set(skip.map(([json, tag]) => json + ' ' + tag));
  // The components `json` (a JSON file, absolute) declares, and theirs, children first; not the
  // entries wxpack proved unused and dropped (`skip`), which the platform never instantiates.
  function components(json, out = [], seen = new Set()) {
    const config = modules.json(json) || {};
    const used = Object.entries(config.usingComponents || {}).filter(([tag]) => !dropped.has(key(json) + ' ' + tag));
    for (const [tag, g] of Object.entries(config.componentGenerics || {})) if (g && typeof g === 'object') used.push([tag, g.default]);
    for (const [, spec] of used) {
      const base = modules.component(json, spec);
      if (!base || seen.has(base)) continue;
      seen.add(base);
      components(base + '.json', out, seen);
      out.push(base);
    }
    return out;
  }
  const done = new Set();
  // Loads the components a page (or the app) uses, once per source: a component the planner
  // copied into several packages is one component.
  function loadComponents(json) {
    const fresh = [];
    for (const base of components(json)) {
      const file = key(base + '.js');
      if (done.has(file)) continue;
      done.add(file);
      at('load', file);
      try { modules.load(base + '.js'); } catch (e) { ctx.record(e); }
      fresh.push({ base, file });
    }
    return fresh;
  }
  // created and attached, then `between` (the page's onLoad and onShow), then ready: the
  // platform's order for a page and its components.
  async function launchComponents(fresh, between) {
    const made = fresh.map(({ base, file }) => { at('lifetimes', file); return { base, file, c: runtime.component(base + '.js') }; });
    between();
    for (const m of made) if (m.c) { at('lifetimes', m.file); runtime.ready(m.c); }
    await settle();
    for (const m of made) {
      snapshot('component', m.file, m.c && m.c.inst);
      wxs.visit(m.base + '.wxml');
    }
  }

  const appJs = path.join(root, 'app.js');
  at('load', 'app.js');
  if (fs.existsSync(appJs)) { try { modules.load(appJs); } catch (e) { ctx.record(e); } }
  at('launch', 'app.js');
  runtime.launchApp(launchOptions);
  await settle();

  const shells = [];
  if (appJson.tabBar && appJson.tabBar.custom) shells.push(path.join(root, 'custom-tab-bar/index'));
  if (appJson.appBar) shells.push(path.join(root, 'app-bar/index'));
  for (const shell of shells) {
    const fresh = loadComponents(shell + '.json');
    const file = key(shell + '.js');
    if (fs.existsSync(shell + '.js') && !done.has(file)) {
      done.add(file);
      at('load', file);
      try { modules.load(shell + '.js'); } catch (e) { ctx.record(e); }
      fresh.push({ base: shell, file });
    }
    await launchComponents(fresh, () => {});
  }
  const global = loadComponents(path.join(root, 'app.json'));

  for (const route of routes) {
    const base = path.join(root, route);
    const fresh = loadComponents(base + '.json');
    const file = key(base + '.js');
    at('load', file);
    try { modules.load(base + '.js'); } catch (e) { ctx.record(e); }
    at('page', file);
    const page = runtime.page(base + '.js', route, {});
    await launchComponents(global.splice(0).concat(fresh), () => { at('page', file); if (page) runtime.show(page, {}); });
    at('page', file);
    if (page) runtime.pageReady(page);
    await settle();
    snapshot('page', file, page && page.inst);
    wxs.visit(base + '.wxml');
  }
  at('end', '');
  await settle();
  process.off('unhandledRejection', rejected);
  return {
    registrations: runtime.registrations,
    instances,
    wx: wxCalls,
    exceptions: ctx.exceptions,
    console: consoleCalls,
    wxs: Object.fromEntries([...wxs.modules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

(async () => {
  const [jobsPath, outPath] = process.argv.slice(2);
  const jobs = JSON.parse(fs.readFileSync(jobsPath, 'utf8'));
  const out = {};
  for (const job of jobs) out[job.name] = await launch(path.resolve(job.root), job.sources || {}, job.skip || []);
  fs.writeFileSync(outPath, JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
