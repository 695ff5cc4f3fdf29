'use strict'
// Minimal target selectors for commands: player names, @s @p @a @r @e with
// [type=..., name=..., limit=..., distance=..N] options.

const UserError = require('flying-squid').UserError

function parseOptions (str) {
  const opts = {}
  if (!str) return opts
  for (const part of str.split(',')) {
    const m = part.match(/^\s*([a-z_]+)\s*=\s*(!?)([^,]*)\s*$/i)
    if (!m) throw new UserError('Invalid selector option ' + part)
    opts[m[1]] = { not: m[2] === '!', value: m[3].replace(/^minecraft:/, '') }
  }
  return opts
}

function resolveTargets (serv, str, ctx) {
  str = (str || '').trim()
  const self = ctx && ctx.player
  if (!str) {
    if (!self) throw new UserError('A target is needed from the console')
    return [self]
  }
  const m = str.match(/^@([spare])(?:\[(.*)\])?$/)
  if (!m) {
    const p = serv.getPlayer(str)
    if (!p) throw new UserError(`No player was found: ${str}`)
    return [p]
  }
  const origin = self ? self.position : (serv.worldSpawn || null)
  const opts = parseOptions(m[2])
  let list
  switch (m[1]) {
    case 's': list = self ? [self] : []; break
    case 'a': list = serv.players.slice(); break
    case 'p': list = serv.players.slice(); break
    case 'r': list = serv.players.slice().sort(() => Math.random() - 0.5); break
    case 'e': list = Object.values(serv.entities); break
  }
  const check = (opt, actual) => !opt || ((opt.value === String(actual)) !== opt.not)
  list = list.filter(e => {
    const name = e.type === 'player' ? 'player' : e.name
    if (!check(opts.type, name)) return false
    if (!check(opts.name, e.type === 'player' ? e.username : e.name)) return false
    if (opts.distance && origin) {
      const d = e.position.distanceTo(origin)
      const [lo, hi] = opts.distance.value.includes('..') ? opts.distance.value.split('..') : [opts.distance.value, opts.distance.value]
      if (lo !== '' && d < Number(lo)) return false
      if (hi !== '' && d > Number(hi)) return false
    }
    return true
  })
  if (origin && (m[1] === 'p' || opts.sort?.value === 'nearest')) list.sort((a, b) => a.position.distanceTo(origin) - b.position.distanceTo(origin))
  const limit = opts.limit ? Number(opts.limit.value) : (m[1] === 'p' || m[1] === 'r' ? 1 : Infinity)
  return list.slice(0, limit)
}

function feedback (serv, ctx, message) {
  if (ctx && ctx.player) ctx.player.chat(message)
  else serv.info(message)
}

module.exports = { resolveTargets, feedback }
