'use strict'
// A throwaway development server for the bridge tests: plain flying-squid (superflat,
// survival, offline, everybody op) with a few oak log columns and stone near a fixed spawn.
// Used only when server/server.js is missing. Plain flying-squid bugs (MINECRAFT.md) apply:
// no crafting, no furnaces, chest windows empty, /give counts as strings.
// CLI: node test/bridge_devserver.js --port 0 [--version 1.20.4]; first stdout line is
// {"event":"ready","port":N}; exits on stdin EOF.
const net = require('node:net')
const { Vec3 } = require('vec3')
const mcServer = require('flying-squid')

function arg (name, dflt) {
  const i = process.argv.indexOf('--' + name)
  return i >= 0 ? process.argv[i + 1] : dflt
}

async function freePort () {
  return await new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
  })
}

async function main () {
  let port = Number(arg('port', '0'))
  if (!port) port = await freePort()
  const version = arg('version', '1.20.4')
  // flying-squid logs (and draws a readline prompt) on stdout: keep stdout for our JSON lines.
  const writeStdout = process.stdout.write.bind(process.stdout)
  process.stdout.write = (chunk, ...rest) => process.stderr.write(chunk, ...rest)
  console.log = (...a) => process.stderr.write(a.join(' ') + '\n')
  const serv = mcServer.createMCServer({
    motd: 'bridge dev server',
    port,
    host: '127.0.0.1',
    'max-players': 10,
    'online-mode': false,
    logging: false,
    gameMode: 0,
    difficulty: 0,
    generation: { name: 'superflat', options: { seed: 7 } },
    kickTimeout: 60000,
    plugins: {},
    modpe: false,
    'view-distance': 4,
    'player-list-text': { header: { text: 'dev' }, footer: { text: 'dev' } },
    'everybody-op': true,
    'max-entities': 100,
    version
  })
  serv.on('error', (e) => process.stderr.write('server error: ' + (e && e.stack) + '\n'))
  await new Promise(resolve => serv.once('ready', resolve))
  serv.getSpawnPoint = async () => new Vec3(0.5, 5, 0.5)
  const reg = serv.registry
  const log = reg.blocksByName.oak_log.minStateId
  const stone = reg.blocksByName.stone.defaultState
  const world = serv.overworld
  for (const [x, z] of [[4, 3], [-4, 2], [2, -5], [-3, -4]]) {
    for (let y = 5; y < 8; y++) await world.setBlockStateId(new Vec3(x, y, z), log)
  }
  for (const [x, z] of [[6, 0], [6, 1], [7, 0]]) await world.setBlockStateId(new Vec3(x, 5, z), stone)
  writeStdout(JSON.stringify({ event: 'ready', port, version }) + '\n')
  process.stdin.on('end', () => process.exit(0))
  process.stdin.resume()
}

main().catch((e) => { process.stderr.write(String(e && e.stack) + '\n'); process.exit(1) })
