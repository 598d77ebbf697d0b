// App, Page, Component and Behavior for the launch harness, as the platform's logic layer has
// them: each definition is recorded (what the program registered), and the harness makes
// instances of them and calls their launch lifecycles. An instance's data is a copy, made in the
// context's realm, of the definition's data with its behaviors' merged under it, and setData
// writes paths into it (`a.b[0].c`).
'use strict';

// A deterministic description of a value: sorted keys, functions as '<function>', cycles and
// depth bounded. Two runs of the same program describe what they built identically.
function describe(value, depth = 0, seen = new Set()) {
  if (value === undefined) return '<undefined>';
  if (value === null) return null;
  const t = typeof value;
  if (t === 'function') return '<function>';
  if (t === 'number') return Number.isFinite(value) ? value : String(value);
  if (t === 'bigint' || t === 'symbol') return String(value);
  // A long string by its length and ends: a program that doubles a string must not make the
  // record too long to write.
  if (t === 'string' && value.length > 2000) return `<string ${value.length}: ${value.slice(0, 100)}…${value.slice(-100)}>`;
  if (t !== 'object') return value;
  if (seen.has(value)) return '<cycle>';
  if (depth > 6) return '<object>';
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Date]') return 'Date(' + value.getTime() + ')';
  if (tag === '[object RegExp]') return String(value);
  seen.add(value);
  let out;
  try {
    if (Array.isArray(value)) out = value.slice(0, 200).map((v) => describe(v, depth + 1, seen));
    else {
      out = {};
      for (const k of Object.keys(value).sort().slice(0, 200)) out[k] = describe(value[k], depth + 1, seen);
    }
  } catch (e) {
    out = '<unreadable>';
  }
  seen.delete(value);
  return out;
}

const PLATFORM_METHODS = ['setData', 'triggerEvent', 'selectComponent', 'selectAllComponents', 'selectOwnerComponent',
  'createSelectorQuery', 'createIntersectionObserver', 'createMediaQueryObserver', 'getRelationNodes', 'hasBehavior',
  'getPageId', 'animate', 'clearAnimation', 'setUpdatePerformanceListener', 'getTabBar', 'getOpenerEventChannel',
  'groupSetData', 'getAppBar', 'setInitialRenderingCache', 'applyAnimatedStyle', 'clearAnimatedStyle', 'getPassiveEvent',
  'setPassiveEvent', 'router', 'pageRouter', 'mergeDataOnto'];

const LIFETIMES = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];

function makeRuntime(ctx, modules, key, stub) {
  const registrations = [];
  const definitions = new Map(); // file -> [{kind, options}]
  const behaviors = new Map(); // behavior handle -> options
  const newObject = ctx.compile([], 'return {};', 'harness');
  const clone = ctx.compile(['v'], `
    var seen = [];
    function c(x) {
      if (x === null || typeof x !== 'object') return x;
      var tag = Object.prototype.toString.call(x);
      if (tag !== '[object Object]' && tag !== '[object Array]') return x;
      if (seen.indexOf(x) >= 0) return x;
      seen.push(x);
      var o = tag === '[object Array]' ? [] : {};
      for (var k in x) if (Object.prototype.hasOwnProperty.call(x, k)) o[k] = c(x[k]);
      seen.pop();
      return o;
    }
    return c(v);`, 'harness');
  let app;
  let pages = [];

  const fnKeys = (o) => (o && typeof o === 'object' ? Object.keys(o).filter((k) => typeof o[k] === 'function').sort() : []);
  const keysOf = (o) => (o && typeof o === 'object' ? Object.keys(o).sort() : []);
  const behaviorId = (b) => (typeof b === 'string' ? b : behaviors.has(b) ? behaviors.get(b).id : '<unknown>');

  // A behavior's definitionFilter sees, and may change, the definition of what uses it (the
  // platform calls it when Component() or Behavior() is called).
  function filter(o) {
    if (!Array.isArray(o.behaviors)) return;
    for (const b of o.behaviors) {
      const def = behaviors.get(b);
      if (def && typeof def.options.definitionFilter === 'function') {
        const inner = (def.options.behaviors || []).map((x) => behaviors.get(x))
          .filter((x) => x && typeof x.options.definitionFilter === 'function').map((x) => x.options.definitionFilter);
        ctx.call(def.options.definitionFilter, def.options, [o, inner]);
      }
    }
  }

  function register(kind) {
    return function (options) {
      const file = modules.loading();
      const o = options && typeof options === 'object' ? options : {};
      if (kind === 'Component' || kind === 'Behavior') filter(o);
      const entry = {
        kind, file: file ? key(file) : '<none>', options: keysOf(o), data: describe(o.data),
        methods: kind === 'Component' || kind === 'Behavior' ? fnKeys(o.methods) : fnKeys(o),
        properties: keysOf(o.properties), behaviors: Array.isArray(o.behaviors) ? o.behaviors.map(behaviorId) : [],
        lifetimes: keysOf(o.lifetimes), pageLifetimes: keysOf(o.pageLifetimes),
      };
      registrations.push(entry);
      if (kind === 'Behavior') {
        const handle = newObject();
        behaviors.set(handle, { id: entry.file + '#' + registrations.filter((r) => r.kind === 'Behavior' && r.file === entry.file).length, options: o });
        return handle;
      }
      if (kind === 'App') app = { options: o, instance: null };
      if (file) {
        if (!definitions.has(file)) definitions.set(file, []);
        definitions.get(file).push({ kind, options: o });
      }
      return undefined;
    };
  }

  function setPath(data, path, value) {
    const parts = [];
    path.replace(/[^.[\]]+|\[(\d+)\]/g, (m, index) => { parts.push(index !== undefined ? Number(index) : m); return m; });
    if (parts.length === 0) return;
    let at = data;
    for (let i = 0; i < parts.length - 1; i++) {
      if (at[parts[i]] === null || typeof at[parts[i]] !== 'object') at[parts[i]] = typeof parts[i + 1] === 'number' ? [] : newObject();
      at = at[parts[i]];
    }
    at[parts[parts.length - 1]] = value;
  }

  function platformMethods(inst) {
    for (const m of PLATFORM_METHODS) inst[m] = () => stub();
    inst.setData = function (patch, done) {
      if (patch && typeof patch === 'object') for (const k of Object.keys(patch)) setPath(inst.data, k, patch[k]);
      if (typeof done === 'function') ctx.clock.later(() => done.call(inst));
    };
    inst.selectComponent = () => null;
    inst.selectAllComponents = () => [];
    inst.hasBehavior = () => false;
    inst.getPageId = () => 'pageId:1';
  }

  // Behaviors (depth first, in order) under the definition itself.
  function flatten(options, out = [], depth = 0) {
    if (depth < 20 && Array.isArray(options.behaviors)) {
      for (const b of options.behaviors) if (behaviors.has(b)) flatten(behaviors.get(b).options, out, depth + 1);
    }
    out.push(options);
    return out;
  }

  function defaultOf(prop) {
    if (prop && typeof prop === 'object' && 'value' in prop) return prop.value;
    const type = prop && typeof prop === 'object' ? prop.type : prop;
    const name = typeof type === 'function' ? type.name : '';
    return { String: '', Number: 0, Boolean: false, Array: [], Object: null }[name] ?? null;
  }

  function componentInstance(options, file) {
    const layers = flatten(options);
    const inst = newObject();
    platformMethods(inst);
    inst.is = modules.rel(file);
    inst.id = '';
    inst.dataset = newObject();
    const data = newObject();
    const lifetimes = Object.fromEntries(LIFETIMES.map((l) => [l, []]));
    const pageShow = [];
    for (const layer of layers) {
      for (const [k, v] of Object.entries(clone(layer.data) || {})) data[k] = v;
      for (const [k, p] of Object.entries(layer.properties || {})) if (!(k in data)) data[k] = clone(defaultOf(p));
      for (const [k, m] of Object.entries(layer.methods || {})) if (typeof m === 'function') inst[k] = m;
      const lt = layer.lifetimes || {};
      for (const l of LIFETIMES) {
        const f = typeof lt[l] === 'function' ? lt[l] : layer[l];
        if (typeof f === 'function') lifetimes[l].push(f);
      }
      if (layer.pageLifetimes && typeof layer.pageLifetimes.show === 'function') pageShow.push(layer.pageLifetimes.show);
    }
    inst.data = data;
    inst.properties = data;
    return { inst, lifetimes, pageShow };
  }

  function runAll(fns, inst, args) {
    for (const f of fns) ctx.call(f, inst, args);
  }

  // The definition `file` made at load, or null.
  function definitionOf(file, kinds) {
    return (definitions.get(file) || []).find((d) => kinds.includes(d.kind)) || null;
  }

  return {
    registrations,
    globals: {
      App: register('App'), Page: register('Page'), Component: register('Component'), Behavior: register('Behavior'),
      getApp: (opts) => (app && app.instance) || (opts && opts.allowDefault ? newObject() : undefined),
      getCurrentPages: () => pages.slice(),
    },
    launchApp(launch) {
      if (!app) return null;
      const inst = newObject();
      for (const [k, v] of Object.entries(app.options)) inst[k] = v;
      app.instance = inst;
      ctx.call(inst.onLaunch, inst, [launch]);
      ctx.call(inst.onShow, inst, [launch]);
      return inst;
    },
    // An instance of the component `file` defined, created and attached; null if it defined none.
    component(file) {
      const def = definitionOf(file, ['Component']);
      if (!def) return null;
      const c = componentInstance(def.options, file);
      runAll(c.lifetimes.created, c.inst, []);
      runAll(c.lifetimes.attached, c.inst, []);
      return c;
    },
    // The component's `ready` and its page's `show`.
    ready(c) {
      runAll(c.lifetimes.ready, c.inst, []);
      runAll(c.pageShow, c.inst, []);
    },
    // An instance of the page `file` defined (with Page or Component), on top of the page stack;
    // a Component page is created and attached. null if the file defined no page.
    page(file, route, query) {
      const def = definitionOf(file, ['Page', 'Component']);
      if (!def) return null;
      let page;
      if (def.kind === 'Page') {
        const inst = newObject();
        for (const [k, v] of Object.entries(def.options)) if (k !== 'data') inst[k] = v;
        platformMethods(inst);
        inst.data = clone(def.options.data) || newObject();
        page = { inst, lifetimes: null };
      } else {
        page = componentInstance(def.options, file);
      }
      page.inst.route = route;
      page.inst.__route__ = route;
      page.inst.options = query;
      pages = [page.inst];
      if (page.lifetimes) {
        runAll(page.lifetimes.created, page.inst, []);
        runAll(page.lifetimes.attached, page.inst, []);
      }
      return page;
    },
    // The page's onLoad and onShow (after its components attached).
    show(page, query) {
      ctx.call(page.inst.onLoad, page.inst, [query]);
      ctx.call(page.inst.onShow, page.inst, []);
    },
    // The page's ready and onReady (after its components' ready).
    pageReady(page) {
      if (page.lifetimes) runAll(page.lifetimes.ready, page.inst, []);
      ctx.call(page.inst.onReady, page.inst, []);
    },
  };
}

module.exports = { makeRuntime, describe };
