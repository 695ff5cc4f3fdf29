#!/usr/bin/env node
'use strict'
// agentkit's Minecraft test server: flying-squid 1.12.0 plus the plugins in ./plugins.
//
//   node server/server.js --port 0 --seed 7 --version 1.20.4 [--parent-pid PID]
//       [--view-distance N] [--smelt-ticks N] [--quiet]
//
// Offline mode, 127.0.0.1 only, in-memory world (no world folder), everybody op, survival.
// The first stdout line is {"event":"ready","port":N,"version":"1.20.4","seed":7}; logs go
// to stderr (and anything else that would print to stdout is redirected there). A line on
// stdin runs as a console command ("give bob dirt 3"). The process exits when stdin reaches
// EOF, when --parent-pid disappears (polled every second), or on SIGTERM/SIGINT.
//
// require('./server/server.js').startServer({ port: 0, seed: 7 }) starts one in-process and
// resolves to { serv, port, version, seed, close() }.

const path = require('path')

// Our plugins, in load order. They are appended to flying-squid's built-in plugin list so
// their player/entity hooks run after the built-in ones (and can replace what those set up).
const PLUGINS = [
  'sounds', // sound_effect packets that 1.19.3+ clients can parse
  'player_timers', // clear flying-squid's per-player intervals on disconnect
  'player_state', // sneaking/sprinting flags from 1.20.3 entity_action names
  'worldgen', // spawn point on our terrain, chunks kept in memory
  'inventory_sync', // set_slot with the right window id and stateId; inventory helpers
  'item_entities', // item metadata on 1.20.2+, stack-aware pickup, serv.dropItem
  'entity_physics', // stable gravity/collision for items and mobs
  'window_clicks', // server-side window clicks for 1.17+ (and container windows)
  'crafting', // 2x2 and crafting-table recipes from minecraft-data
  'furnace', // furnaces that smelt
  'chest', // chests (and barrels) that keep their contents
  'block_drops', // vanilla drops and tool tiers
  'toss', // Q-drop from the hotbar makes a real item entity
  'respawn', // death, respawn packet, keepInventory
  'mobs', // /summon with modern names, mob health, damage by weapon, loot
  'animals', // seeded groups of pigs, cows, sheep, chickens in visited chunks
  'food', // hunger, regeneration and eating
  'give', // /give with a numeric count
  'commands' // /clear, /gamerule, /fill, /spreadplayers, /kill
]

// Built-in plugins we replace entirely.
const REPLACED_BUILTINS = ['chest.js', 'respawn.js']
// Built-in plugins whose module must never even load (it has side effects on load): the
// file name in flying-squid's plugin folder -> our replacement.
const SUBSTITUTED_BUILTINS = { 'log.js': 'logging.js' } // readline on stdin/stdout, exit hook

let installed = false
function installPlugins () {
  if (installed) return
  installed = true
  const Module = require('module')
  const builtinDir = path.dirname(require.resolve('flying-squid/src/lib/plugins/index.js'))
  for (const [file, ours] of Object.entries(SUBSTITUTED_BUILTINS)) {
    const target = path.join(builtinDir, file)
    if (require.cache[target]) continue // already loaded by someone else: too late
    const m = new Module(target, module)
    m.filename = target
    m.loaded = true
    m.exports = require(path.join(__dirname, 'plugins', ours))
    require.cache[target] = m
  }
  const fsPlugins = require('flying-squid/src/lib/plugins/index.js')
  const replaced = new Set(REPLACED_BUILTINS.map(f => require(path.join(builtinDir, f))))
  const ours = PLUGINS.map(name => require(path.join(__dirname, 'plugins', name + '.js')))
  const originalInit = fsPlugins.initPlugins
  fsPlugins.initPlugins = function () {
    originalInit()
    fsPlugins.builtinPlugins = fsPlugins.builtinPlugins.filter(p => !replaced.has(p)).concat(ours)
  }
}

function stripAnsi (s) {
  return String(s).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/^(> )+/, '') // eslint-disable-line no-control-regex
}

async function startServer (opts = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    seed = 7,
    version = '1.20.4',
    viewDistance = 6,
    smeltTicks = 200,
    quiet = false,
    log = (line) => process.stderr.write(line + '\n'),
    startTimeoutMs = 30000
  } = opts
  if (!Number.isInteger(Number(seed))) throw new Error('seed must be an integer')
  installPlugins()
  const squid = require('flying-squid')
  const settings = {
    motd: 'agentkit test server',
    port: Number(port),
    host,
    'max-players': 20,
    'online-mode': false,
    logging: false, // no log files
    gameMode: 0,
    difficulty: 1,
    worldFolder: undefined, // in-memory world
    generation: {
      name: path.join(__dirname, 'lib', 'terrain.js'),
      options: { seed: Number(seed), fixedSeed: Number(seed) }
    },
    kickTimeout: 30000,
    plugins: {},
    modpe: false,
    'view-distance': viewDistance,
    'player-list-text': { header: { text: 'agentkit' }, footer: { text: 'test server' } },
    'everybody-op': true,
    'max-entities': 5000,
    version,
    // read by our plugins
    agentkit: {
      seed: Number(seed),
      smeltTicks,
      log: quiet ? () => {} : (line) => log(stripAnsi(line))
    }
  }
  const serv = squid.createMCServer(settings)
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in time')), startTimeoutMs)
    serv.once('ready', () => { clearTimeout(timer); resolve() })
    serv.once('error', (err) => { clearTimeout(timer); reject(err) })
  })
  const actualPort = serv.listeningPort ?? serv._server.socketServer.address().port
  let closing = null
  return {
    serv,
    port: actualPort,
    version,
    seed: Number(seed),
    close () {
      if (!closing) {
        closing = Promise.race([
          serv.quit('Server closed').catch(() => {}),
          new Promise(resolve => setTimeout(resolve, 3000))
        ]).then(() => {
          try { serv.stopTickInterval?.() } catch (e) {}
          try { serv._server?.close() } catch (e) {}
        })
      }
      return closing
    }
  }
}

function parseArgs (argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error('unexpected argument ' + a)
    const key = a.slice(2)
    if (key === 'quiet') { out.quiet = true; continue }
    const value = argv[++i]
    if (value === undefined) throw new Error('missing value for ' + a)
    out[key] = value
  }
  return out
}

async function main () {
  // stdout carries JSON lines only: keep its writer for us, send everything else to stderr.
  const writeStdout = process.stdout.write.bind(process.stdout)
  process.stdout.write = function (chunk, encoding, cb) { return process.stderr.write(chunk, encoding, cb) }
  const emit = (obj) => writeStdout(JSON.stringify(obj) + '\n')

  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(err.message + '\n')
    process.exit(2)
  }
  const parentPid = args['parent-pid'] ? Number(args['parent-pid']) : null

  let started = false
  process.on('uncaughtException', (err) => {
    process.stderr.write('[server] uncaught: ' + (err && err.stack ? err.stack : err) + '\n')
    if (!started) process.exit(1)
  })
  process.on('unhandledRejection', (err) => {
    process.stderr.write('[server] unhandled rejection: ' + (err && err.stack ? err.stack : err) + '\n')
  })

  let server = null
  let stopping = false
  async function shutdown (why) {
    if (stopping) return
    stopping = true
    process.stderr.write(`[server] stopping (${why})\n`)
    const force = setTimeout(() => process.exit(0), 4000)
    force.unref?.()
    try { if (server) await server.close() } catch (e) {}
    process.exit(0)
  }

  // stdin: EOF stops the server; a non-empty line is run as a console command (e.g. "give bob dirt 3")
  const lines = require('readline').createInterface({ input: process.stdin, terminal: false })
  lines.on('line', (line) => {
    const cmd = line.trim().replace(/^\//, '')
    if (cmd && server) server.serv.handleCommand(cmd)
  })
  lines.on('close', () => shutdown('stdin closed'))
  process.stdin.on('error', () => shutdown('stdin error'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  if (parentPid) {
    setInterval(() => {
      try {
        process.kill(parentPid, 0)
      } catch (err) {
        if (err.code === 'ESRCH') shutdown('parent gone')
      }
    }, 1000).unref()
  }

  try {
    server = await startServer({
      port: Number(args.port ?? 0),
      seed: Number(args.seed ?? 7),
      version: args.version ?? '1.20.4',
      viewDistance: Number(args['view-distance'] ?? 6),
      smeltTicks: Number(args['smelt-ticks'] ?? 200),
      quiet: !!args.quiet
    })
  } catch (err) {
    process.stderr.write('[server] failed to start: ' + (err && err.stack ? err.stack : err) + '\n')
    process.exit(1)
  }
  started = true
  if (stopping) return
  emit({ event: 'ready', port: server.port, version: server.version, seed: server.seed })
}

module.exports = { startServer, installPlugins, PLUGINS }

if (require.main === module) main()
