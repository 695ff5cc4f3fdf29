'use strict'
// Per-position state of container blocks (chests, furnaces), shared by the plugins.

function store (serv) {
  if (!serv._agentkitBlocks) serv._agentkitBlocks = new Map()
  return serv._agentkitBlocks
}

function key (serv, world, pos) {
  const w = world === serv.netherworld ? 'nether' : 'overworld'
  return `${w}:${Math.floor(pos.x)},${Math.floor(pos.y)},${Math.floor(pos.z)}`
}

module.exports = {
  get: (serv, world, pos) => store(serv).get(key(serv, world, pos)),
  set: (serv, world, pos, value) => store(serv).set(key(serv, world, pos), value),
  remove: (serv, world, pos) => store(serv).delete(key(serv, world, pos)),
  all: (serv) => store(serv).values()
}
